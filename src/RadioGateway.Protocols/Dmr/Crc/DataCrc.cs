namespace RadioGateway.Protocols.Dmr.Crc;

/// <summary>The CRCs of DMR packet data (TS 102 361-1 B.3.9 CRC-32 and B.3.10 CRC-9).</summary>
public static class DataCrc
{
    /// <summary>CRC-9 mask of a rate ½ data block (TS 102 361-1 Table B.21).</summary>
    public const ushort Rate12Mask = 0x0F0;

    /// <summary>CRC-9 mask of a rate ¾ data block.</summary>
    public const ushort Rate34Mask = 0x1FF;

    /// <summary>CRC-9 mask of a rate 1 data block.</summary>
    public const ushort Rate1Mask = 0x10F;

    /// <summary>
    /// CRC-32 over a whole packet's user data and pad octets (B.3.9): generator 0x04C11DB7, register 0, no
    /// final inversion; the octets enter in pairs swapped (octet 1 before octet 0), each most significant
    /// bit first. The result travels least significant octet first in the last block.
    /// </summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        for (var i = 0; i < data.Length; i++)
        {
            // Pairs swapped; an odd last octet stays last.
            var index = (i % 2 == 0) ? (i + 1 < data.Length ? i + 1 : i) : i - 1;
            crc = (crc << 8) ^ Crc32Table[(crc >> 24) ^ data[index]];
        }

        return crc;
    }

    /// <summary>The CRC-32 register after shifting each octet value through it, most significant bit first.</summary>
    private static readonly uint[] Crc32Table = BuildCrc32Table();

    private static uint[] BuildCrc32Table()
    {
        var table = new uint[256];
        for (var value = 0u; value < 256; value++)
        {
            var crc = value << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }

            table[value] = crc;
        }

        return table;
    }

    /// <summary>
    /// CRC-9 of a confirmed data block (B.3.10): the block's data octets (and, in the last block, the CRC-32
    /// octets), then the 7-bit serial number, most significant bit first through generator x⁹+x⁶+x⁴+x³+1; the
    /// register is inverted and then masked per rate.
    /// </summary>
    public static ushort Crc9(ReadOnlySpan<byte> data, byte serialNumber, ushort mask)
    {
        uint crc = 0;
        foreach (var octet in data)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                crc = Step9(crc, (uint)(octet >> bit) & 1);
            }
        }

        for (var bit = 6; bit >= 0; bit--)
        {
            crc = Step9(crc, (uint)(serialNumber >> bit) & 1);
        }

        return (ushort)((~crc & 0x1FF) ^ mask);
    }

    private static uint Step9(uint crc, uint input)
    {
        var top = (crc >> 8) & 1;
        crc = (crc << 1) & 0x1FF;
        return (top ^ input) != 0 ? crc ^ 0x059 : crc;
    }
}
