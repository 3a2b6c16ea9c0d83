using System.Buffers;
using System.Diagnostics;
using RadioGateway.Testing;
using RadioGateway.Uplink;

namespace RadioGateway.Benchmarks;

/// <summary>
/// A QoS 1 subscriber (<c>mosquitto_sub -q 1</c>) on one measurement's topic prefix, counting the messages that
/// arrive on its events topic: proof that every published message was delivered. It prints one topic per message;
/// only the count is kept.
/// </summary>
public sealed class DeliveryCounter : IDisposable
{
    private const int ReadyAttempts = 50;
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CountPoll = TimeSpan.FromMilliseconds(20);

    private readonly Process _process;
    private readonly string _readyTopic;
    private readonly string _eventsTopic;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private long _count;

    private DeliveryCounter(Process process, string readyTopic, string eventsTopic)
    {
        _process = process;
        _readyTopic = readyTopic;
        _eventsTopic = eventsTopic;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Messages that arrived on the events topic so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>CPU time the subscriber has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Subscribes to <c>{prefix}#</c> and returns once the subscription is in place: a probe published on
    /// <c>{prefix}ready</c> through <paramref name="probe"/> came back.
    /// </summary>
    public static async Task<DeliveryCounter> StartAsync(BenchBroker broker, string prefix, string eventsTopic, MqttSession probe)
    {
        var info = new ProcessStartInfo(ExternalTool.Require("mosquitto_sub", "mosquitto-clients"), [
            "-h", "127.0.0.1", "-p", broker.PortText, "-q", "1", "-t", prefix + "#", "-F", "%t",
        ])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var counter = new DeliveryCounter(Process.Start(info) ?? throw new InvalidOperationException("Could not start mosquitto_sub."), prefix + "ready", eventsTopic);
        try
        {
            await counter.WaitUntilSubscribedAsync(probe);
            return counter;
        }
        catch
        {
            counter.Dispose();
            throw;
        }
    }

    /// <summary>Waits until <paramref name="expected"/> messages arrived; fails when the count stops growing for <paramref name="patience"/>.</summary>
    public async Task<long> WaitForAsync(long expected, TimeSpan patience)
    {
        var seen = Count;
        var lastProgress = Stopwatch.GetTimestamp();
        while (seen < expected)
        {
            await Task.Delay(CountPoll);
            var now = Count;
            if (now != seen)
            {
                seen = now;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > patience || _reading.IsCompleted)
            {
                throw new InvalidOperationException($"Only {seen:N0} of {expected:N0} messages arrived on {_eventsTopic}.");
            }
        }

        return seen;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private async Task WaitUntilSubscribedAsync(MqttSession probe)
    {
        for (var attempt = 0; attempt < ReadyAttempts; attempt++)
        {
            await probe.PublishAsync(_readyTopic, ReadOnlySequence<byte>.Empty, retain: false, CancellationToken.None);
            if (await Task.WhenAny(_ready.Task, Task.Delay(ReadyPoll)) == _ready.Task)
            {
                return;
            }
        }

        throw new InvalidOperationException($"mosquitto_sub did not receive a probe on {_readyTopic} within {(ReadyAttempts * ReadyPoll).TotalSeconds:0} s.");
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } topic)
        {
            if (topic == _eventsTopic)
            {
                Interlocked.Increment(ref _count);
            }
            else if (topic == _readyTopic)
            {
                _ready.TrySetResult();
            }
        }
    }
}
