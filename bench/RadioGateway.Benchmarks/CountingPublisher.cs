using System.Buffers;
using System.Diagnostics;
using RadioGateway.Core.Outbox;
using RadioGateway.Uplink;

namespace RadioGateway.Benchmarks;

/// <summary>
/// The outbox's uplink as the host wires it (<c>MqttUplinkService.PublishAsync</c>: an <see cref="MqttSession"/>
/// publish completing on PUBACK), counting acknowledged messages and bytes, optionally reporting each PUBACK.
/// </summary>
/// <param name="session">The connected session.</param>
/// <param name="expected">Acknowledgements after which <see cref="AllAcknowledged"/> completes.</param>
/// <param name="onAcknowledged">Called with each payload and the <see cref="Stopwatch"/> timestamp of its PUBACK.</param>
public sealed class CountingPublisher(MqttSession session, long expected, Action<ReadOnlyMemory<byte>, long>? onAcknowledged = null) : IUplinkPublisher
{
    private readonly TaskCompletionSource _allAcknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _acknowledged;
    private long _bytes;

    /// <summary>Completes when the expected number of messages were acknowledged.</summary>
    public Task AllAcknowledged => _allAcknowledged.Task;

    /// <summary>Payload bytes acknowledged so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        try
        {
            await session.PublishAsync(topic, new ReadOnlySequence<byte>(payload), retain: false, cancellationToken);
        }
        catch (MessageTooLargeException e)
        {
            throw new MessageTooLargeForUplinkException(e.Message, e);
        }

        onAcknowledged?.Invoke(payload, Stopwatch.GetTimestamp());
        Interlocked.Add(ref _bytes, payload.Length);
        if (Interlocked.Increment(ref _acknowledged) == expected)
        {
            _allAcknowledged.TrySetResult();
        }
    }
}
