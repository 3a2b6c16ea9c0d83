using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Outbox;
using RadioGateway.Core.Store;
using RadioGateway.Testing;
using RadioGateway.Uplink;

namespace RadioGateway.Benchmarks;

/// <summary>
/// Issue 9's uplink measurements on one loopback mosquitto, every message counted by a QoS 1 subscriber:
/// (a) draining a backlog through the outbox, (b) the MQTT client alone sending the same payloads from memory,
/// (c) <c>mosquitto_pub -q 1 -l</c> sending them, repeated in rounds (a b c a b c …) so a busy machine affects all
/// three alike; (d) outbox-to-PUBACK latency at a steady 1,000 events/s; (e) peak working set while draining;
/// and (b) at several windows, to show what bounds the client.
/// </summary>
public static class UplinkBench
{
    private const string CommandLine = "dotnet run -c Release --project bench/RadioGateway.Benchmarks -- uplink";
    private const string GatewayId = "bench";
    private const int Window = 64;
    private const int Rounds = 5;
    private const int SteadyPerSecond = 1000;
    private const int SteadySeconds = 10;
    private const int SweepRounds = 3;
    private static readonly int[] SweepWindows = [1, 16, 64, 256];
    private static readonly TimeSpan DeliveryPatience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PublishPatience = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        using var broker = await BenchBroker.StartAsync();
        var work = Directory.CreateTempSubdirectory("radiogw-bench-").FullName;
        try
        {
            await using var probe = await ConnectAsync(broker, "bench/probe/", Window);
            Console.WriteLine($"{CommandLine} {count}");
            Console.WriteLine($"mosquitto {broker.Version} on loopback, {Environment.ProcessorCount} cores, .NET {Environment.Version}; {count:N0} events, QoS 1, {Rounds} rounds");
            var fsync = FsyncProbe.Measure(work);
            Console.WriteLine($"store directory {work}: fsync of 4 KiB p50 {fsync.P50.TotalMilliseconds:0.00} ms, p99 {fsync.P99.TotalMilliseconds:0.00} ms (synchronous=FULL: one per append batch and per outbox delete)");
            Console.WriteLine("cores = CPU seconds / wall seconds: client (this process, or the mosquitto_pub processes), broker, sub (the counting mosquitto_sub), others (rest of the machine)");

            var rounds = new List<Round>();
            BacklogPayloads? payloads = null;
            long cleanPeakWorkingSet = 0;
            for (var round = 1; round <= Rounds; round++)
            {
                Console.WriteLine($"round {round}/{Rounds}");
                var outboxDirectory = Path.Combine(work, $"outbox-{round}");
                var (outbox, peakWorkingSet) = await DrainOutboxAsync(broker, probe, outboxDirectory, round, count);
                Directory.Delete(outboxDirectory, recursive: true);
                Print(outbox, $"peak working set {peakWorkingSet / (1024 * 1024)} MiB");
                if (payloads is null)
                {
                    // Built only now, so the first drain's working set is the gateway's alone.
                    cleanPeakWorkingSet = peakWorkingSet;
                    payloads = BacklogPayloads.Build(count, GatewayId, work);
                    Console.WriteLine($"  payloads: {payloads.Bytes / count} bytes on average, {payloads.LineFiles.Count} line files for mosquitto_pub");
                }

                if (outbox.PayloadBytes != payloads.Bytes)
                {
                    throw new InvalidOperationException($"The outbox sent {outbox.PayloadBytes:N0} payload bytes, the prepared payloads are {payloads.Bytes:N0}: not the same messages.");
                }

                var mqttnet = await PublishFromMemoryAsync(broker, probe, $"bench/r{round}/mqttnet/", payloads, Window);
                Print(mqttnet);
                var mosquittoPub = await MosquittoPubAsync(broker, probe, $"bench/r{round}/mosquitto_pub/", payloads);
                Print(mosquittoPub);
                rounds.Add(new Round(outbox, mqttnet, mosquittoPub, peakWorkingSet));
            }

            Console.WriteLine($"(d) steady {SteadyPerSecond:N0} events/s for {SteadySeconds} s through EventRecorder and the outbox");
            var latency = await SteadyLatencyAsync(broker, probe, Path.Combine(work, "steady"));
            Console.WriteLine($"  outbox→PUBACK over {latency.Events:N0} events: p50 {latency.P50.TotalMilliseconds:0.00} ms, p99 {latency.P99.TotalMilliseconds:0.00} ms, max {latency.Max.TotalMilliseconds:0.00} ms   arrived {latency.Arrived:N0}/{latency.Events:N0}   {latency.Cpu}");

            Console.WriteLine($"(b) by window: MQTTnet alone, same payloads, {SweepRounds} rounds");
            var sweep = new List<Measurement>();
            for (var round = 1; round <= SweepRounds; round++)
            {
                foreach (var window in SweepWindows)
                {
                    var measurement = await PublishFromMemoryAsync(broker, probe, $"bench/w{round}/window{window}/", payloads!, window);
                    Print(measurement);
                    sweep.Add(measurement);
                }
            }

            PrintSummary(count, broker.Version, fsync, payloads!, rounds, cleanPeakWorkingSet, latency, sweep);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>(a): a fresh outbox holding the backlog, drained by the host's drainer over an <see cref="MqttSession"/> until empty.</summary>
    private static async Task<(Measurement Drain, long PeakWorkingSet)> DrainOutboxAsync(BenchBroker broker, MqttSession probe, string directory, int round, int count)
    {
        var prefix = $"bench/r{round}/outbox/";
        var envelope = new CloudEventWriter(GatewayId, prefix);
        using var store = GatewayStore.Open(directory, envelope);
        for (var start = 0; start < count; start += 1000)
        {
            store.Append(Enumerable.Range(start, Math.Min(1000, count - start)).Select(i => BenchEvents.CallEnded(i, BenchEvents.FixedTime)).ToList());
        }

        using var subscriber = await DeliveryCounter.StartAsync(broker, prefix, envelope.TopicFor("call"), probe);
        await using var session = await ConnectAsync(broker, prefix, Window);
        var publisher = new CountingPublisher(session, count);
        // As the host does (MqttUplinkService): created after the backlog, so every entry is sent marked replayed.
        var drainer = new OutboxDrainer(store, publisher, WarningLogger<OutboxDrainer>.Instance, options: new OutboxDrainerOptions { Window = Window });
        using var stop = new CancellationTokenSource();
        CollectGarbage();
        PeakWorkingSet.Reset();
        var meter = CpuMeter.Start(broker, subscriber);
        var draining = drainer.RunAsync(stop.Token);
        await publisher.AllAcknowledged.WaitAsync(PublishPatience);
        // The drainer removes acknowledged entries in batches: done when the last batch is gone.
        while (store.GetBacklog().Count > 0)
        {
            await Task.Delay(1);
        }

        var cpu = meter.Stop();
        var peakWorkingSet = PeakWorkingSet.Read();
        await stop.CancelAsync();
        await draining;
        var arrived = await subscriber.WaitForAsync(count, DeliveryPatience);
        return (new Measurement($"(a) outbox drain, window {Window}", count, arrived, cpu, publisher.Bytes), peakWorkingSet);
    }

    /// <summary>(b): the session alone, publishing the prepared payloads in order with <paramref name="window"/> awaiting PUBACK.</summary>
    private static async Task<Measurement> PublishFromMemoryAsync(BenchBroker broker, MqttSession probe, string prefix, BacklogPayloads payloads, int window)
    {
        var topic = prefix + "events/call";
        using var subscriber = await DeliveryCounter.StartAsync(broker, prefix, topic, probe);
        await using var session = await ConnectAsync(broker, prefix, window);
        if (session.Limits!.InFlightWindow != window)
        {
            throw new InvalidOperationException($"The broker lowered the window from {window} to {session.Limits.InFlightWindow} (Receive Maximum).");
        }

        CollectGarbage();
        var meter = CpuMeter.Start(broker, subscriber);
        var inFlight = new Queue<Task>(window);
        foreach (var payload in payloads.Messages)
        {
            if (inFlight.Count == window)
            {
                await inFlight.Dequeue();
            }

            inFlight.Enqueue(session.PublishAsync(topic, new ReadOnlySequence<byte>(payload), retain: false, CancellationToken.None));
        }

        await Task.WhenAll(inFlight).WaitAsync(PublishPatience);
        var cpu = meter.Stop();
        var arrived = await subscriber.WaitForAsync(payloads.Messages.Count, DeliveryPatience);
        return new Measurement($"(b) MQTTnet alone, window {window}", payloads.Messages.Count, arrived, cpu, payloads.Bytes);
    }

    /// <summary>(c): one <c>mosquitto_pub -q 1 -l</c> per line file, all at once; timed from their start until the last exits.</summary>
    private static async Task<Measurement> MosquittoPubAsync(BenchBroker broker, MqttSession probe, string prefix, BacklogPayloads payloads)
    {
        var topic = prefix + "events/call";
        var mosquittoPub = ExternalTool.Require("mosquitto_pub", "mosquitto-clients");
        using var subscriber = await DeliveryCounter.StartAsync(broker, prefix, topic, probe);
        CollectGarbage();
        var meter = CpuMeter.Start(broker, subscriber);
        var processes = payloads.LineFiles.Select(lines => Process.Start(new ProcessStartInfo("sh", [
            "-c", "exec \"$0\" -h 127.0.0.1 -p \"$1\" -q 1 -t \"$2\" -l < \"$3\"", mosquittoPub, broker.PortText, topic, lines,
        ])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start mosquitto_pub.")).ToList();
        var errors = processes.Select(p => p.StandardError.ReadToEndAsync()).ToList();
        await Task.WhenAll(processes.Select(p => p.WaitForExitAsync())).WaitAsync(PublishPatience);
        var cpu = meter.Stop();
        foreach (var (process, error) in processes.Zip(errors))
        {
            using (process)
            {
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"mosquitto_pub exited with {process.ExitCode}: {await error}");
                }
            }
        }

        var arrived = await subscriber.WaitForAsync(payloads.Messages.Count, DeliveryPatience);
        var name = $"(c) mosquitto_pub -q 1 -l, {processes.Count} × ≤{BacklogPayloads.LinesPerMosquittoPub:N0} lines";
        return new Measurement(name, payloads.Messages.Count, arrived, cpu, payloads.Bytes);
    }

    /// <summary>(d): events appended through <see cref="EventRecorder"/> at a steady rate; latency from append to PUBACK.</summary>
    private static async Task<SteadyLatency> SteadyLatencyAsync(BenchBroker broker, MqttSession probe, string directory)
    {
        const int total = SteadyPerSecond * SteadySeconds;
        var prefix = "bench/steady/";
        var envelope = new CloudEventWriter(GatewayId, prefix);
        using var store = GatewayStore.Open(directory, envelope);
        using var subscriber = await DeliveryCounter.StartAsync(broker, prefix, envelope.TopicFor("call"), probe);
        await using var session = await ConnectAsync(broker, prefix, Window);
        var appendedAt = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentQueue<TimeSpan>();
        var publisher = new CountingPublisher(session, total, (payload, acknowledgedAt) =>
            latencies.Enqueue(Stopwatch.GetElapsedTime(appendedAt[EventIdOf(payload.Span)], acknowledgedAt)));
        var drainer = new OutboxDrainer(store, publisher, WarningLogger<OutboxDrainer>.Instance, options: new OutboxDrainerOptions { Window = Window });
        await using var recorder = new EventRecorder(store, WarningLogger<EventRecorder>.Instance);
        using var stop = new CancellationTokenSource();
        var draining = drainer.RunAsync(stop.Token);
        CollectGarbage();
        var meter = CpuMeter.Start(broker, subscriber);
        // Its own thread: sleeping in between, it takes no core from the pipeline it measures, nor a pool thread.
        await Task.Factory.StartNew(() => AppendSteadily(recorder, appendedAt, total), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await publisher.AllAcknowledged.WaitAsync(PublishPatience);
        var cpu = meter.Stop();
        await stop.CancelAsync();
        await draining;
        var arrived = await subscriber.WaitForAsync(total, DeliveryPatience);
        var sorted = latencies.Order().ToArray();
        return new SteadyLatency(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1], arrived, cpu);
    }

    private static void AppendSteadily(EventRecorder recorder, ConcurrentDictionary<string, long> appendedAt, int total)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (i * Stopwatch.Frequency / SteadyPerSecond);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.Sleep(1);
            }

            var ended = BenchEvents.CallEnded(i, DateTimeOffset.UtcNow);
            appendedAt[ended.Id] = Stopwatch.GetTimestamp();
            recorder.Publish(ended);
        }
    }

    // The CloudEvents id: the second member, before any "id" inside data.
    private static string EventIdOf(ReadOnlySpan<byte> cloudEvent)
    {
        var reader = new Utf8JsonReader(cloudEvent);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("id"u8) && reader.Read())
            {
                return reader.GetString()!;
            }
        }

        throw new InvalidOperationException("A published CloudEvent has no id.");
    }

    // Nearest rank.
    private static TimeSpan Percentile(TimeSpan[] sorted, double fraction) => sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)];

    // The client id is the measurement's topic prefix without its last slash.
    private static async Task<MqttSession> ConnectAsync(BenchBroker broker, string prefix, int window)
    {
        var session = new MqttSession(new MqttSessionOptions { Broker = broker.Uri, ClientId = prefix.TrimEnd('/'), MaxInFlight = window }, WarningLogger<MqttSession>.Instance);
        session.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await session.WaitUntilConnectedAsync(timeout.Token);
        return session;
    }

    // Garbage of the setup (the filled store, the payloads) is not collected on the measurement's time.
    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Print(Measurement measurement, string extra = "") => Console.WriteLine(
        $"  {measurement.Name,-46} {measurement.Elapsed.TotalSeconds,6:0.000} s {measurement.Rate,8:N0} msg/s   arrived {measurement.Arrived:N0}/{measurement.Messages:N0}   {measurement.Cpu}   {extra}".TrimEnd());

    private static void PrintSummary(int count, string mosquittoVersion, (TimeSpan P50, TimeSpan P99) fsync, BacklogPayloads payloads, List<Round> rounds, long cleanPeakWorkingSet, SteadyLatency latency, List<Measurement> sweep)
    {
        static string Rates(IEnumerable<Measurement> runs)
        {
            var (min, median, max) = Spread(runs.Select(r => r.Rate));
            return $"{min:N0} / {median:N0} / {max:N0} msg/s";
        }

        static string Ratios(IEnumerable<double> ratios)
        {
            var (min, median, max) = Spread(ratios);
            return $"{min:0.00} / {median:0.00} / {max:0.00}";
        }

        var outboxToMqttnet = rounds.Select(r => r.Outbox.Rate / r.Mqttnet.Rate).ToList();
        var outboxToMosquittoPub = rounds.Select(r => r.Outbox.Rate / r.MosquittoPub.Rate).ToList();
        var arrived = rounds.SelectMany(r => new[] { r.Outbox, r.Mqttnet, r.MosquittoPub }).Concat(sweep).ToList();
        Console.WriteLine();
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, mosquitto {mosquittoVersion} (own quiet config), {Environment.ProcessorCount} cores shared with other builds, "
            + $"store on a disk whose fsync takes {fsync.P50.TotalMilliseconds:0.00} ms (p50) / {fsync.P99.TotalMilliseconds:0.00} ms (p99), "
            + $"{count:N0} call-end CloudEvents of {payloads.Bytes / count} bytes (marked replayed), QoS 1, one loopback broker; "
            + $"min / median / max of {rounds.Count} rounds run a b c a b c …; ratios are of throughput, per round:");
        Console.WriteLine();
        Console.WriteLine($"    {CommandLine} {count}");
        Console.WriteLine();
        Console.WriteLine("| measure | result | goal |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| (a) drain the backlog: GatewayStore + OutboxDrainer + MqttSession, window {Window} | {Rates(rounds.Select(r => r.Outbox))} | — |");
        Console.WriteLine($"| (b) MqttSession alone, same payloads from memory, window {Window} | {Rates(rounds.Select(r => r.Mqttnet))} | — |");
        Console.WriteLine($"| (c) `mosquitto_pub -q 1 -l`, {payloads.LineFiles.Count} × ≤{BacklogPayloads.LinesPerMosquittoPub:N0} lines in parallel (its default window: 20 each) | {Rates(rounds.Select(r => r.MosquittoPub))} | — |");
        Console.WriteLine($"| (a)/(b) | {Ratios(outboxToMqttnet)} | ≥ 0.9: {(Spread(outboxToMqttnet).Median >= 0.9 ? "met" : "not met")} (median) |");
        Console.WriteLine($"| (a)/(c) | {Ratios(outboxToMosquittoPub)} | anchor |");
        Console.WriteLine($"| (d) outbox→PUBACK at {SteadyPerSecond:N0} events/s for {SteadySeconds} s ({latency.Events:N0} events) | p50 {latency.P50.TotalMilliseconds:0.00} ms, p99 {latency.P99.TotalMilliseconds:0.00} ms, max {latency.Max.TotalMilliseconds:0.00} ms | p99 ≤ 5 ms: {(latency.P99.TotalMilliseconds <= 5 ? "met" : "not met")} |");
        Console.WriteLine($"| (e) peak working set during (a) | {cleanPeakWorkingSet / (1024 * 1024)} MiB (round 1; later rounds {rounds.Skip(1).Select(r => r.PeakWorkingSet).DefaultIfEmpty().Max() / (1024 * 1024)} MiB at most, with the bench's own copies of the payloads) | — |");
        Console.WriteLine();
        Console.WriteLine($"Every message arrived at a QoS 1 subscriber: {arrived.Sum(m => m.Arrived) + latency.Arrived:N0} of {arrived.Sum(m => m.Messages) + latency.Events:N0} (each measurement counted on its own topic).");
        Console.WriteLine();
        Console.WriteLine($"| (b) window | msg/s (min / median / max of {SweepRounds}) | client cores | broker cores | others' cores (median) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var window in SweepWindows)
        {
            var runs = sweep.Where((_, i) => SweepWindows[i % SweepWindows.Length] == window).ToList();
            Console.WriteLine($"| {window} | {Rates(runs)} | {Spread(runs.Select(r => r.Cpu.Client / r.Elapsed)).Median:0.00} | {Spread(runs.Select(r => r.Cpu.Broker / r.Elapsed)).Median:0.00} | {Spread(runs.Select(r => r.Cpu.Others / r.Elapsed)).Median:0.00} |");
        }
    }

    private static (double Min, double Median, double Max) Spread(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return (sorted[0], median, sorted[^1]);
    }

    /// <summary>One timed sending of a batch of messages.</summary>
    private sealed record Measurement(string Name, int Messages, long Arrived, CpuUse Cpu, long PayloadBytes)
    {
        public TimeSpan Elapsed => Cpu.Wall;

        public double Rate => Messages / Elapsed.TotalSeconds;
    }

    private sealed record Round(Measurement Outbox, Measurement Mqttnet, Measurement MosquittoPub, long PeakWorkingSet);

    private sealed record SteadyLatency(int Events, TimeSpan P50, TimeSpan P99, TimeSpan Max, long Arrived, CpuUse Cpu);
}
