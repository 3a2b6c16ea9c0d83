using System.Buffers.Binary;
using System.Numerics;
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
        Span<byte> lc = stackalloc byte[FullLinkControl.Length];
        return TryDecode(fragments, lc, out correctedBits, out error) ? new FullLinkControl(lc) : null;
    }

    /// <summary>
    /// Decodes four fragments (B, C, D, E order) into the 9 LC octets in <paramref name="lc"/>, without allocating
    /// unless it fails (then <paramref name="error"/> names the reason).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<uint> fragments, Span<byte> lc, out int correctedBits, out string? error)
    {
        correctedBits = 0;
        error = null;
        if (fragments.Length != 4)
        {
            error = $"embedded LC needs 4 fragments, got {fragments.Length}";
            return false;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(lc.Length, FullLinkControl.Length, nameof(lc));

        // On air the matrix goes column by column, so each octet of the 128 bits is one column (row 0 first):
        // transposing the two 8 × 8 halves gives the rows, column 0 in bit 15.
        var left = Transpose8x8(((ulong)fragments[0] << 32) | fragments[1]);
        var right = Transpose8x8(((ulong)fragments[2] << 32) | fragments[3]);
        Span<ushort> rows = stackalloc ushort[Rows];
        ushort columnParity = 0;
        var code = DmrCodes.Hamming16114;
        for (var row = 0; row < Rows; row++)
        {
            var shift = 56 - (8 * row);
            var word = (ushort)((((left >> shift) & 0xFF) << 8) | ((right >> shift) & 0xFF));
            if (row < 7)
            {
                var syndrome = code.Syndrome(word);
                if (syndrome != 0)
                {
                    var pattern = code.ErrorFor(syndrome);
                    if (pattern == 0)
                    {
                        error = $"Hamming(16,11,4) row {row + 1} has more than one bit error";
                        return false;
                    }

                    word ^= (ushort)pattern;
                    correctedBits++;
                }
            }

            rows[row] = word;
            columnParity ^= word;
        }

        if (columnParity != 0)
        {
            error = $"column {BitOperations.LeadingZeroCount((uint)columnParity) - 15} parity fails";
            return false;
        }

        // Rows 1–2 carry 11 LC bits, rows 3–7 carry 10 and a checksum bit in column 11 (TS 102 361-1 §B.2.1).
        UInt128 bits = 0;
        var checksum = 0;
        for (var row = 0; row < 7; row++)
        {
            bits = row < 2 ? (bits << 11) | (uint)(rows[row] >> 5) : (bits << 10) | (uint)(rows[row] >> 6);
            if (row >= 2)
            {
                checksum = (checksum << 1) | ((rows[row] >> 5) & 1);
            }
        }

        lc[0] = (byte)(bits >> 64);
        BinaryPrimitives.WriteUInt64BigEndian(lc[1..], (ulong)bits);
        var expected = Checksum(lc);
        if (checksum != expected)
        {
            error = $"5-bit checksum {checksum} does not match {expected}";
            return false;
        }

        return true;
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

    /// <summary>Transposes an 8 × 8 bit matrix held as octets, most significant first (Hacker's Delight §7-3).</summary>
    private static ulong Transpose8x8(ulong x)
    {
        var t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAUL;
        x ^= t ^ (t << 7);
        t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCUL;
        x ^= t ^ (t << 14);
        t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0UL;
        return x ^ t ^ (t << 28);
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
        Span<byte> lc = stackalloc byte[FullLinkControl.Length];
        return Add(lcss, fragment, lc, out error) ? new FullLinkControl(lc) : null;
    }

    /// <summary>Adds one fragment; true, with the 9 LC octets in <paramref name="lc"/>, when this completes a valid one.</summary>
    public bool Add(Lcss lcss, uint fragment, Span<byte> lc, out string? error)
    {
        error = null;
        switch (lcss)
        {
            case Lcss.FirstFragment:
                _fragments[0] = fragment;
                _count = 1;
                return false;
            case Lcss.Continuation when _count is 1 or 2:
                _fragments[_count++] = fragment;
                return false;
            case Lcss.LastFragment when _count == 3:
                _fragments[3] = fragment;
                _count = 0;
                return EmbeddedLinkControl.TryDecode(_fragments, lc, out _, out error);
            default:
                // Single fragments (null or reverse channel) and out-of-order pieces restart assembly.
                _count = 0;
                return false;
        }
    }

    public void Reset() => _count = 0;
}
