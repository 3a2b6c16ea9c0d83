using System.Buffers.Binary;

namespace RadioGateway.Protocols.Dmr.Fec;

/// <summary>
/// Rate ¾ trellis code of DMR packet data (TS 102 361-1 §B.2): 48 tribits (18 octets) and a flush tribit drive an
/// 8-state encoder to 49 constellation points, sent as 98 interleaved dibits in the 196-bit info field. Decoding
/// is Viterbi over the 8 states, the branch metric being the bit errors between received and expected dibits.
/// </summary>
public static class Trellis34
{
    public const int DataLength = 18;
    public const int EncodedLength = 25; // 196 bits, MSB first

    private const int Points = 49;
    private const int States = 8;

    // TS 102 361-1 Table B.9: interleave schedule of the 98 dibits.
    private static readonly byte[] Interleave =
    [
        0, 1, 8, 9, 16, 17, 24, 25, 32, 33, 40, 41, 48, 49, 56, 57, 64, 65, 72, 73, 80, 81, 88, 89, 96, 97,
        2, 3, 10, 11, 18, 19, 26, 27, 34, 35, 42, 43, 50, 51, 58, 59, 66, 67, 74, 75, 82, 83, 90, 91,
        4, 5, 12, 13, 20, 21, 28, 29, 36, 37, 44, 45, 52, 53, 60, 61, 68, 69, 76, 77, 84, 85, 92, 93,
        6, 7, 14, 15, 22, 23, 30, 31, 38, 39, 46, 47, 54, 55, 62, 63, 70, 71, 78, 79, 86, 87, 94, 95,
    ];

    // TS 102 361-1 Table B.8: constellation point for [state, input tribit]; the next state is the input tribit.
    private static readonly byte[] Transition =
    [
        0, 8, 4, 12, 2, 10, 6, 14,
        4, 12, 2, 10, 6, 14, 0, 8,
        1, 9, 5, 13, 3, 11, 7, 15,
        5, 13, 3, 11, 7, 15, 1, 9,
        3, 11, 7, 15, 1, 9, 5, 13,
        7, 15, 1, 9, 5, 13, 3, 11,
        2, 10, 6, 14, 0, 8, 4, 12,
        6, 14, 0, 8, 4, 12, 2, 10,
    ];

    // TS 102 361-1 Table B.7: the dibit pair (levels +3, +1, −1, −3) of each constellation point.
    private static readonly (sbyte First, sbyte Second)[] Constellation =
    [
        (1, -1), (-1, -1), (3, -3), (-3, -3), (-3, -1), (3, -1), (-1, -3), (1, -3),
        (-3, 3), (3, 3), (-1, 1), (1, 1), (1, 3), (-1, 3), (3, 1), (-3, 1),
    ];

    /// <summary>Decodes 196 bits into 18 octets.</summary>
    /// <returns>Bits the decoder had to correct along its path (0 for a clean block).</returns>
    public static int Decode(ReadOnlySpan<byte> encoded, Span<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(encoded.Length, EncodedLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Length, DataLength);
        Span<byte> dibits = stackalloc byte[Points * 2];
        for (var i = 0; i < dibits.Length; i++)
        {
            // The i-th dibit on air is dibit Interleave[i] of the encoder's sequence.
            dibits[Interleave[i]] = (byte)BitBuffer.Read(encoded, 2 * i, 2);
        }

        Span<byte> tribits = stackalloc byte[Points];
        if (TryFollowCleanPath(dibits, tribits))
        {
            WriteTribits(tribits, data);
            return 0;
        }

        // Viterbi: metric[state] after each point, and the input that led to each state for the traceback.
        Span<int> metric = stackalloc int[States];
        Span<int> next = stackalloc int[States];
        Span<byte> from = stackalloc byte[Points * States];
        metric.Fill(int.MaxValue / 2);
        metric[0] = 0;
        for (var p = 0; p < Points; p++)
        {
            next.Fill(int.MaxValue / 2);
            var (r1, r2) = (dibits[2 * p], dibits[(2 * p) + 1]);
            for (var state = 0; state < States; state++)
            {
                if (metric[state] >= int.MaxValue / 2)
                {
                    continue;
                }

                for (var input = 0; input < States; input++)
                {
                    var (e1, e2) = Constellation[Transition[(state * States) + input]];
                    var cost = metric[state] + BitErrors(r1, e1) + BitErrors(r2, e2);
                    if (cost < next[input])
                    {
                        next[input] = cost;
                        from[(p * States) + input] = (byte)state;
                    }
                }
            }

            next.CopyTo(metric);
        }

        // The flush tribit is 0, so the path ends in state 0.
        var current = 0;
        for (var p = Points - 1; p >= 0; p--)
        {
            tribits[p] = (byte)current;
            current = from[(p * States) + current];
        }

        WriteTribits(tribits, data);
        return metric[0];
    }

    /// <summary>
    /// The path of an error-free block: from state 0 every received point names at most one input (Table B.8 rows
    /// hold 8 distinct points), and the flush tribit must bring it back to 0. False at the first point off the code.
    /// </summary>
    private static bool TryFollowCleanPath(ReadOnlySpan<byte> dibits, Span<byte> tribits)
    {
        var state = 0;
        for (var p = 0; p < Points; p++)
        {
            var input = InputByStateAndPoint[(state << 4) | PointByDibits[(dibits[2 * p] << 2) | dibits[(2 * p) + 1]]];
            if (input < 0)
            {
                return false;
            }

            tribits[p] = (byte)input;
            state = input;
        }

        return state == 0;
    }

    private static void WriteTribits(ReadOnlySpan<byte> tribits, Span<byte> data)
    {
        UInt128 bits = 0;
        for (var t = 0; t < Points - 1; t++)
        {
            bits = (bits << 3) | tribits[t];
        }

        // 48 tribits are 144 bits: the first 16 above the low 128.
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)((tribits[0] << 13) | (tribits[1] << 10) | (tribits[2] << 7) | (tribits[3] << 4) | (tribits[4] << 1) | (tribits[5] >> 2)));
        BinaryPrimitives.WriteUInt128BigEndian(data[2..], bits);
    }

    /// <summary>Encodes 18 octets into 196 bits.</summary>
    public static void Encode(ReadOnlySpan<byte> data, Span<byte> encoded)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Length, DataLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(encoded.Length, EncodedLength);
        Span<sbyte> dibits = stackalloc sbyte[Points * 2];
        var state = 0;
        for (var p = 0; p < Points; p++)
        {
            var tribit = p < Points - 1 ? (int)BitBuffer.Read(data, 3 * p, 3) : 0;
            var (first, second) = Constellation[Transition[(state * States) + tribit]];
            dibits[2 * p] = first;
            dibits[(2 * p) + 1] = second;
            state = tribit;
        }

        encoded[..EncodedLength].Clear();
        for (var i = 0; i < dibits.Length; i++)
        {
            var (high, low) = Bits(dibits[Interleave[i]]);
            BitBuffer.Set(encoded, 2 * i, high);
            BitBuffer.Set(encoded, (2 * i) + 1, low);
        }
    }

    private static int BitErrors(byte received, sbyte expectedLevel)
    {
        var (high, low) = Bits(expectedLevel);
        var expected = (high ? 2 : 0) | (low ? 1 : 0);
        return System.Numerics.BitOperations.PopCount((uint)(received ^ expected));
    }

    /// <summary>Constellation point of each received dibit pair (first dibit in bits 3–2).</summary>
    private static readonly byte[] PointByDibits = BuildPointByDibits();

    /// <summary>For state × 16 + point: the input tribit that sends that point from that state, or −1.</summary>
    private static readonly sbyte[] InputByStateAndPoint = BuildInputByStateAndPoint();

    private static byte[] BuildPointByDibits()
    {
        var points = new byte[16];
        for (var point = 0; point < Constellation.Length; point++)
        {
            var (first, second) = Constellation[point];
            points[(Dibit(first) << 2) | Dibit(second)] = (byte)point;
        }

        return points;
    }

    private static sbyte[] BuildInputByStateAndPoint()
    {
        var inputs = new sbyte[States * 16];
        inputs.AsSpan().Fill(-1);
        for (var state = 0; state < States; state++)
        {
            for (var input = 0; input < States; input++)
            {
                inputs[(state << 4) | Transition[(state * States) + input]] = (sbyte)input;
            }
        }

        return inputs;
    }

    private static int Dibit(sbyte level)
    {
        var (high, low) = Bits(level);
        return (high ? 2 : 0) | (low ? 1 : 0);
    }

    // TS 102 361-1 Table B.6: dibit 01 = +3, 00 = +1, 10 = −1, 11 = −3.
    private static (bool High, bool Low) Bits(sbyte level) => level switch
    {
        3 => (false, true),
        1 => (false, false),
        -1 => (true, false),
        _ => (true, true),
    };
}
