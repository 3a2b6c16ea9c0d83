namespace RadioGateway.Protocols.Dmr.Crc;

/// <summary>
/// CRC-CCITT of TS 102 361-1 §B.3.7: polynomial x¹⁶+x¹²+x⁵+1, register 0, result inverted, then XORed with
/// the data type's CRC mask (Table B.21).
/// </summary>
public static class Crc16Ccitt
{
    public const ushort PiHeaderMask = 0x6969;
    public const ushort CsbkMask = 0xA5A5;
    public const ushort MbcHeaderMask = 0xAAAA;
    public const ushort DataHeaderMask = 0xCCCC;
    public const ushort UnifiedSingleBlockMask = 0x3333;

    private static readonly ushort[] Table = BuildTable();

    public static ushort Compute(ReadOnlySpan<byte> data, ushort mask)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc = (ushort)((crc << 8) ^ Table[(crc >> 8) ^ b]);
        }

        return (ushort)(~crc ^ mask);
    }

    /// <summary>The register after shifting each octet value through it, most significant bit first.</summary>
    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var value = 0; value < 256; value++)
        {
            var crc = (ushort)(value << 8);
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }

            table[value] = crc;
        }

        return table;
    }
}
