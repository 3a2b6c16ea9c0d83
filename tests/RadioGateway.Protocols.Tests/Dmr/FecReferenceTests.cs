using System.Numerics;
using RadioGateway.Protocols.Dmr;
using RadioGateway.Protocols.Dmr.Fec;
using RadioGateway.Protocols.Dmr.Layer2;

namespace RadioGateway.Protocols.Tests.Dmr;

/// <summary>
/// The table-driven and bit-packed decoders against straightforward bit-by-bit references written from
/// TS 102 361-1 Annex B (generator matrices of B.3.1, B.3.2, B.3.4; BPTC(196,96) of B.1.1; embedded LC of
/// B.2.1): the same answer on every input where that is cheap, on many random inputs elsewhere.
/// </summary>
public sealed class FecReferenceTests
{
    public static TheoryData<string, int, string[]> Codes => new()
    {
        { nameof(DmrCodes.Golay2087), 3, ["001111011010", "110110011001", "011011001101", "001101100111", "110111000110", "101010010111", "100100111110", "100011101011"] },
        { nameof(DmrCodes.QuadraticResidue1676), 2, ["001001111", "100011110", "110110111", "111100010", "111001001", "011100101", "001110011"] },
        { nameof(DmrCodes.Hamming15113), 1, ["1001", "1101", "1111", "1110", "0111", "1010", "0101", "1011", "1100", "0110", "0011"] },
        { nameof(DmrCodes.Hamming1393), 1, ["1111", "1110", "0111", "1010", "0101", "1011", "1100", "0110", "0011"] },
        { nameof(DmrCodes.Hamming16114), 1, ["10011", "11010", "11111", "11100", "01110", "10101", "01011", "10110", "11001", "01101", "00111"] },
    };

    [Theory]
    [MemberData(nameof(Codes))]
    public void Table_decoding_equals_the_reference_on_every_received_word(string name, int correctable, string[] parityRows)
    {
        var code = (BlockCode)typeof(DmrCodes).GetProperty(name)!.GetValue(null)!;
        var reference = new ReferenceBlockCode(correctable, parityRows);
        for (uint data = 0; data < 1u << code.DataBits; data++)
        {
            Assert.Equal(reference.Encode(data), code.Encode(data));
        }

        for (uint word = 0; word < 1u << code.Length; word++)
        {
            var expected = reference.Decode(word);
            var actual = code.Decode(word);
            if (expected != actual)
            {
                Assert.Fail($"{code.Name}: word {word:X} decodes to {actual}, the reference to {expected}");
            }
        }
    }

    [Fact]
    public void Bit_packed_bptc_equals_the_reference_on_random_and_damaged_fields()
    {
        var random = new Random(196);
        var data = new byte[Bptc19696.DataBytes];
        var encoded = new byte[Bptc19696.EncodedBytes];
        var expectedData = new byte[Bptc19696.DataBytes];
        var actualData = new byte[Bptc19696.DataBytes];
        for (var trial = 0; trial < 20_000; trial++)
        {
            random.NextBytes(data);
            Bptc19696.Encode(data, encoded);
            Assert.Equal(ReferenceBptc.Encode(data), encoded);

            // Up to 12 errors, then some wholly random fields.
            if (trial < 18_000)
            {
                for (var e = trial % 13; e > 0; e--)
                {
                    var bit = random.Next(Bptc19696.EncodedBits);
                    encoded[bit >> 3] ^= (byte)(0x80 >> (bit & 7));
                }
            }
            else
            {
                random.NextBytes(encoded);
            }

            var expected = ReferenceBptc.Decode(encoded, expectedData);
            var actual = Bptc19696.Decode(encoded, actualData);
            Assert.Equal(expected, actual);
            Assert.Equal(expectedData, actualData);
        }
    }

    [Fact]
    public void Bit_packed_embedded_lc_equals_the_reference_on_damaged_fragments()
    {
        var random = new Random(16114);
        var lcBytes = new byte[FullLinkControl.Length];
        var decoded = new byte[FullLinkControl.Length];
        for (var trial = 0; trial < 20_000; trial++)
        {
            random.NextBytes(lcBytes);
            var fragments = EmbeddedLinkControl.Encode(new FullLinkControl(lcBytes));
            for (var e = trial % 4; e > 0; e--)
            {
                fragments[random.Next(4)] ^= 1u << random.Next(32);
            }

            var expected = ReferenceEmbeddedLc.Decode(fragments, out var expectedCorrected, out var expectedError);
            var ok = EmbeddedLinkControl.TryDecode(fragments, decoded, out var corrected, out var error);
            Assert.Equal(expected is not null, ok);
            Assert.Equal(expectedError, error);
            if (ok)
            {
                Assert.Equal(expected, decoded);
                Assert.Equal(expectedCorrected, corrected);
            }
        }
    }

    [Fact]
    public void Octet_wise_burst_fields_equal_the_bit_by_bit_reference()
    {
        var random = new Random(264);
        var burst = new byte[DmrBurst.Length];
        var info = new byte[DmrBurst.InfoBytes];
        for (var trial = 0; trial < 5_000; trial++)
        {
            random.NextBytes(burst);
            DmrBurst.ReadInfoBits(burst, info);
            var expectedInfo = new byte[DmrBurst.InfoBytes];
            for (var i = 0; i < 98; i++)
            {
                BitBuffer.Set(expectedInfo, i, BitBuffer.Get(burst, i));
                BitBuffer.Set(expectedInfo, 98 + i, BitBuffer.Get(burst, 166 + i));
            }

            Assert.Equal(expectedInfo, info);

            var written = new byte[DmrBurst.Length];
            random.NextBytes(written);
            var expectedBurst = written.ToArray();
            for (var i = 0; i < 98; i++)
            {
                BitBuffer.Set(expectedBurst, i, BitBuffer.Get(info, i));
                BitBuffer.Set(expectedBurst, 166 + i, BitBuffer.Get(info, 98 + i));
            }

            DmrBurst.WriteInfoBits(written, info);
            Assert.Equal(expectedBurst, written);

            Assert.Equal(BitBuffer.Read(burst, 116, 32), DmrBurst.ReadEmbeddedFragment(burst));
            DmrBurst.TryReadSlotType(burst, out var colour, out var dataType, out var slotTypeErrors);
            var slotType = DmrCodes.Golay2087.Decode((BitBuffer.Read(burst, 98, 10) << 10) | BitBuffer.Read(burst, 156, 10));
            Assert.Equal(((byte)(slotType.Data >> 4), (DmrDataType)(slotType.Data & 0x0F), slotType.CorrectedBits), (colour, dataType, slotTypeErrors));
            DmrBurst.TryReadEmb(burst, out var emb, out _);
            var embWord = DmrCodes.QuadraticResidue1676.Decode((BitBuffer.Read(burst, 108, 8) << 8) | BitBuffer.Read(burst, 148, 8));
            Assert.Equal((byte)(embWord.Data >> 3), emb.ColourCode);
        }

        foreach (var pattern in Enum.GetValues<DmrSyncPattern>().Where(p => p != DmrSyncPattern.None))
        {
            random.NextBytes(burst);
            DmrBurst.WriteSync(burst, pattern);
            Assert.Equal(pattern, DmrBurst.FindSync(burst));
        }
    }

    [Fact]
    public void Table_reed_solomon_equals_the_reference_on_every_single_byte_error_and_random_words()
    {
        var random = new Random(129);
        var codeword = new byte[12];
        for (var trial = 0; trial < 200; trial++)
        {
            random.NextBytes(codeword.AsSpan(0, 9));
            ReedSolomon129.Encode(codeword.AsSpan(0, 9), codeword.AsSpan(9), ReedSolomon129.TerminatorWithLcMask);
            for (var position = 0; position < 12; position++)
            {
                var damaged = codeword.ToArray();
                damaged[position] ^= (byte)(1 + random.Next(255));
                var reference = damaged.ToArray();
                Assert.Equal(ReferenceReedSolomon.Decode(reference, ReedSolomon129.TerminatorWithLcMask), ReedSolomon129.Decode(damaged, ReedSolomon129.TerminatorWithLcMask));
                Assert.Equal(reference, damaged);
            }

            var noise = new byte[12];
            random.NextBytes(noise);
            var noiseReference = noise.ToArray();
            Assert.Equal(ReferenceReedSolomon.Decode(noiseReference, ReedSolomon129.VoiceLcHeaderMask), ReedSolomon129.Decode(noise, ReedSolomon129.VoiceLcHeaderMask));
            Assert.Equal(noiseReference, noise);
        }
    }

    /// <summary>Syndrome decoding with the parity computed row by row and a dictionary of syndromes.</summary>
    private sealed class ReferenceBlockCode
    {
        private readonly uint[] _rows;
        private readonly int _parityBits;
        private readonly int _length;
        private readonly Dictionary<uint, uint> _errors = [];

        public ReferenceBlockCode(int correctable, string[] parityRows)
        {
            _rows = parityRows.Select(r => Convert.ToUInt32(r, 2)).ToArray();
            _parityBits = parityRows[0].Length;
            _length = _rows.Length + _parityBits;
            foreach (var pattern in Patterns(correctable).OrderBy(BitOperations.PopCount))
            {
                _errors.TryAdd(Syndrome(pattern), pattern);
            }
        }

        public uint Encode(uint data) => (data << _parityBits) | Parity(data);

        public BlockDecodeResult Decode(uint word)
        {
            var syndrome = Syndrome(word);
            if (syndrome == 0)
            {
                return new BlockDecodeResult(word >> _parityBits, 0, true);
            }

            return _errors.TryGetValue(syndrome, out var error)
                ? new BlockDecodeResult((word ^ error) >> _parityBits, BitOperations.PopCount(error), true)
                : new BlockDecodeResult(word >> _parityBits, 0, false);
        }

        private uint Parity(uint data)
        {
            uint parity = 0;
            for (var i = 0; i < _rows.Length; i++)
            {
                if (((data >> (_rows.Length - 1 - i)) & 1) != 0)
                {
                    parity ^= _rows[i];
                }
            }

            return parity;
        }

        private uint Syndrome(uint word) => Parity(word >> _parityBits) ^ (word & ((1u << _parityBits) - 1));

        private IEnumerable<uint> Patterns(int maxWeight)
        {
            for (uint pattern = 1; pattern < 1u << _length; pattern++)
            {
                if (BitOperations.PopCount(pattern) <= maxWeight)
                {
                    yield return pattern;
                }
            }
        }
    }

    /// <summary>BPTC(196,96) one bit at a time in a bool matrix: columns, then all 13 rows, up to three passes.</summary>
    private static class ReferenceBptc
    {
        public static byte[] Encode(byte[] data)
        {
            var matrix = new bool[196];
            var bit = 0;
            for (var index = 4; index < 196 && bit < 96; index++)
            {
                if ((index - 1) / 15 < 9 && (index - 1) % 15 < 11)
                {
                    matrix[index] = BitBuffer.Get(data, bit++);
                }
            }

            for (var row = 0; row < 9; row++)
            {
                Write(matrix, row, 0, 1, 15, DmrCodes.Hamming15113.Encode(Read(matrix, row, 0, 1, 11)));
            }

            for (var column = 0; column < 15; column++)
            {
                Write(matrix, 0, column, 15, 13, DmrCodes.Hamming1393.Encode(Read(matrix, 0, column, 15, 9)));
            }

            var encoded = new byte[25];
            for (var i = 0; i < 196; i++)
            {
                BitBuffer.Set(encoded, i * 181 % 196, matrix[i]);
            }

            return encoded;
        }

        public static int Decode(byte[] encoded, byte[] data)
        {
            var matrix = new bool[196];
            for (var i = 0; i < 196; i++)
            {
                matrix[i] = BitBuffer.Get(encoded, i * 181 % 196);
            }

            var corrected = 0;
            var consistent = false;
            for (var pass = 0; pass < 3 && !consistent; pass++)
            {
                consistent = true;
                for (var column = 0; column < 15; column++)
                {
                    var result = DmrCodes.Hamming1393.Decode(Read(matrix, 0, column, 15, 13));
                    consistent &= result.Valid && result.CorrectedBits == 0;
                    if (result.CorrectedBits > 0)
                    {
                        Write(matrix, 0, column, 15, 13, DmrCodes.Hamming1393.Encode(result.Data));
                        corrected += result.CorrectedBits;
                    }
                }

                for (var row = 0; row < 13; row++)
                {
                    var result = DmrCodes.Hamming15113.Decode(Read(matrix, row, 0, 1, 15));
                    consistent &= result.Valid && result.CorrectedBits == 0;
                    if (result.CorrectedBits > 0)
                    {
                        Write(matrix, row, 0, 1, 15, DmrCodes.Hamming15113.Encode(result.Data));
                        corrected += result.CorrectedBits;
                    }
                }
            }

            Array.Clear(data);
            var bit = 0;
            for (var index = 4; index < 196 && bit < 96; index++)
            {
                if ((index - 1) / 15 < 9 && (index - 1) % 15 < 11)
                {
                    BitBuffer.Set(data, bit++, matrix[index]);
                }
            }

            return consistent ? corrected : -1;
        }

        private static uint Read(bool[] matrix, int row, int column, int step, int count)
        {
            uint value = 0;
            for (var i = 0; i < count; i++)
            {
                value = (value << 1) | (matrix[1 + (row * 15) + column + (i * step)] ? 1u : 0u);
            }

            return value;
        }

        private static void Write(bool[] matrix, int row, int column, int step, int count, uint word)
        {
            for (var i = 0; i < count; i++)
            {
                matrix[1 + (row * 15) + column + (i * step)] = ((word >> (count - 1 - i)) & 1) != 0;
            }
        }
    }

    /// <summary>Embedded LC one bit at a time: deinterleave column by column, Hamming(16,11,4) rows, column parity, checksum.</summary>
    private static class ReferenceEmbeddedLc
    {
        public static byte[]? Decode(uint[] fragments, out int corrected, out string? error)
        {
            corrected = 0;
            error = null;
            var matrix = new bool[128];
            for (var position = 0; position < 128; position++)
            {
                matrix[(position % 8 * 16) + (position / 8)] = ((fragments[position / 32] >> (31 - (position % 32))) & 1) != 0;
            }

            for (var row = 0; row < 7; row++)
            {
                uint word = 0;
                for (var column = 0; column < 16; column++)
                {
                    word = (word << 1) | (matrix[(row * 16) + column] ? 1u : 0u);
                }

                var result = DmrCodes.Hamming16114.Decode(word);
                if (!result.Valid)
                {
                    error = $"Hamming(16,11,4) row {row + 1} has more than one bit error";
                    return null;
                }

                corrected += result.CorrectedBits;
                var fixedWord = DmrCodes.Hamming16114.Encode(result.Data);
                for (var column = 0; column < 16; column++)
                {
                    matrix[(row * 16) + column] = ((fixedWord >> (15 - column)) & 1) != 0;
                }
            }

            for (var column = 0; column < 16; column++)
            {
                var parity = false;
                for (var row = 0; row < 8; row++)
                {
                    parity ^= matrix[(row * 16) + column];
                }

                if (parity)
                {
                    error = $"column {column + 1} parity fails";
                    return null;
                }
            }

            var bytes = new byte[9];
            var bit = 0;
            for (var row = 0; row < 7; row++)
            {
                for (var column = 0; column < (row < 2 ? 11 : 10); column++)
                {
                    BitBuffer.Set(bytes, bit++, matrix[(row * 16) + column]);
                }
            }

            var checksum = 0;
            for (var i = 0; i < 5; i++)
            {
                checksum = (checksum << 1) | (matrix[((2 + i) * 16) + 10] ? 1 : 0);
            }

            var expected = EmbeddedLinkControl.Checksum(bytes);
            if (checksum != expected)
            {
                error = $"5-bit checksum {checksum} does not match {expected}";
                return null;
            }

            return bytes;
        }
    }

    /// <summary>RS(12,9) syndromes by field multiplication through log/antilog, one error located from S1, S2, S3.</summary>
    private static class ReferenceReedSolomon
    {
        private static readonly byte[] Exp = new byte[512];
        private static readonly byte[] Log = new byte[256];

        static ReferenceReedSolomon()
        {
            var value = 1;
            for (var i = 0; i < 255; i++)
            {
                Exp[i] = Exp[i + 255] = (byte)value;
                Log[value] = (byte)i;
                value = (value << 1) ^ ((value & 0x80) != 0 ? 0x11D : 0);
            }
        }

        public static int Decode(byte[] codeword, byte mask)
        {
            var word = codeword.ToArray();
            word[9] ^= mask;
            word[10] ^= mask;
            word[11] ^= mask;
            var syndrome = new byte[3];
            for (var i = 1; i <= 3; i++)
            {
                byte s = 0;
                foreach (var symbol in word)
                {
                    s = (byte)(Multiply(s, Exp[i]) ^ symbol);
                }

                syndrome[i - 1] = s;
            }

            if (syndrome.All(s => s == 0))
            {
                return 0;
            }

            if (syndrome[0] == 0 || syndrome[1] == 0)
            {
                return -1;
            }

            var power = (Log[syndrome[1]] - Log[syndrome[0]] + 255) % 255;
            if (power > 11 || Multiply(syndrome[1], Exp[power]) != syndrome[2])
            {
                return -1;
            }

            codeword[11 - power] ^= Exp[(Log[syndrome[0]] - power + 255) % 255];
            return 1;
        }

        private static byte Multiply(byte a, byte b) => a == 0 || b == 0 ? (byte)0 : Exp[Log[a] + Log[b]];
    }
}
