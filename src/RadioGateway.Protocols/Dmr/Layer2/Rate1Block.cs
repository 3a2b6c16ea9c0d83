namespace RadioGateway.Protocols.Dmr.Layer2;

/// <summary>
/// Rate 1 (uncoded) data in a burst (TS 102 361-1 §9.2.15/§9.2.16, Table B.10B): the 196 information bits carry
/// 192 data bits, the first 96 before the slot type and sync, then 4 reserved bits, then the other 96. In the
/// 33-octet burst the 24 data octets are octets 0–11 and 21–32.
/// </summary>
public static class Rate1Block
{
    public const int Length = 24;

    /// <summary>Copies the 24 data octets out of a 33-octet burst.</summary>
    public static void Read(ReadOnlySpan<byte> burst, Span<byte> block)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst.Length, DmrBurst.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(block.Length, Length);
        burst[..12].CopyTo(block);
        burst[21..33].CopyTo(block[12..]);
    }

    /// <summary>Writes 24 data octets into a burst and clears the 4 reserved bits around the slot type.</summary>
    public static void Write(Span<byte> burst, ReadOnlySpan<byte> block)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst.Length, DmrBurst.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(block.Length, Length);
        block[..12].CopyTo(burst);
        block[12..Length].CopyTo(burst[21..]);
        burst[12] &= 0x3F;
        burst[20] &= 0xFC;
    }
}
