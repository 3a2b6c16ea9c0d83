using RadioGateway.Testing;
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

public sealed class Trellis34Tests
{
    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/fec/test_trellis.py TRELLIS_TEST_DATA (196 bits → 18 octets)
    public static TheoryData<string, string> PublicBlocks => new()
    {
        { "0010100000101111111000101011010111010010111111110010001011100010011101100010111100111110110100100111001000101110111110100001001000100010011100101111101100101111001000101001011100100010111101110010", "006200014100480019804a00200054004100" },
        { "0010010011110110110100100011111111100010001101010010001000010010101011101101001001111111110100100110100011100010111100100001001011111010111000101111000001111000001000100100011100101111100001110010", "02f24400590020004d004100520045004b00" },
        { "0010001100100010001000100010001000100010101011000010110111110010001000100010001000100010000100001101011100100010001000100010001000100010101001000000100100100010001000100010001000100010001010100110", "0538000000000000000000000000f486aed8" },
    };

    private static byte[] Bits(string bits)
    {
        var bytes = new byte[Trellis34.EncodedLength];
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i] == '1')
            {
                bytes[i / 8] |= (byte)(0x80 >> (i % 8));
            }
        }

        return bytes;
    }

    [Theory]
    [MemberData(nameof(PublicBlocks))]
    public void Public_blocks_decode_and_encode_byte_for_byte(string encoded, string data)
    {
        var decoded = new byte[Trellis34.DataLength];
        Assert.Equal(0, Trellis34.Decode(Bits(encoded), decoded));
        Assert.Equal(data, Hex.Format(decoded));

        var reencoded = new byte[Trellis34.EncodedLength];
        Trellis34.Encode(decoded, reencoded);
        Assert.Equal(Bits(encoded), reencoded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Scattered_bit_errors_are_corrected_by_the_viterbi_decoder(int errors)
    {
        var random = new Random(errors);
        for (var trial = 0; trial < 50; trial++)
        {
            var data = new byte[Trellis34.DataLength];
            random.NextBytes(data);
            var encoded = new byte[Trellis34.EncodedLength];
            Trellis34.Encode(data, encoded);
            foreach (var bit in Enumerable.Range(0, 196).OrderBy(_ => random.Next()).Take(errors))
            {
                encoded[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            }

            var decoded = new byte[Trellis34.DataLength];
            var metric = Trellis34.Decode(encoded, decoded);

            Assert.True(metric > 0);
            if (errors == 1)
            {
                Assert.Equal(data, decoded);
            }
        }
    }
}
