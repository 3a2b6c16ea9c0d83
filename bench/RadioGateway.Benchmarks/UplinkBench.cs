using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Outbox;
using System.Buffers;
using RadioGateway.Uplink;
using RadioGateway.Testing;

namespace RadioGateway.Benchmarks;

/// <summary>
/// Issue 3's uplink measurements on one loopback mosquitto: (a) draining a backlog of N outbox events at
/// QoS 1 against <c>mosquitto_pub -q 1 -l</c> sending the same payloads, (b) outbox-to-PUBACK latency at a
/// steady 1,000 events/s, (c) resident memory while draining.
/// </summary>
public static class UplinkBench
{
    public static async Task<int> RunAsync(int count)
    {
        using var broker = await MosquittoBroker.StartAsync();
        var directory = Directory.CreateTempSubdirectory("radiogw-bench-").FullName;
        try
        {
            var (ours, payloads, rss) = await DrainBacklogAsync(broker, directory, count);
            var clientOnly = await ClientOnlyAsync(broker, payloads);
            Console.WriteLine($"    (client alone, same payloads, window 64: {clientOnly.TotalSeconds:0.00} s, {count / clientOnly.TotalSeconds:0} msg/s)");
            var theirs = await MosquittoPubAsync(broker, directory, payloads);
            Console.WriteLine($"(a) backlog of {count}: RadioGateway drained in {ours.TotalSeconds:0.00} s ({count / ours.TotalSeconds:0} msg/s); mosquitto_pub -q 1 -l sent them in {theirs.TotalSeconds:0.00} s ({count / theirs.TotalSeconds:0} msg/s); ratio {theirs / ours:0.00} (≥ 1.0 means we are at least as fast)");
            Console.WriteLine($"(c) peak working set while draining: {rss / (1024 * 1024)} MiB");
            var (p50, p99, n) = await SteadyLatencyAsync(broker, Path.Combine(directory, "steady"), perSecond: 1000, seconds: 10);
            Console.WriteLine($"(b) outbox→PUBACK latency at 1000 events/s over {n} events: p50 {p50:0.00} ms, p99 {p99:0.00} ms");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static CallEnded Event(int i, DateTimeOffset now) => new()
    {
        Id = $"bench.{i}/ended",
        Time = now,
        Call = new CallRecord
        {
            CallId = $"bench.{i}",
            RadioId = "bs1",
            Slot = 1 + (i % 2),
            Source = new RadioUnit((uint)(3120101 + (i % 32)), Alias: "تیم ۱۲ تهران"),
            Destination = new CallTarget(101, TargetType.Group),
            Start = now.AddSeconds(-3),
            End = now,
            EndReason = CallEndReason.Terminator,
        },
    };

    private static MqttSession Client(MosquittoBroker broker, string id) => new(
        new MqttSessionOptions { Broker = broker.Uri, ClientId = id, MaxInFlight = 64 },
        NullLogger.Instance);

    private static async Task<(TimeSpan Elapsed, List<byte[]> Payloads, long PeakRss)> DrainBacklogAsync(MosquittoBroker broker, string directory, int count)
    {
        using var store = GatewayStore.Open(Path.Combine(directory, "backlog"), new CloudEventWriter("bench"));
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < count; start += 1000)
        {
            store.Append(Enumerable.Range(start, Math.Min(1000, count - start)).Select(i => (DomainEvent)Event(i, now)).ToList());
        }

        var writer = new CloudEventWriter("bench");
        var payloads = Enumerable.Range(0, count).Select(i => writer.Serialize(Event(i, now))).ToList();
        await using var client = Client(broker, "bench-drain");
        client.Start();
        await client.WaitUntilConnectedAsync(CancellationToken.None);
        var publisher = new Publisher(client, null);
        var drainer = new OutboxDrainer(store, publisher, NullLogger<OutboxDrainer>.Instance, options: new OutboxDrainerOptions { Window = 64, PassLimit = 4096, DeleteBatch = 512 });
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var draining = drainer.RunAsync(stop.Token);
        long peak = 0;
        while (store.GetBacklog().Count > 0)
        {
            peak = Math.Max(peak, Environment.WorkingSet);
            await Task.Delay(20);
        }

        clock.Stop();
        await stop.CancelAsync();
        await draining.ContinueWith(_ => { }, TaskScheduler.Default);
        return (clock.Elapsed, payloads, Math.Max(peak, Environment.WorkingSet));
    }

    /// <summary>The MQTT client alone, without the outbox, to tell where the time goes.</summary>
    private static async Task<TimeSpan> ClientOnlyAsync(MosquittoBroker broker, List<byte[]> payloads)
    {
        await using var client = Client(broker, "bench-client");
        client.Start();
        await client.WaitUntilConnectedAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var window = new SemaphoreSlim(64);
        var tasks = new List<Task>(payloads.Count);
        foreach (var payload in payloads)
        {
            await window.WaitAsync();
            tasks.Add(client.PublishAsync("radiogw/v1/bench/events/call", new ReadOnlySequence<byte>(payload), false, CancellationToken.None).ContinueWith(_ => window.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(tasks);
        return clock.Elapsed;
    }

    private static async Task<TimeSpan> MosquittoPubAsync(MosquittoBroker broker, string directory, List<byte[]> payloads)
    {
        var lines = Path.Combine(directory, "payloads.txt");
        await File.WriteAllLinesAsync(lines, payloads.Select(p => Encoding.UTF8.GetString(p)));
        var pub = ExternalTool.Require("mosquitto_pub", "mosquitto-clients");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", $"\"{pub}\" -h 127.0.0.1 -p {broker.Port} -q 1 -t radiogw/v1/bench/events/call -l < \"{lines}\""]))!;
        await process.WaitForExitAsync();
        clock.Stop();
        return process.ExitCode == 0 ? clock.Elapsed : throw new InvalidOperationException("mosquitto_pub failed");
    }

    private static async Task<(double P50, double P99, int Count)> SteadyLatencyAsync(MosquittoBroker broker, string directory, int perSecond, int seconds)
    {
        using var store = GatewayStore.Open(directory, new CloudEventWriter("bench"));
        await using var client = Client(broker, "bench-steady");
        client.Start();
        await client.WaitUntilConnectedAsync(CancellationToken.None);
        var appended = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentBag<double>();
        var publisher = new Publisher(client, (id, acked) =>
        {
            if (appended.TryGetValue(id, out var at))
            {
                latencies.Add(Stopwatch.GetElapsedTime(at, acked).TotalMilliseconds);
            }
        });
        await using var recorder = new EventRecorder(store, NullLogger<EventRecorder>.Instance);
        var drainer = new OutboxDrainer(store, publisher, NullLogger<OutboxDrainer>.Instance, options: new OutboxDrainerOptions { Window = 64 });
        using var stop = new CancellationTokenSource();
        var draining = drainer.RunAsync(stop.Token);
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < perSecond * seconds; i++)
        {
            var due = start + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
            // Sleep, not spin: a spinning producer would take one of the two cores from the pipeline it measures.
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.Sleep(1);
            }

            var e = Event(i, DateTimeOffset.UtcNow) with { Id = $"steady.{i}/ended" };
            appended[e.Id] = Stopwatch.GetTimestamp();
            recorder.Publish(e);
        }

        await recorder.FlushAsync();
        while (store.GetBacklog().Count > 0)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await draining.ContinueWith(_ => { }, TaskScheduler.Default);
        var sorted = latencies.Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], sorted.Length);
    }

    /// <summary>The uplink adapter as the host wires it, optionally timing each PUBACK.</summary>
    private sealed class Publisher(MqttSession client, Action<string, long>? onAck) : IUplinkPublisher
    {
        public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            await client.PublishAsync(topic, new ReadOnlySequence<byte>(payload), retain: false, cancellationToken);
            if (onAck is not null)
            {
                var text = Encoding.UTF8.GetString(payload.Span[..Math.Min(payload.Length, 200)]);
                var start = text.IndexOf("\"id\":\"", StringComparison.Ordinal) + 6;
                onAck(text[start..text.IndexOf('"', start)], Stopwatch.GetTimestamp());
            }
        }
    }
}
