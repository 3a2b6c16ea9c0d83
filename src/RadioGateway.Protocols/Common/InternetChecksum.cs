using System.Buffers.Binary;

namespace RadioGateway.Protocols.Common;

/// <summary>
/// The Internet checksum of RFC 1071: the one's complement of the 16-bit one's-complement sum of the octets taken
/// as big-endian words, a trailing odd octet padded with a zero octet (RFC 1071 §4.1). Used by IPv4 headers
/// (RFC 791) and Hytera HRNP frames.
/// </summary>
public static class InternetChecksum
{
    /// <summary>
    /// The checksum of <paramref name="bytes"/>. Over data that carries its own correct checksum the result is 0
    /// (RFC 1071 §1, verification); to fill a checksum field, compute over the data with that field zeroed.
    /// </summary>
    public static ushort Compute(ReadOnlySpan<byte> bytes) => Compute(bytes, checksumOffset: -1);

    /// <summary>The checksum of <paramref name="bytes"/> with the 16-bit field at <paramref name="checksumOffset"/> taken as zero.</summary>
    /// <param name="bytes">The covered data.</param>
    /// <param name="checksumOffset">Even offset of the checksum field inside <paramref name="bytes"/>, or -1 for none.</param>
    public static ushort Compute(ReadOnlySpan<byte> bytes, int checksumOffset)
    {
        if (checksumOffset != -1 && (checksumOffset < 0 || checksumOffset % 2 != 0 || checksumOffset + 2 > bytes.Length))
        {
            throw new ArgumentOutOfRangeException(nameof(checksumOffset), checksumOffset, $"must be -1 or an even offset of a whole word inside {bytes.Length} bytes");
        }

        uint sum = 0;
        var i = 0;
        for (; i + 1 < bytes.Length; i += 2)
        {
            if (i != checksumOffset)
            {
                sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
            }
        }

        if (i < bytes.Length)
        {
            sum += (uint)bytes[i] << 8;
        }

        // End-around carry (RFC 1071 §4.1); a uint holds the sum of any 64 KiB without overflowing.
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
