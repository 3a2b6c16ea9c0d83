namespace RadioGateway.Protocols.Dmr.Fec;

/// <summary>
/// Block product turbo code BPTC(196,96) (TS 102 361-1 §B.1.1): 96 data bits in a 13 × 15 matrix, rows
/// protected by Hamming(15,11,3), columns by Hamming(13,9,3), interleaved by index × 181 mod 196.
/// </summary>
public static class Bptc19696
{
    public const int EncodedBits = 196;
    public const int DataBytes = 12;
    private const int Rows = 13;
    private const int Columns = 15;

    /// <summary>Deinterleaves, corrects and extracts the 96 data bits (12 bytes) from 196 on-air bits.</summary>
    /// <param name="encoded">196 bits, MSB first, in a span of at least 25 bytes.</param>
    /// <returns>Corrected bit count, or -1 when the matrix is not consistent after correction.</returns>
    public static int Decode(ReadOnlySpan<byte> encoded, Span<byte> data)
    {
        Span<bool> matrix = stackalloc bool[EncodedBits];
        for (var i = 0; i < EncodedBits; i++)
        {
            matrix[i] = BitBuffer.Get(encoded, Interleave(i));
        }

        var corrected = 0;
        var consistent = false;
        for (var pass = 0; pass < 3 && !consistent; pass++)
        {
            consistent = true;
            for (var column = 0; column < Columns; column++)
            {
                var fixes = CorrectColumn(matrix, column);
                consistent &= fixes == 0;
                corrected += Math.Max(fixes, 0);
            }

            for (var row = 0; row < 9; row++)
            {
                var fixes = CorrectRow(matrix, row);
                consistent &= fixes == 0;
                corrected += Math.Max(fixes, 0);
            }
        }

        ExtractData(matrix, data);
        return consistent ? corrected : -1;
    }

    /// <summary>Encodes 96 data bits (12 bytes) into 196 interleaved on-air bits.</summary>
    public static void Encode(ReadOnlySpan<byte> data, Span<byte> encoded)
    {
        Span<bool> matrix = stackalloc bool[EncodedBits];
        var bit = 0;
        for (var index = 4; index < EncodedBits && bit < 96; index++)
        {
            var column = (index - 1) % Columns;
            var row = (index - 1) / Columns;
            if (row < 9 && column < 11)
            {
                matrix[index] = BitBuffer.Get(data, bit++);
            }
        }

        for (var row = 0; row < 9; row++)
        {
            var word = DmrCodes.Hamming15113.Encode(ReadRow(matrix, row, 11));
            WriteBits(matrix, row, 0, 1, Columns, word);
        }

        for (var column = 0; column < Columns; column++)
        {
            var word = DmrCodes.Hamming1393.Encode(ReadColumn(matrix, column, 9));
            WriteBits(matrix, 0, column, Columns, Rows, word);
        }

        for (var i = 0; i < EncodedBits; i++)
        {
            BitBuffer.Set(encoded, Interleave(i), matrix[i]);
        }
    }

    private static int Interleave(int index) => index * 181 % EncodedBits;

    private static int Index(int row, int column) => 1 + (row * Columns) + column;

    private static uint ReadRow(ReadOnlySpan<bool> matrix, int row, int count)
    {
        uint value = 0;
        for (var c = 0; c < count; c++)
        {
            value = (value << 1) | (matrix[Index(row, c)] ? 1u : 0u);
        }

        return value;
    }

    private static uint ReadColumn(ReadOnlySpan<bool> matrix, int column, int count)
    {
        uint value = 0;
        for (var r = 0; r < count; r++)
        {
            value = (value << 1) | (matrix[Index(r, column)] ? 1u : 0u);
        }

        return value;
    }

    private static void WriteBits(Span<bool> matrix, int row, int column, int step, int count, uint word)
    {
        var start = Index(row, column);
        for (var i = 0; i < count; i++)
        {
            matrix[start + (i * step)] = ((word >> (count - 1 - i)) & 1) != 0;
        }
    }

    private static int CorrectRow(Span<bool> matrix, int row)
    {
        var word = ReadRow(matrix, row, Columns);
        var result = DmrCodes.Hamming15113.Decode(word);
        if (!result.Valid)
        {
            return -1;
        }

        if (result.CorrectedBits > 0)
        {
            WriteBits(matrix, row, 0, 1, Columns, DmrCodes.Hamming15113.Encode(result.Data));
        }

        return result.CorrectedBits;
    }

    private static int CorrectColumn(Span<bool> matrix, int column)
    {
        var word = ReadColumn(matrix, column, Rows);
        var result = DmrCodes.Hamming1393.Decode(word);
        if (!result.Valid)
        {
            return -1;
        }

        if (result.CorrectedBits > 0)
        {
            WriteBits(matrix, 0, column, Columns, Rows, DmrCodes.Hamming1393.Encode(result.Data));
        }

        return result.CorrectedBits;
    }

    private static void ExtractData(ReadOnlySpan<bool> matrix, Span<byte> data)
    {
        data[..DataBytes].Clear();
        var bit = 0;
        for (var index = 4; index < EncodedBits && bit < 96; index++)
        {
            var column = (index - 1) % Columns;
            var row = (index - 1) / Columns;
            if (row < 9 && column < 11)
            {
                BitBuffer.Set(data, bit++, matrix[index]);
            }
        }
    }
}
