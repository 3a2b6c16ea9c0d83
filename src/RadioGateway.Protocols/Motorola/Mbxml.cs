using System.Buffers;

namespace RadioGateway.Protocols.Motorola;

/// <summary>
/// MBXML binary value encodings used by LRRP: variable-length integers (7 bits per octet, high bit = more),
/// signed ones (second bit of the first octet = negative), and floats as an integer part then a fraction part
/// whose n octets count 128ⁿ.
/// </summary>
internal ref struct MbxmlReader(ReadOnlySpan<byte> data)
{
    /// <summary>Longest variable integer accepted (5 octets = 35 bits, enough for 32-bit values).</summary>
    private const int MaxVarLength = 5;

    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public bool TryByte(out byte value)
    {
        if (Position >= _data.Length)
        {
            value = 0;
            return false;
        }

        value = _data[Position++];
        return true;
    }

    public bool TryBytes(int count, out ReadOnlySpan<byte> value)
    {
        if (count < 0 || Remaining < count)
        {
            value = default;
            return false;
        }

        value = _data.Slice(Position, count);
        Position += count;
        return true;
    }

    public bool TryUIntVar(out uint value) => TryVar(signed: false, out value, out _);

    public bool TrySIntVar(out int value)
    {
        if (!TryVar(signed: true, out var magnitude, out var negative))
        {
            value = 0;
            return false;
        }

        value = negative ? -(int)magnitude : (int)magnitude;
        return true;
    }

    public bool TryUFloatVar(out double value)
    {
        value = 0;
        if (!TryUIntVar(out var integer))
        {
            return false;
        }

        var start = Position;
        if (!TryUIntVar(out var fraction))
        {
            return false;
        }

        value = integer + (fraction / Math.Pow(128, Position - start));
        return true;
    }

    public bool TrySFloatVar(out double value)
    {
        value = 0;
        if (!TryVar(signed: true, out var integer, out var negative))
        {
            return false;
        }

        var start = Position;
        if (!TryUIntVar(out var fraction))
        {
            return false;
        }

        var magnitude = integer + (fraction / Math.Pow(128, Position - start));
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private bool TryVar(bool signed, out uint value, out bool negative)
    {
        value = 0;
        negative = false;
        ulong accumulated = 0;
        for (var i = 0; i < MaxVarLength; i++)
        {
            if (!TryByte(out var octet))
            {
                return false;
            }

            var bits = octet & 0x7F;
            if (i == 0 && signed)
            {
                negative = (octet & 0x40) != 0;
                bits = octet & 0x3F;
            }

            accumulated = (accumulated << 7) | (uint)bits;
            if ((octet & 0x80) == 0)
            {
                if (accumulated > uint.MaxValue)
                {
                    return false;
                }

                value = (uint)accumulated;
                return true;
            }
        }

        return false;
    }
}

/// <summary>Writes MBXML values.</summary>
internal static class MbxmlWriter
{
    public static void UIntVar(IBufferWriter<byte> output, uint value, bool negative = false, bool signed = false)
    {
        Span<byte> septets = stackalloc byte[6];
        var count = 0;
        do
        {
            septets[count++] = (byte)(value & 0x7F);
            value >>= 7;
        }
        while (value != 0);

        // A signed value needs its first octet's bit 6 free for the sign.
        if (signed && (septets[count - 1] & 0x40) != 0)
        {
            septets[count++] = 0;
        }

        var span = output.GetSpan(count);
        for (var i = 0; i < count; i++)
        {
            var octet = septets[count - 1 - i];
            if (i == 0 && negative)
            {
                octet |= 0x40;
            }

            span[i] = (byte)(octet | (i < count - 1 ? 0x80 : 0));
        }

        output.Advance(count);
    }

    /// <summary>Unsigned float with <paramref name="fractionOctets"/> octets of fraction (1 = 1/128 resolution).</summary>
    public static void UFloatVar(IBufferWriter<byte> output, double value, int fractionOctets = 1)
    {
        var integer = (uint)Math.Floor(value);
        UIntVar(output, integer);
        var fraction = (uint)Math.Round((value - integer) * Math.Pow(128, fractionOctets));
        var max = (uint)Math.Pow(128, fractionOctets) - 1;
        WriteFixedSeptets(output, Math.Min(fraction, max), fractionOctets);
    }

    public static void SFloatVar(IBufferWriter<byte> output, double value, int fractionOctets = 1)
    {
        var magnitude = Math.Abs(value);
        var integer = (uint)Math.Floor(magnitude);
        UIntVar(output, integer, negative: value < 0, signed: true);
        var fraction = (uint)Math.Round((magnitude - integer) * Math.Pow(128, fractionOctets));
        WriteFixedSeptets(output, Math.Min(fraction, (uint)Math.Pow(128, fractionOctets) - 1), fractionOctets);
    }

    private static void WriteFixedSeptets(IBufferWriter<byte> output, uint value, int count)
    {
        var span = output.GetSpan(count);
        for (var i = 0; i < count; i++)
        {
            var shift = 7 * (count - 1 - i);
            span[i] = (byte)(((value >> shift) & 0x7F) | (i < count - 1 ? 0x80u : 0u));
        }

        output.Advance(count);
    }
}
