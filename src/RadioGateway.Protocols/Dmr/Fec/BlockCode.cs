using System.Numerics;

namespace RadioGateway.Protocols.Dmr.Fec;

/// <summary>Outcome of decoding one codeword.</summary>
/// <param name="Data">The data bits (corrected where possible).</param>
/// <param name="CorrectedBits">How many bit errors were corrected.</param>
/// <param name="Valid">False when the errors exceed what the code corrects.</param>
public readonly record struct BlockDecodeResult(uint Data, int CorrectedBits, bool Valid);

/// <summary>
/// A systematic binary block code (n, k) given by the parity part of its generator matrix, decoded by
/// syndrome table up to <see cref="CorrectableErrors"/> bit errors. Codewords are numbers whose most
/// significant of n bits is the first bit on air: data bits first, then parity. Encoding and decoding are two
/// table lookups: the parity of every data word (k ≤ 16) and the error pattern of every syndrome.
/// </summary>
public sealed class BlockCode
{
    private const int MaxTableBits = 16;

    private readonly uint[] _parityByData;
    private readonly uint[] _errorBySyndrome;
    private readonly uint _parityMask;

    /// <param name="parityRows">For each data bit, first (most significant) bit first, the parity bits it contributes, as a string of 0/1.</param>
    public BlockCode(string name, int correctableErrors, params string[] parityRows)
    {
        ArgumentNullException.ThrowIfNull(parityRows);
        Name = name;
        DataBits = parityRows.Length;
        ParityBits = parityRows[0].Length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DataBits, MaxTableBits, nameof(parityRows));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ParityBits, MaxTableBits, nameof(parityRows));
        Length = DataBits + ParityBits;
        CorrectableErrors = correctableErrors;
        _parityMask = (1u << ParityBits) - 1;
        var rows = parityRows.Select(r => Convert.ToUInt32(r, 2)).ToArray();
        _parityByData = new uint[1 << DataBits];
        for (var data = 1; data < _parityByData.Length; data++)
        {
            // The parity of a word is that of the word without its lowest set bit, plus that bit's row.
            var lowest = BitOperations.TrailingZeroCount(data);
            _parityByData[data] = _parityByData[data & (data - 1)] ^ rows[DataBits - 1 - lowest];
        }

        _errorBySyndrome = new uint[1 << ParityBits];
        for (var weight = 1; weight <= correctableErrors; weight++)
        {
            AddPatterns(0, weight, 0);
        }
    }

    public string Name { get; }

    public int Length { get; }

    public int DataBits { get; }

    public int ParityBits { get; }

    public int CorrectableErrors { get; }

    /// <summary>Parity bits of <paramref name="data"/>.</summary>
    public uint Parity(uint data) => _parityByData[data & ((1u << DataBits) - 1)];

    /// <summary>The whole codeword for <paramref name="data"/>.</summary>
    public uint Encode(uint data) => (data << ParityBits) | Parity(data);

    /// <summary>Corrects up to <see cref="CorrectableErrors"/> bit errors in <paramref name="codeword"/>.</summary>
    public BlockDecodeResult Decode(uint codeword)
    {
        var syndrome = Syndrome(codeword);
        if (syndrome == 0)
        {
            return new BlockDecodeResult(codeword >> ParityBits, 0, true);
        }

        var error = _errorBySyndrome[syndrome];
        return error != 0
            ? new BlockDecodeResult((codeword ^ error) >> ParityBits, BitOperations.PopCount(error), true)
            : new BlockDecodeResult(codeword >> ParityBits, 0, false);
    }

    /// <summary>The syndrome of <paramref name="codeword"/>: 0 for a codeword.</summary>
    internal uint Syndrome(uint codeword) => _parityByData[(codeword >> ParityBits) & ((1u << DataBits) - 1)] ^ (codeword & _parityMask);

    /// <summary>The error pattern (a codeword-sized mask) the decoder corrects for <paramref name="syndrome"/>; 0 when none.</summary>
    internal uint ErrorFor(uint syndrome) => _errorBySyndrome[syndrome];

    /// <summary>Enters every pattern of exactly <paramref name="remaining"/> more bits above <paramref name="from"/>; lighter patterns were entered first and keep their syndromes.</summary>
    private void AddPatterns(uint pattern, int remaining, int from)
    {
        if (remaining == 0)
        {
            var syndrome = Syndrome(pattern);
            if (_errorBySyndrome[syndrome] == 0)
            {
                _errorBySyndrome[syndrome] = pattern;
            }

            return;
        }

        for (var bit = from; bit < Length; bit++)
        {
            AddPatterns(pattern | (1u << bit), remaining - 1, bit + 1);
        }
    }
}

/// <summary>The block codes of TS 102 361-1 Annex B (generator matrices of B.3.1, B.3.2, B.3.4).</summary>
public static class DmrCodes
{
    /// <summary>Golay (20,8,7) protecting the slot type (B.3.1); corrects 3 bit errors.</summary>
    public static BlockCode Golay2087 { get; } = new(
        "Golay(20,8,7)",
        3,
        "001111011010",
        "110110011001",
        "011011001101",
        "001101100111",
        "110111000110",
        "101010010111",
        "100100111110",
        "100011101011");

    /// <summary>Quadratic residue (16,7,6) protecting the EMB (B.3.2); corrects 2 bit errors.</summary>
    public static BlockCode QuadraticResidue1676 { get; } = new(
        "QR(16,7,6)",
        2,
        "001001111",
        "100011110",
        "110110111",
        "111100010",
        "111001001",
        "011100101",
        "001110011");

    /// <summary>Hamming (15,11,3), BPTC(196,96) rows (B.3.4).</summary>
    public static BlockCode Hamming15113 { get; } = new(
        "Hamming(15,11,3)",
        1,
        "1001", "1101", "1111", "1110", "0111", "1010", "0101", "1011", "1100", "0110", "0011");

    /// <summary>Hamming (13,9,3), BPTC(196,96) columns (B.3.4).</summary>
    public static BlockCode Hamming1393 { get; } = new(
        "Hamming(13,9,3)",
        1,
        "1111", "1110", "0111", "1010", "0101", "1011", "1100", "0110", "0011");

    /// <summary>Hamming (16,11,4), embedded LC rows (B.3.4); corrects 1 and detects 2 bit errors.</summary>
    public static BlockCode Hamming16114 { get; } = new(
        "Hamming(16,11,4)",
        1,
        "10011", "11010", "11111", "11100", "01110", "10101", "01011", "10110", "11001", "01101", "00111");
}
