namespace RadioGateway.Protocols.Dmr;

/// <summary>Bit access in byte buffers, most significant bit first (the on-air order of TS 102 361-1).</summary>
public static class BitBuffer
{
    public static bool Get(ReadOnlySpan<byte> buffer, int bit) => (buffer[bit >> 3] & (0x80 >> (bit & 7))) != 0;

    public static void Set(Span<byte> buffer, int bit, bool value)
    {
        if (value)
        {
            buffer[bit >> 3] |= (byte)(0x80 >> (bit & 7));
        }
        else
        {
            buffer[bit >> 3] &= (byte)~(0x80 >> (bit & 7));
        }
    }

    /// <summary>Reads <paramref name="count"/> (≤ 32) bits starting at <paramref name="bit"/> as an unsigned number.</summary>
    public static uint Read(ReadOnlySpan<byte> buffer, int bit, int count)
    {
        uint value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | (Get(buffer, bit + i) ? 1u : 0u);
        }

        return value;
    }

    /// <summary>Writes the low <paramref name="count"/> (≤ 32) bits of <paramref name="value"/> starting at <paramref name="bit"/>.</summary>
    public static void Write(Span<byte> buffer, int bit, int count, uint value)
    {
        for (var i = 0; i < count; i++)
        {
            Set(buffer, bit + i, ((value >> (count - 1 - i)) & 1) != 0);
        }
    }
}
