using System.Buffers;

namespace RadioGateway.Protocols.Mmdvm;

/// <summary>What <see cref="MmdvmFrameReader.TryRead"/> found at the front of the buffer.</summary>
public enum MmdvmReadResult
{
    /// <summary>A whole frame was read and consumed.</summary>
    Frame,

    /// <summary>The buffer holds the start of a frame (or nothing); read more and call again. Nothing consumed.</summary>
    NeedMoreData,

    /// <summary>Bytes that cannot start a valid frame were consumed; <see cref="MmdvmSkip"/> says why.</summary>
    Skipped,
}

/// <summary>Bytes dropped while resynchronising, with the reason and the stream offset where they began.</summary>
public readonly record struct MmdvmSkip(long Offset, int Count, string Reason);

/// <summary>
/// Resumable reader of MMDVM frames: <c>0xE0 LEN TYPE PAYLOAD</c> (LEN counts the whole frame) and the long
/// form <c>0xE1 LEN_HI LEN_LO TYPE PAYLOAD</c>. Garbage and impossible lengths are skipped with a reason; the
/// caller never needs to buffer more than <see cref="MaxFrameLength"/> bytes.
/// </summary>
public sealed class MmdvmFrameReader
{
    public const byte ShortFrameStart = 0xE0;
    public const byte LongFrameStart = 0xE1;

    /// <summary>Upper bound for any frame we accept (the largest real frames are well under 300 bytes).</summary>
    public const int MaxFrameLength = 1024;

    /// <summary>Bytes consumed so far, for skip offsets.</summary>
    public long Position { get; private set; }

    /// <summary>Reads one frame (or one skip) from the front of <paramref name="buffer"/>, slicing off what it consumed.</summary>
    public MmdvmReadResult TryRead(ref ReadOnlySequence<byte> buffer, out MmdvmFrame frame, out MmdvmSkip skip)
    {
        frame = default;
        skip = default;
        if (buffer.IsEmpty)
        {
            return MmdvmReadResult.NeedMoreData;
        }

        var reader = new SequenceReader<byte>(buffer);
        reader.TryRead(out var start);
        if (start is not (ShortFrameStart or LongFrameStart))
        {
            // Skip to the next possible frame start.
            var count = 1;
            while (reader.TryRead(out var b) && b is not (ShortFrameStart or LongFrameStart))
            {
                count++;
            }

            return Skip(ref buffer, count, "no frame start (0xE0/0xE1)", out skip);
        }

        var headerLength = start == ShortFrameStart ? 3 : 4;
        if (buffer.Length < headerLength)
        {
            return MmdvmReadResult.NeedMoreData;
        }

        int length;
        if (start == ShortFrameStart)
        {
            reader.TryRead(out var len);
            length = len;
        }
        else
        {
            reader.TryRead(out var high);
            reader.TryRead(out var low);
            length = (high << 8) | low;
        }

        if (length < headerLength)
        {
            return Skip(ref buffer, 1, $"frame length {length} is shorter than its {headerLength}-byte header", out skip);
        }

        if (length > MaxFrameLength)
        {
            return Skip(ref buffer, 1, $"frame length {length} exceeds the {MaxFrameLength}-byte limit", out skip);
        }

        if (buffer.Length < length)
        {
            return MmdvmReadResult.NeedMoreData;
        }

        reader.TryRead(out var type);
        var payload = buffer.Slice(headerLength, length - headerLength).ToArray();
        frame = new MmdvmFrame((MmdvmCommand)type, payload);
        buffer = buffer.Slice(length);
        Position += length;
        return MmdvmReadResult.Frame;
    }

    private MmdvmReadResult Skip(ref ReadOnlySequence<byte> buffer, int count, string reason, out MmdvmSkip skip)
    {
        skip = new MmdvmSkip(Position, count, reason);
        buffer = buffer.Slice(count);
        Position += count;
        return MmdvmReadResult.Skipped;
    }
}

/// <summary>Writes MMDVM frames.</summary>
public static class MmdvmFrameWriter
{
    public static void Write(IBufferWriter<byte> output, MmdvmCommand command, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = payload.Length + 3;
        if (length <= byte.MaxValue)
        {
            var span = output.GetSpan(length);
            span[0] = MmdvmFrameReader.ShortFrameStart;
            span[1] = (byte)length;
            span[2] = (byte)command;
            payload.CopyTo(span[3..]);
            output.Advance(length);
            return;
        }

        length++;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MmdvmFrameReader.MaxFrameLength, nameof(payload));
        var longSpan = output.GetSpan(length);
        longSpan[0] = MmdvmFrameReader.LongFrameStart;
        longSpan[1] = (byte)(length >> 8);
        longSpan[2] = (byte)length;
        longSpan[3] = (byte)command;
        payload.CopyTo(longSpan[4..]);
        output.Advance(length);
    }

    public static byte[] ToArray(MmdvmCommand command, ReadOnlySpan<byte> payload)
    {
        var writer = new ArrayBufferWriter<byte>(payload.Length + 4);
        Write(writer, command, payload);
        return writer.WrittenSpan.ToArray();
    }
}

/// <summary>One item from <see cref="MmdvmFrameBuffer.Drain"/>: a frame, or bytes skipped while resynchronising.</summary>
public readonly record struct MmdvmReadItem(MmdvmFrame? Frame, MmdvmSkip? Skip);

/// <summary>
/// The receive buffer in front of an <see cref="MmdvmFrameReader"/>: the caller fills <see cref="WriteMemory"/>
/// (from a serial port, a socket, a capture file), calls <see cref="Advance"/>, then <see cref="Drain"/>s whole
/// frames; an incomplete frame stays buffered. Never holds more than two maximum-size frames.
/// </summary>
public sealed class MmdvmFrameBuffer
{
    private readonly MmdvmFrameReader _reader = new();
    private readonly byte[] _buffer = new byte[MmdvmFrameReader.MaxFrameLength * 2];
    private int _filled;

    /// <summary>Free space to read into.</summary>
    public Memory<byte> WriteMemory => _buffer.AsMemory(_filled);

    /// <summary>Bytes held that do not yet make a frame.</summary>
    public int Pending => _filled;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _filled);
        _filled += count;
    }

    /// <summary>Copies <paramref name="data"/> in, draining frames whenever the buffer fills.</summary>
    public IEnumerable<MmdvmReadItem> Add(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var offset = 0;
        while (offset < data.Length)
        {
            var count = Math.Min(data.Length - offset, _buffer.Length - _filled);
            data.AsSpan(offset, count).CopyTo(_buffer.AsSpan(_filled));
            _filled += count;
            offset += count;
            foreach (var item in Drain())
            {
                yield return item;
            }
        }
    }

    /// <summary>Every whole frame (and skip) in the buffer; the rest is kept for the next read.</summary>
    public IEnumerable<MmdvmReadItem> Drain()
    {
        var items = new List<MmdvmReadItem>();
        var sequence = new ReadOnlySequence<byte>(_buffer, 0, _filled);
        while (_reader.TryRead(ref sequence, out var frame, out var skip) is var result && result != MmdvmReadResult.NeedMoreData)
        {
            items.Add(result == MmdvmReadResult.Frame ? new MmdvmReadItem(frame, null) : new MmdvmReadItem(null, skip));
        }

        var remaining = (int)sequence.Length;
        Array.Copy(_buffer, _filled - remaining, _buffer, 0, remaining);
        _filled = remaining;
        return items;
    }
}
