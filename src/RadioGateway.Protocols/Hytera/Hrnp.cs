using System.Buffers;
using System.Buffers.Binary;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Hytera;

public enum HrnpOpcode : byte
{
    Data = 0x00,
    DataAck = 0x10,
    CloseAck = 0xFA,
    Close = 0xFB,
    Reject = 0xFC,
    Accept = 0xFD,
    Connect = 0xFE,
}

/// <summary>One HRNP frame: the header fields and the data (an HDAP message in DATA frames).</summary>
public sealed record HrnpFrame(byte Version, byte Block, HrnpOpcode Opcode, byte Source, byte Destination, ushort PacketNumber, byte[] Data);

/// <summary>
/// Hytera Radio Network Protocol framing, used between a PC and a control-station radio over USB/Ethernet:
/// 0x7E, version, block, opcode, source, destination, packet number (2), length of the whole frame (2),
/// checksum (2), data. The checksum is the one's complement of the 16-bit one's-complement sum of the frame
/// with the checksum zeroed (RFC 1071: a trailing odd octet is padded with a zero octet).
/// </summary>
public static class Hrnp
{
    public const byte Header = 0x7E;
    public const int HeaderLength = 12;

    /// <summary>Offset of the checksum field in the header.</summary>
    private const int ChecksumOffset = 10;
    public const int MaxFrameLength = 2048;

    public static DecodeStatus TryDecode(ReadOnlySequence<byte> input, out HrnpFrame? frame, out int consumed, out DecodeError error)
    {
        frame = null;
        consumed = 0;
        error = default;
        if (input.IsEmpty)
        {
            return DecodeStatus.NeedMoreData;
        }

        if (input.FirstSpan[0] != Header)
        {
            error = new DecodeError(0, $"0x{input.FirstSpan[0]:X2} is not the HRNP header 0x7E");
            return DecodeStatus.Invalid;
        }

        if (input.Length < HeaderLength)
        {
            return DecodeStatus.NeedMoreData;
        }

        Span<byte> head = stackalloc byte[HeaderLength];
        input.Slice(0, HeaderLength).CopyTo(head);
        if (!Enum.IsDefined((HrnpOpcode)head[3]))
        {
            error = new DecodeError(3, $"HRNP opcode 0x{head[3]:X2} is not defined");
            return DecodeStatus.Invalid;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(head[8..]);
        if (length is < HeaderLength or > MaxFrameLength)
        {
            error = new DecodeError(8, $"HRNP length {length} is outside {HeaderLength}..{MaxFrameLength}");
            return DecodeStatus.Invalid;
        }

        if (input.Length < length)
        {
            return DecodeStatus.NeedMoreData;
        }

        var bytes = input.Slice(0, length).ToArray();
        var expected = InternetChecksum.Compute(bytes, ChecksumOffset);
        var actual = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(10));
        if (expected != actual)
        {
            error = new DecodeError(10, $"HRNP checksum 0x{actual:X4}, expected 0x{expected:X4}");
            return DecodeStatus.Invalid;
        }

        frame = new HrnpFrame(head[1], head[2], (HrnpOpcode)head[3], head[4], head[5], BinaryPrimitives.ReadUInt16BigEndian(head[6..]), bytes[HeaderLength..]);
        consumed = length;
        return DecodeStatus.Done;
    }

    public static void Write(IBufferWriter<byte> output, HrnpFrame frame)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(frame);
        var length = HeaderLength + frame.Data.Length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxFrameLength);
        var bytes = new byte[length];
        bytes[0] = Header;
        bytes[1] = frame.Version;
        bytes[2] = frame.Block;
        bytes[3] = (byte)frame.Opcode;
        bytes[4] = frame.Source;
        bytes[5] = frame.Destination;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), frame.PacketNumber);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(8), (ushort)length);
        frame.Data.CopyTo(bytes, HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(ChecksumOffset), InternetChecksum.Compute(bytes, ChecksumOffset));
        output.Write(bytes);
    }
}

/// <summary>Reads HRNP frames from a byte stream (USB/TCP), skipping anything that cannot start a frame, with the reason and offset.</summary>
public sealed class HrnpFrameReader
{
    /// <summary>Bytes consumed so far, for skip offsets.</summary>
    public long Position { get; private set; }

    /// <summary>Reads one frame or skips one bad octet from the front of <paramref name="buffer"/>; NeedMoreData consumes nothing.</summary>
    public DecodeStatus TryRead(ref ReadOnlySequence<byte> buffer, out HrnpFrame? frame, out DecodeError skipped)
    {
        var status = Hrnp.TryDecode(buffer, out frame, out var consumed, out var error);
        switch (status)
        {
            case DecodeStatus.Done:
                buffer = buffer.Slice(consumed);
                Position += consumed;
                skipped = default;
                return status;
            case DecodeStatus.Invalid:
                // Resynchronise on the next 0x7E.
                var next = buffer.Slice(1).PositionOf(Hrnp.Header);
                var count = next is { } at ? (int)buffer.Slice(0, at).Length : (int)buffer.Length;
                skipped = new DecodeError(Position + error.Offset, $"skipped {count} bytes: {error.Message}");
                buffer = buffer.Slice(count);
                Position += count;
                return status;
            default:
                skipped = default;
                return status;
        }
    }
}
