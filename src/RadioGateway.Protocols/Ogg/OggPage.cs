using System.Buffers;
using System.Buffers.Binary;

namespace RadioGateway.Protocols.Ogg;

/// <summary>
/// Ogg pages (RFC 3533 §6): "OggS", version 0, header type (0x02 first page, 0x04 last page of the stream),
/// granule position, stream serial, page sequence, CRC-32 (polynomial 0x04C11DB7, unreflected, initial value 0,
/// over the whole page with the CRC field zero), segment table of lacing values, then the packet data.
/// </summary>
public static class OggPage
{
    public const byte BeginningOfStream = 0x02;
    public const byte EndOfStream = 0x04;

    /// <summary>Largest packet on one page written here (255 lacing values of 255 octets, less one so a final lacing value &lt; 255 fits).</summary>
    public const int MaxPacket = (255 * 255) - 1;

    private static readonly uint[] CrcTable = BuildTable();

    /// <summary>Writes one page holding exactly one whole packet.</summary>
    public static void Write(IBufferWriter<byte> output, byte headerType, long granulePosition, uint serial, uint sequence, ReadOnlySpan<byte> packet)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packet.Length, MaxPacket, nameof(packet));
        // Lacing (RFC 3533 §6): 255 for each full 255-octet run, then the remainder (0 when the packet is a multiple of 255).
        var segments = (packet.Length / 255) + 1;
        var length = 27 + segments + packet.Length;
        var page = output.GetSpan(length)[..length];
        "OggS"u8.CopyTo(page);
        page[4] = 0;
        page[5] = headerType;
        BinaryPrimitives.WriteInt64LittleEndian(page[6..], granulePosition);
        BinaryPrimitives.WriteUInt32LittleEndian(page[14..], serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page[18..], sequence);
        page[22..26].Clear();
        page[26] = (byte)segments;
        for (var i = 0; i < segments - 1; i++)
        {
            page[27 + i] = 255;
        }

        page[27 + segments - 1] = (byte)(packet.Length % 255);
        packet.CopyTo(page[(27 + segments)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], Crc(page));
        output.Advance(length);
    }

    /// <summary>The Ogg CRC-32 of <paramref name="data"/>.</summary>
    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (var b in data)
        {
            crc = (crc << 8) ^ CrcTable[(byte)(crc >> 24) ^ b];
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}

/// <summary>The Ogg Opus header packets (RFC 7845 §5): ID header "OpusHead" and comment header "OpusTags".</summary>
public static class OpusHeaders
{
    /// <summary>RFC 7845 §5.1: version 1, channels, pre-skip, input rate, gain 0, channel mapping family 0.</summary>
    public static byte[] Identification(int channels, int preSkip, int inputSampleRate)
    {
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), (uint)inputSampleRate);
        return head;
    }

    /// <summary>RFC 7845 §5.2: vendor string and user comments (<c>KEY=value</c>, UTF-8).</summary>
    public static byte[] Comments(string vendor, IReadOnlyList<string> comments)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(comments);
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("OpusTags"u8);
        WriteString(writer, vendor);
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(count, (uint)comments.Count);
        writer.Write(count);
        foreach (var comment in comments)
        {
            WriteString(writer, comment);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        writer.Write(length);
        writer.Write(bytes);
    }
}
