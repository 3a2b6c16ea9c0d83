using System.Text.Json;
using System.Threading.Channels;
using RadioGateway.Core.Outbox;

namespace RadioGateway.Core.Tests.Outbox;

/// <summary>One publish the fake uplink received: topic, CloudEvents id and replayed flag.</summary>
public sealed record PublishedMessage(string Topic, string Id, bool Replayed, JsonElement Payload);

/// <summary>
/// An uplink whose acknowledgements the test controls. In <see cref="AckMode.Immediate"/> every publish is
/// acknowledged at once; in <see cref="AckMode.Failing"/> every publish fails; in <see cref="AckMode.Manual"/>
/// each publish waits in <see cref="Pending"/> until the test completes it.
/// </summary>
public sealed class FakeUplink : IUplinkPublisher
{
    private readonly Lock _gate = new();
    private readonly List<PublishedMessage> _published = [];

    public enum AckMode
    {
        Immediate,
        Failing,
        Manual,
    }

    public AckMode Mode { get; set; } = AckMode.Immediate;

    /// <summary>Publishes awaiting a manual ack, in the order they were made.</summary>
    public Channel<(PublishedMessage Message, TaskCompletionSource Ack)> Pending { get; } = Channel.CreateUnbounded<(PublishedMessage, TaskCompletionSource)>();

    /// <summary>Completes when <see cref="Published"/> holds at least this many messages; set by the test.</summary>
    public (int Count, TaskCompletionSource Reached)? Awaited { get; set; }

    public IReadOnlyList<PublishedMessage> Published
    {
        get
        {
            lock (_gate)
            {
                return _published.ToArray();
            }
        }
    }

    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var root = JsonDocument.Parse(payload).RootElement.Clone();
        var message = new PublishedMessage(topic, root.GetProperty("id").GetString()!, root.TryGetProperty("replayed", out var replayed) && replayed.GetBoolean(), root);
        switch (Mode)
        {
            case AckMode.Failing:
                return Task.FromException(new IOException("uplink down"));
            case AckMode.Manual:
                var ack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Record(message);
                Pending.Writer.TryWrite((message, ack));
                return ack.Task;
            default:
                Record(message);
                return Task.CompletedTask;
        }
    }

    private void Record(PublishedMessage message)
    {
        int count;
        lock (_gate)
        {
            _published.Add(message);
            count = _published.Count;
        }

        if (Awaited is { } awaited && count >= awaited.Count)
        {
            awaited.Reached.TrySetResult();
        }
    }
}
