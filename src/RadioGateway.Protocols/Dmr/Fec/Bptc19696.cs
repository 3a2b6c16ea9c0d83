using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace RadioGateway.Protocols.Dmr.Fec;

/// <summary>
/// Block product turbo code BPTC(196,96) (TS 102 361-1 §B.1.1): 96 data bits in a 13 × 15 matrix, rows
/// protected by Hamming(15,11,3), columns by Hamming(13,9,3), interleaved by index × 181 mod 196.
/// </summary>
/// <remarks>
/// The matrix is held bit-packed, one 15-bit row per 16-bit lane (column 0 in bit 14). Deinterleaving ORs one
/// precomputed 13-row contribution per on-air nibble; the syndromes of all 15 columns come from XORs of whole
/// rows, those of the rows from the row code's table. Every row is a Hamming(15,11,3) word, the four column
/// parity rows included (they are sums of data rows), so every row is corrected.
/// </remarks>
public static class Bptc19696
{
    public const int EncodedBits = 196;
    public const int EncodedBytes = 25;
    public const int DataBytes = 12;
    private const int Rows = 13;
    private const int Columns = 15;
    private const int DataRows = 9;
    private const int MaxPasses = 3;
    private const int Nibbles = EncodedBytes * 2;

    /// <summary>For on-air nibble n with value v, entry n × 16 + v: the matrix bits it sets (lane = row).</summary>
    private static readonly Vector256<ushort>[] RowsByNibble = BuildDeinterleaveTable();

    /// <summary>For each matrix row, the column code's parity contribution of that row (its column of the parity-check matrix).</summary>
    private static readonly byte[] ColumnCheckOfRow = BuildColumnChecks();

    /// <summary>The row that a column syndrome points at, or -1 when Hamming(13,9,3) cannot place the error.</summary>
    private static readonly sbyte[] ColumnErrorRow = BuildColumnErrorRows();

    /// <summary>Decodes, corrects and extracts the 96 data bits (12 bytes) from 196 on-air bits.</summary>
    /// <param name="encoded">196 bits, MSB first, in a span of at least 25 bytes.</param>
    /// <returns>Corrected bit count, or -1 when the matrix is not consistent after correction.</returns>
    public static int Decode(ReadOnlySpan<byte> encoded, Span<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(encoded.Length, EncodedBytes, nameof(encoded));
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Length, DataBytes, nameof(data));
        Span<ushort> matrix = stackalloc ushort[16];
        Deinterleave(encoded, matrix);
        var corrected = Correct(matrix);
        ExtractData(matrix, data);
        return corrected;
    }

    /// <summary>Encodes 96 data bits (12 bytes) into 196 interleaved on-air bits.</summary>
    public static void Encode(ReadOnlySpan<byte> data, Span<byte> encoded)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Length, DataBytes, nameof(data));
        ArgumentOutOfRangeException.ThrowIfLessThan(encoded.Length, EncodedBytes, nameof(encoded));
        Span<ushort> matrix = stackalloc ushort[Rows];

        // Row 0 holds the reserved bits R(2)–R(0) in columns 0–2 and 8 data bits; rows 1–8 hold 11 each.
        var bits = ((UInt128)BinaryPrimitives.ReadUInt32BigEndian(data) << 64) | BinaryPrimitives.ReadUInt64BigEndian(data[4..]);
        matrix[0] = RowWord((uint)(bits >> 88) & 0xFF);
        for (var row = 1; row < DataRows; row++)
        {
            matrix[row] = RowWord((uint)(bits >> (88 - (11 * row))) & 0x7FF);
        }

        for (var row = DataRows; row < Rows; row++)
        {
            // Column parity bit (row − 9) of every column at once: the XOR of the data rows that feed it.
            var parityBit = 1 << (Rows - 1 - row);
            ushort word = 0;
            for (var dataRow = 0; dataRow < DataRows; dataRow++)
            {
                if ((ColumnCheckOfRow[dataRow] & parityBit) != 0)
                {
                    word ^= matrix[dataRow];
                }
            }

            matrix[row] = word;
        }

        encoded[..EncodedBytes].Clear();
        for (var index = 1; index < EncodedBits; index++)
        {
            var (row, column) = Math.DivRem(index - 1, Columns);
            if ((matrix[row] & (1 << (Columns - 1 - column))) != 0)
            {
                var position = Interleave(index);
                encoded[position >> 3] |= (byte)(0x80 >> (position & 7));
            }
        }
    }

    /// <summary>The 13 rows of the matrix in <paramref name="matrix"/> lanes 0–12 (lanes 13–15 zero); bit R(3) is not part of it.</summary>
    private static void Deinterleave(ReadOnlySpan<byte> encoded, Span<ushort> matrix)
    {
        var rows = Vector256<ushort>.Zero;
        var table = RowsByNibble.AsSpan();
        for (var i = 0; i < EncodedBytes; i++)
        {
            var octet = encoded[i];
            rows |= table[(i << 5) | (octet >> 4)] | table[(i << 5) | 16 | (octet & 0x0F)];
        }

        rows.CopyTo(matrix);
    }

    /// <summary>Column passes then row passes until nothing changes (TS 102 361-1 §B.1.1, iterative decoding).</summary>
    private static int Correct(Span<ushort> matrix)
    {
        var rowCode = DmrCodes.Hamming15113;
        var corrected = 0;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var fixes = 0;
            var refused = false;

            // Bit q of every column's syndrome at once: the XOR of the rows whose check has bit q.
            uint s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (var row = 0; row < Rows; row++)
            {
                uint word = matrix[row];
                uint check = ColumnCheckOfRow[row];
                s0 ^= word & (0u - (check & 1));
                s1 ^= word & (0u - ((check >> 1) & 1));
                s2 ^= word & (0u - ((check >> 2) & 1));
                s3 ^= word & (0u - ((check >> 3) & 1));
            }

            for (var failing = s0 | s1 | s2 | s3; failing != 0; failing &= failing - 1)
            {
                var bit = BitOperations.TrailingZeroCount(failing);
                var syndrome = ((s0 >> bit) & 1) | (((s1 >> bit) & 1) << 1) | (((s2 >> bit) & 1) << 2) | (((s3 >> bit) & 1) << 3);
                var row = ColumnErrorRow[syndrome];
                if (row < 0)
                {
                    refused = true;
                    continue;
                }

                matrix[row] ^= (ushort)(1 << bit);
                fixes++;
            }

            for (var row = 0; row < Rows; row++)
            {
                var syndrome = rowCode.Syndrome(matrix[row]);
                if (syndrome != 0)
                {
                    // Hamming(15,11,3) is perfect: every syndrome names one bit.
                    matrix[row] ^= (ushort)rowCode.ErrorFor(syndrome);
                    fixes++;
                }
            }

            corrected += fixes;
            if (fixes == 0 && !refused)
            {
                return corrected;
            }
        }

        return -1;
    }

    private static void ExtractData(ReadOnlySpan<ushort> matrix, Span<byte> data)
    {
        // Data bits are columns 0–10 of rows 0–8, less R(2)–R(0) in row 0 (matrix indices 4–11, 16–26, …).
        UInt128 bits = (uint)(matrix[0] >> 4) & 0xFF;
        for (var row = 1; row < DataRows; row++)
        {
            bits = (bits << 11) | (uint)(matrix[row] >> 4);
        }

        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(bits >> 64));
        BinaryPrimitives.WriteUInt64BigEndian(data[4..], (ulong)bits);
    }

    private static ushort RowWord(uint dataBits) => (ushort)DmrCodes.Hamming15113.Encode(dataBits);

    private static int Interleave(int index) => index * 181 % EncodedBits;

    private static Vector256<ushort>[] BuildDeinterleaveTable()
    {
        var table = new Vector256<ushort>[Nibbles * 16];
        Span<ushort> lanes = stackalloc ushort[16];
        for (var nibble = 0; nibble < Nibbles; nibble++)
        {
            for (var value = 0; value < 16; value++)
            {
                lanes.Clear();
                for (var bit = 0; bit < 4; bit++)
                {
                    var position = (nibble * 4) + bit;
                    if ((value & (8 >> bit)) == 0 || position >= EncodedBits)
                    {
                        continue;
                    }

                    // On-air position p carries matrix index 13·p mod 196 (13 is the inverse of 181 modulo 196).
                    var index = position * 13 % EncodedBits;
                    if (index == 0)
                    {
                        continue; // R(3), outside the matrix
                    }

                    var (row, column) = Math.DivRem(index - 1, Columns);
                    lanes[row] |= (ushort)(1 << (Columns - 1 - column));
                }

                // Nibbles of byte i: high at i × 32 + v, low at i × 32 + 16 + v.
                table[((nibble >> 1) << 5) | ((nibble & 1) << 4) | value] = Vector256.Create<ushort>(lanes);
            }
        }

        return table;
    }

    private static byte[] BuildColumnChecks()
    {
        var code = DmrCodes.Hamming1393;
        var checks = new byte[Rows];
        for (var row = 0; row < Rows; row++)
        {
            checks[row] = (byte)code.Syndrome(1u << (Rows - 1 - row));
        }

        return checks;
    }

    private static sbyte[] BuildColumnErrorRows()
    {
        var code = DmrCodes.Hamming1393;
        var rows = new sbyte[16];
        for (var syndrome = 0u; syndrome < 16; syndrome++)
        {
            var error = code.ErrorFor(syndrome);
            rows[syndrome] = error == 0 ? (sbyte)-1 : (sbyte)(Rows - 1 - BitOperations.Log2(error));
        }

        return rows;
    }
}
