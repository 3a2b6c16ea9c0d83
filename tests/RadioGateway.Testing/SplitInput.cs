using System.Buffers;

namespace RadioGateway.Testing;

/// <summary>
/// Feeds one input to a resumable decoder in every way the wire can deliver it:
/// whole, split in two at every offset, and one byte at a time.
/// </summary>
public static class SplitInput
{
    /// <summary>Every chunking of <paramref name="input"/>, each as a list of segments, with a label for failure messages.</summary>
    public static IEnumerable<(string Label, IReadOnlyList<byte[]> Chunks)> Chunkings(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        yield return ("whole", [input]);
        for (var split = 1; split < input.Length; split++)
        {
            yield return ($"split at {split}", [input[..split], input[split..]]);
        }

        yield return ("byte by byte", input.Select(b => new[] { b }).ToArray());
    }

    /// <summary>
    /// Builds a multi-segment <see cref="ReadOnlySequence{T}"/> from the chunks, so decoders that take
    /// sequences see real segment boundaries.
    /// </summary>
    public static ReadOnlySequence<byte> ToSequence(IReadOnlyList<byte[]> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every chunking of the input as a multi-segment sequence (whole, every split, byte by byte).</summary>
    public static IEnumerable<(string Label, ReadOnlySequence<byte> Sequence)> Sequences(byte[] input) =>
        Chunkings(input).Select(c => (c.Label, ToSequence(c.Chunks)));

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
