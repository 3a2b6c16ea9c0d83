using System.Buffers;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Testing;

/// <summary>A payload decoder seen through one signature: input so far → status, bytes consumed, error.</summary>
public delegate DecodeStatus SequenceDecoder<T>(ReadOnlySequence<byte> input, out T? message, out int consumed, out DecodeError error);

/// <summary>
/// Runs a vector through a decoder whole, split at every offset, and one byte at a time (the caller re-offers
/// the growing buffer as a pipe reader would), and checks truncations and garbage never throw.
/// </summary>
public static class DecoderHarness
{
    /// <summary>
    /// Feeds every chunking of <paramref name="input"/>; every strict prefix must ask for more data, the whole
    /// input must decode consuming all of it. Returns the message from the whole input (the same in every chunking).
    /// </summary>
    public static T DecodeEveryWay<T>(byte[] input, SequenceDecoder<T> decoder)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(decoder);
        T? first = default;
        foreach (var (label, chunks) in SplitInput.Chunkings(input))
        {
            var offered = new List<byte[]>();
            for (var i = 0; i < chunks.Count; i++)
            {
                offered.Add(chunks[i]);
                var status = decoder(SplitInput.ToSequence(offered), out var message, out var consumed, out var error);
                var isLast = i == chunks.Count - 1;
                if (!isLast)
                {
                    if (status != DecodeStatus.NeedMoreData)
                    {
                        throw new InvalidOperationException($"{label}: after chunk {i} expected NeedMoreData, got {status} ({error})");
                    }

                    continue;
                }

                if (status != DecodeStatus.Done || message is null)
                {
                    throw new InvalidOperationException($"{label}: expected Done, got {status} ({error})");
                }

                if (consumed != input.Length)
                {
                    throw new InvalidOperationException($"{label}: consumed {consumed} of {input.Length} bytes");
                }

                first ??= message;
            }
        }

        return first!;
    }

    /// <summary>Every strict prefix of a valid message is NeedMoreData or Invalid, never Done and never an exception.</summary>
    public static void TruncationsNeverDecode<T>(byte[] input, SequenceDecoder<T> decoder)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(decoder);
        for (var length = 0; length < input.Length; length++)
        {
            var status = decoder(new ReadOnlySequence<byte>(input, 0, length), out _, out _, out var error);
            if (status == DecodeStatus.Done)
            {
                throw new InvalidOperationException($"prefix of {length} bytes decoded as a whole message");
            }

            if (status == DecodeStatus.Invalid && string.IsNullOrEmpty(error.Message))
            {
                throw new InvalidOperationException($"prefix of {length} bytes is Invalid without a reason");
            }
        }
    }

    /// <summary>
    /// Random bytes and random mutations of the given vectors: the decoder returns a status (an Invalid one with
    /// a reason and an offset inside the input) and never throws; Done never consumes more than it was given.
    /// </summary>
    public static void SurvivesFuzz<T>(IReadOnlyList<byte[]> seeds, SequenceDecoder<T> decoder, int iterations = 5000, int seed = 1234)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(decoder);
        var random = new Random(seed);
        for (var i = 0; i < iterations; i++)
        {
            byte[] input;
            if (seeds.Count == 0 || i % 3 == 0)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])seeds[random.Next(seeds.Count)].Clone();
                var flips = random.Next(1, 6);
                for (var f = 0; f < flips && input.Length > 0; f++)
                {
                    input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                }

                if (random.Next(4) == 0 && input.Length > 1)
                {
                    input = input[..random.Next(1, input.Length)];
                }
            }

            DecodeStatus status;
            int consumed;
            DecodeError error;
            try
            {
                status = decoder(new ReadOnlySequence<byte>(input), out _, out consumed, out error);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"input {Hex.Format(input)} threw {ex.GetType().Name}: {ex.Message}", ex);
            }

            if (status == DecodeStatus.Done && (consumed <= 0 || consumed > input.Length))
            {
                throw new InvalidOperationException($"input {Hex.Format(input)} consumed {consumed} of {input.Length}");
            }

            if (status == DecodeStatus.Invalid && (string.IsNullOrEmpty(error.Message) || error.Offset < 0 || error.Offset > input.Length))
            {
                throw new InvalidOperationException($"input {Hex.Format(input)} Invalid with a bad error ({error})");
            }
        }
    }
}
