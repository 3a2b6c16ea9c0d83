using RadioGateway.Protocols.Dmr.Fec;

namespace RadioGateway.Protocols.Tests.Dmr;

public sealed class FecTests
{
    // Valid Golay(20,8,7) words, OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/fec/test_golay_20_8_7.py
    [Theory]
    [InlineData("01010100010001101001")]
    [InlineData("11011110001101001011")]
    [InlineData("11111111110101101101")]
    [InlineData("00000010100100111110")]
    public void Golay2087_encodes_the_public_vectors(string word)
    {
        var codeword = Convert.ToUInt32(word, 2);

        Assert.Equal(codeword, DmrCodes.Golay2087.Encode(codeword >> 12));
    }

    public static TheoryData<string, int> CorrectingCodes() => new()
    {
        { nameof(DmrCodes.Golay2087), 3 },
        { nameof(DmrCodes.QuadraticResidue1676), 2 },
        { nameof(DmrCodes.Hamming15113), 1 },
        { nameof(DmrCodes.Hamming1393), 1 },
        { nameof(DmrCodes.Hamming16114), 1 },
    };

    private static BlockCode CodeNamed(string name) => (BlockCode)typeof(DmrCodes).GetProperty(name)!.GetValue(null)!;

    [Theory]
    [MemberData(nameof(CorrectingCodes))]
    public void Every_error_pattern_up_to_the_limit_is_corrected_for_every_data_word(string name, int limit)
    {
        var code = CodeNamed(name);
        for (uint data = 0; data < 1u << code.DataBits; data += code.DataBits > 8 ? 37u : 1u)
        {
            var codeword = code.Encode(data);
            foreach (var pattern in ErrorPatterns(code.Length, limit))
            {
                var result = code.Decode(codeword ^ pattern);
                Assert.True(result.Valid, $"{code.Name}: data {data} pattern {pattern:X}");
                Assert.Equal(data, result.Data);
                Assert.Equal(System.Numerics.BitOperations.PopCount(pattern), result.CorrectedBits);
            }
        }
    }

    [Theory]
    [InlineData(nameof(DmrCodes.QuadraticResidue1676), 3)]
    [InlineData(nameof(DmrCodes.Hamming16114), 2)]
    public void Errors_beyond_the_limit_are_detected_where_the_distance_allows(string name, int errors)
    {
        var code = CodeNamed(name);
        for (uint data = 0; data < 1u << code.DataBits; data += 13)
        {
            var codeword = code.Encode(data);
            foreach (var pattern in ErrorPatterns(code.Length, errors).Where(p => System.Numerics.BitOperations.PopCount(p) == errors))
            {
                Assert.False(code.Decode(codeword ^ pattern).Valid, $"{code.Name}: data {data} pattern {pattern:X}");
            }
        }
    }

    [Fact]
    public void Bptc19696_round_trips_and_corrects_one_error_per_row()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 50; trial++)
        {
            var data = new byte[12];
            random.NextBytes(data);
            var encoded = new byte[25];
            Bptc19696.Encode(data, encoded);
            for (var i = 0; i < 9; i++)
            {
                // one bit in each of nine different rows: deinterleaved index 1 + row×15 + column
                var index = 1 + (i * 15) + ((i * 4) % 15);
                var position = index * 181 % 196;
                encoded[position >> 3] ^= (byte)(0x80 >> (position & 7));
            }

            var decoded = new byte[12];
            Assert.Equal(9, Bptc19696.Decode(encoded, decoded));
            Assert.Equal(data, decoded);
        }
    }

    [Fact]
    public void Bptc19696_reports_a_field_it_cannot_correct()
    {
        var encoded = new byte[25];
        Bptc19696.Encode(new byte[12], encoded);
        // Four errors in one row and one column block: beyond row and column Hamming.
        foreach (var index in new[] { 16, 17, 31, 32 })
        {
            var position = index * 181 % 196;
            encoded[position >> 3] ^= (byte)(0x80 >> (position & 7));
        }

        Assert.Equal(-1, Bptc19696.Decode(encoded, new byte[12]));
    }

    [Fact]
    public void ReedSolomon129_corrects_any_one_wrong_byte_and_rejects_two()
    {
        byte[] lc = [0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x20, 0xBA, 0xEF];
        var codeword = new byte[12];
        lc.CopyTo(codeword, 0);
        ReedSolomon129.Encode(lc, codeword.AsSpan(9), ReedSolomon129.VoiceLcHeaderMask);
        Assert.Equal(0, ReedSolomon129.Decode(codeword.ToArray(), ReedSolomon129.VoiceLcHeaderMask));

        for (var position = 0; position < 12; position++)
        {
            var damaged = codeword.ToArray();
            damaged[position] ^= 0x5A;
            Assert.Equal(1, ReedSolomon129.Decode(damaged, ReedSolomon129.VoiceLcHeaderMask));
            Assert.Equal(codeword, damaged);
        }

        var twice = codeword.ToArray();
        twice[1] ^= 0x01;
        twice[7] ^= 0x80;
        Assert.Equal(-1, ReedSolomon129.Decode(twice, ReedSolomon129.VoiceLcHeaderMask));
        Assert.NotEqual(0, ReedSolomon129.Decode(codeword.ToArray(), ReedSolomon129.TerminatorWithLcMask));
    }

    private static IEnumerable<uint> ErrorPatterns(int length, int maxWeight)
    {
        IEnumerable<uint> Build(uint pattern, int weight, int from)
        {
            if (weight > 0)
            {
                yield return pattern;
            }

            if (weight == maxWeight)
            {
                yield break;
            }

            for (var bit = from; bit < length; bit++)
            {
                foreach (var p in Build(pattern | (1u << bit), weight + 1, bit + 1))
                {
                    yield return p;
                }
            }
        }

        return Build(0, 0, 0);
    }
}
