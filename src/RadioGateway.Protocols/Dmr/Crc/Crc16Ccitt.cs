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

    public static ushort Compute(ReadOnlySpan<byte> data, ushort mask)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return (ushort)(~crc ^ mask);
    }
}
