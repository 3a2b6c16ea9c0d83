using RadioGateway.Protocols.Dmr.Fec;

namespace RadioGateway.Protocols.Dmr.Layer2;

/// <summary>
/// Full LC carried in the embedded signalling of voice bursts B–E (TS 102 361-1 §B.2.1): 72 LC bits and a
/// 5-bit checksum (§B.3.11) in a 7 × 16 matrix, rows Hamming(16,11,4), an 8th row of column parity,
/// transmitted column by column as four 32-bit fragments.
/// </summary>
public static class EmbeddedLinkControl
{
    private const int Rows = 8;
    private const int Columns = 16;

    /// <summary>The four fragments (bursts B, C, D, E) carrying <paramref name="lc"/>.</summary>
    public static uint[] Encode(FullLinkControl lc)
    {
        ArgumentNullException.ThrowIfNull(lc);
        Span<bool> matrix = stackalloc bool[Rows * Columns];
        var bit = 0;
        for (var row = 0; row < 7; row++)
        {
            var dataColumns = row < 2 ? 11 : 10;
            for (var column = 0; column < dataColumns; column++)
            {
                matrix[(row * Columns) + column] = BitBuffer.Get(lc.Bytes, bit++);
            }
        }

        var checksum = Checksum(lc.Bytes);
        for (var i = 0; i < 5; i++)
        {
            // Rows 3–7 (1-based) carry the checksum, most significant bit first.
            matrix[((2 + i) * Columns) + 10] = ((checksum >> (4 - i)) & 1) != 0;
        }

        for (var row = 0; row < 7; row++)
        {
            var word = DmrCodes.Hamming16114.Encode(ReadRow(matrix, row, 11));
            WriteRow(matrix, row, word);
        }

        for (var column = 0; column < Columns; column++)
        {
            var parity = false;
            for (var row = 0; row < 7; row++)
            {
                parity ^= matrix[(row * Columns) + column];
            }

            matrix[(7 * Columns) + column] = parity;
        }

        var fragments = new uint[4];
        for (var position = 0; position < Rows * Columns; position++)
        {
            // On air, bits are sent column by column: position = column × 8 + row.
            var column = position / Rows;
            var row = position % Rows;
            if (matrix[(row * Columns) + column])
            {
                fragments[position / 32] |= 1u << (31 - (position % 32));
            }
        }

        return fragments;
    }

    /// <summary>Decodes four fragments (B, C, D, E order) into the LC, or null with the reason.</summary>
    public static FullLinkControl? Decode(ReadOnlySpan<uint> fragments, out int correctedBits, out string? error)
    {
        correctedBits = 0;
        error = null;
        if (fragments.Length != 4)
        {
            error = $"embedded LC needs 4 fragments, got {fragments.Length}";
            return null;
        }

        Span<bool> matrix = stackalloc bool[Rows * Columns];
        for (var position = 0; position < Rows * Columns; position++)
        {
            var column = position / Rows;
            var row = position % Rows;
            matrix[(row * Columns) + column] = ((fragments[position / 32] >> (31 - (position % 32))) & 1) != 0;
        }

        for (var row = 0; row < 7; row++)
        {
            var result = DmrCodes.Hamming16114.Decode(ReadRow(matrix, row, Columns));
            if (!result.Valid)
            {
                error = $"Hamming(16,11,4) row {row + 1} has more than one bit error";
                return null;
            }

            correctedBits += result.CorrectedBits;
            WriteRow(matrix, row, DmrCodes.Hamming16114.Encode(result.Data));
        }

        for (var column = 0; column < Columns; column++)
        {
            var parity = false;
            for (var row = 0; row < Rows; row++)
            {
                parity ^= matrix[(row * Columns) + column];
            }

            if (parity)
            {
                error = $"column {column + 1} parity fails";
                return null;
            }
        }

        Span<byte> bytes = stackalloc byte[FullLinkControl.Length];
        bytes.Clear();
        var bit = 0;
        for (var row = 0; row < 7; row++)
        {
            var dataColumns = row < 2 ? 11 : 10;
            for (var column = 0; column < dataColumns; column++)
            {
                BitBuffer.Set(bytes, bit++, matrix[(row * Columns) + column]);
            }
        }

        var checksum = 0;
        for (var i = 0; i < 5; i++)
        {
            checksum = (checksum << 1) | (matrix[((2 + i) * Columns) + 10] ? 1 : 0);
        }

        if (checksum != Checksum(bytes))
        {
            error = $"5-bit checksum {checksum} does not match {Checksum(bytes)}";
            return null;
        }

        return new FullLinkControl(bytes);
    }

    /// <summary>TS 102 361-1 §B.3.11: sum of the nine LC octets modulo 31.</summary>
    public static int Checksum(ReadOnlySpan<byte> lc)
    {
        var sum = 0;
        foreach (var b in lc[..FullLinkControl.Length])
        {
            sum += b;
        }

        return sum % 31;
    }

    private static uint ReadRow(ReadOnlySpan<bool> matrix, int row, int count)
    {
        uint value = 0;
        for (var column = 0; column < count; column++)
        {
            value = (value << 1) | (matrix[(row * Columns) + column] ? 1u : 0u);
        }

        return value;
    }

    private static void WriteRow(Span<bool> matrix, int row, uint word)
    {
        for (var column = 0; column < Columns; column++)
        {
            matrix[(row * Columns) + column] = ((word >> (Columns - 1 - column)) & 1) != 0;
        }
    }
}

/// <summary>
/// Collects embedded signalling fragments of consecutive voice bursts by their LCSS (first, continuation,
/// continuation, last) and yields the link control when four arrive in order.
/// </summary>
public sealed class EmbeddedLcAssembler
{
    private readonly uint[] _fragments = new uint[4];
    private int _count;

    /// <summary>Adds one fragment; returns the LC when this completes a valid one.</summary>
    public FullLinkControl? Add(Lcss lcss, uint fragment, out string? error)
    {
        error = null;
        switch (lcss)
        {
            case Lcss.FirstFragment:
                _fragments[0] = fragment;
                _count = 1;
                return null;
            case Lcss.Continuation when _count is 1 or 2:
                _fragments[_count++] = fragment;
                return null;
            case Lcss.LastFragment when _count == 3:
                _fragments[3] = fragment;
                _count = 0;
                return EmbeddedLinkControl.Decode(_fragments, out _, out error);
            default:
                // Single fragments (null or reverse channel) and out-of-order pieces restart assembly.
                _count = 0;
                return null;
        }
    }

    public void Reset() => _count = 0;
}
