using RadioGateway.Protocols.Dmr.Fec;

namespace RadioGateway.Protocols.Tests.Dmr;

/// <summary>
/// BPTC(196,96) of TS 102 361-1 Annex B.1.1: a 13 × 15 product code, every row (the four column-parity rows
/// 10–13 included: they are sums of data rows) a Hamming(15,11,3) word, every column a Hamming(13,9,3) word.
/// One column pass leaves at most one error in every row of any pattern of three errors, so a column pass and
/// a row pass over all 13 rows repair every pattern of up to three errors. Syndrome decoding is linear, so the
/// outcome depends only on the error pattern, not on the data.
/// </summary>
public sealed class Bptc19696Tests
{
    private const int Bits = Bptc19696.EncodedBits;

    public static TheoryData<int> ErrorCounts => new() { 1, 2, 3 };

    [Theory]
    [MemberData(nameof(ErrorCounts))]
    public void Every_pattern_of_up_to_three_bit_errors_is_corrected(int errors)
    {
        var data = new byte[Bptc19696.DataBytes];
        new Random(errors).NextBytes(data);
        var encoded = new byte[25];
        Bptc19696.Encode(data, encoded);
        var decoded = new byte[Bptc19696.DataBytes];
        var damaged = new byte[25];
        var refused = new List<string>();
        foreach (var pattern in Patterns(errors))
        {
            encoded.CopyTo(damaged, 0);
            foreach (var bit in pattern)
            {
                damaged[bit >> 3] ^= (byte)(0x80 >> (bit & 7));
            }

            var corrected = Bptc19696.Decode(damaged, decoded);
            if (corrected < 0 || !decoded.AsSpan().SequenceEqual(data))
            {
                refused.Add(string.Join('+', pattern));
            }
        }

        Assert.True(refused.Count == 0, $"{refused.Count} patterns of {errors} on-air bit errors not corrected, e.g. {string.Join(", ", refused.Take(5))}");
    }

    [Fact]
    public void Errors_in_the_column_parity_rows_alone_are_corrected_by_their_rows()
    {
        // Two errors in one column of parity rows 10 and 11 and a third in row 10: the column decoder cannot
        // place two errors, the row decoder of rows 10 and 11 can (matrix index = 1 + row × 15 + column).
        var data = new byte[Bptc19696.DataBytes];
        var encoded = new byte[25];
        Bptc19696.Encode(data, encoded);
        foreach (var index in new[] { 1 + (9 * 15) + 4, 1 + (10 * 15) + 4, 1 + (9 * 15) + 7 })
        {
            var position = index * 181 % Bits;
            encoded[position >> 3] ^= (byte)(0x80 >> (position & 7));
        }

        var decoded = new byte[Bptc19696.DataBytes];
        Assert.True(Bptc19696.Decode(encoded, decoded) >= 0);
        Assert.Equal(data, decoded);
    }

    private static IEnumerable<int[]> Patterns(int errors)
    {
        for (var a = 0; a < Bits; a++)
        {
            if (errors == 1)
            {
                yield return [a];
                continue;
            }

            for (var b = a + 1; b < Bits; b++)
            {
                if (errors == 2)
                {
                    yield return [a, b];
                    continue;
                }

                for (var c = b + 1; c < Bits; c++)
                {
                    yield return [a, b, c];
                }
            }
        }
    }
}
