using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Cli;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Calls;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Transport.InProcess;

namespace RadioGateway.Tests.Cli;

/// <summary>
/// A simulator session recorded on the serial line (the bytes the simulated modem sends), played through the
/// gateway into its journal, then the recording through <c>radiogw decode --format mmdvm</c>: both must find the
/// same calls, CSBKs, positions, texts and registrations.
/// </summary>
public sealed class DecodeReplayTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly Scenario Session = new(
        "replay",
        [
            new ScenarioCall(TimeSpan.FromSeconds(0.2), 1, 3120101, 101, Group: true, TimeSpan.FromMilliseconds(2160), Alias: "Team 1 Tehran", BitErrors: 1),
            new ScenarioCall(TimeSpan.FromSeconds(0.3), 2, 3120102, 3120001, Group: false, TimeSpan.FromMilliseconds(1440), LateEntry: true),
            new ScenarioCall(TimeSpan.FromSeconds(5.4), 1, 3120103, 9, Group: true, TimeSpan.FromMilliseconds(1080), Emergency: true, LostFrames: 2),
        ],
        [new ScenarioSignal(TimeSpan.FromSeconds(2.2), 2, "radio-check", 3120001, 3120104)],
        Data:
        [
            // Data calls on one slot a second apart, so their bursts do not interleave.
            new ScenarioData(TimeSpan.FromSeconds(2.5), 1, "ars-register", 3120105, Scenario.DispatcherId),
            new ScenarioData(TimeSpan.FromSeconds(3.5), 1, "lrrp-position", 3120105, Scenario.DispatcherId, Latitude: -34.6037, Longitude: -58.3816, SpeedKmh: 42.5, HeadingDeg: 270),
            new ScenarioData(TimeSpan.FromSeconds(2.6), 2, "tms-text", 3120102, Scenario.DispatcherId, Text: "تیم در محل حادثه است"),
            new ScenarioData(TimeSpan.FromSeconds(4.5), 1, "hytera-lp-position", 3120106, Scenario.DispatcherId, Latitude: 35.6892, Longitude: 51.389),
            new ScenarioData(TimeSpan.FromSeconds(3.6), 2, "hytera-tmp-text", 3120106, 101, GroupTarget: true, Text: "need support"),
            new ScenarioData(TimeSpan.FromSeconds(4.6), 2, "ars-deregister", 3120105, Scenario.DispatcherId),
        ]);

    /// <summary>Counts ended calls for the test to wait on, passing every event to the journal.</summary>
    private sealed class Recording(IEventSink journal, int calls) : IEventSink
    {
        private int _ended;

        public TaskCompletionSource AllCallsEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Publish(DomainEvent domainEvent)
        {
            journal.Publish(domainEvent);
            if (domainEvent is CallEnded && Interlocked.Increment(ref _ended) == calls)
            {
                AllCallsEnded.TrySetResult();
            }
        }
    }

    /// <summary>The device end of the serial line, keeping a copy of everything the modem writes.</summary>
    private sealed class Tap(Stream inner) : Stream
    {
        private readonly MemoryStream _written = new();

        public byte[] Written()
        {
            lock (_written)
            {
                return _written.ToArray();
            }
        }

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_written)
            {
                _written.Write(buffer.Span);
            }

            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private async Task<byte[]> RecordSessionIntoJournalAsync()
    {
        var (host, device) = InProcessLink.CreatePair();
        var tap = new Tap(device);
        using var stop = new CancellationTokenSource();
        var modem = new SimulatedMmdvmModem(Session, new SimulatedModemOptions { Loop = false }, TimeProvider.System, NullLogger.Instance).RunAsync(tap, stop.Token);
        using var store = GatewayStore.Open(_directory, new CloudEventWriter("gw"), TimeProvider.System);
        var recorder = new EventRecorder(store, NullLogger<EventRecorder>.Instance, TimeProvider.System);
        var sink = new Recording(recorder, Session.Calls.Count);
        // Every call ends with its terminator; the long frame time-out keeps a stall of this busy test machine from splitting one.
        using (var tracker = new CallTracker("gw", "bs1", sink, TimeProvider.System, NullLogger<CallTracker>.Instance, new CallTrackerOptions { FrameTimeout = TimeSpan.FromSeconds(20) }))
        {
            var receiver = new DmrReceiveAdapter("bs1", 1, tracker, sink, TimeProvider.System, NullLogger.Instance);
            var settings = new MmdvmSessionSettings
            {
                RadioId = "bs1",
                Config = new MmdvmConfig(false, false, false, Simplex: false, 100, 50, 50, ColourCode: 1, 0),
                Frequency = new MmdvmFrequency(430_375_000, 438_975_000, 255),
            };
            var session = new MmdvmModemSession(settings, receiver, sink, TimeProvider.System, NullLogger.Instance).RunAsync(host, stop.Token);

            await sink.AllCallsEnded.Task.WaitAsync(Patience);
            await stop.CancelAsync();
            await Task.WhenAll(session, modem).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await recorder.DisposeAsync();
        host.Dispose();
        device.Dispose();
        return tap.Written();
    }

    private static List<JournalEvent> Decode(byte[] capture)
    {
        // As a technician would save it: hex, one line per 64 bytes of the serial stream.
        var hex = string.Join('\n', capture.Chunk(64).Select(Convert.ToHexString));
        using var output = new MemoryStream();
        DecodeCommand.Run(new StringReader(hex), output, "mmdvm");
        return Encoding.UTF8.GetString(output.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(item => item.TryGetProperty("event", out _))
            .Select(item => new JournalEvent(
                item.GetProperty("id").GetString()!,
                item.GetProperty("event").GetString()!,
                item.GetProperty("type").GetString()!,
                null,
                item.GetProperty("time").GetDateTimeOffset(),
                item.GetProperty("data").GetRawText()))
            .ToList();
    }

    private static object CallSummary(CallRecord call) =>
        (call.Slot, call.Source.Id, call.Source.Alias, call.Destination, call.EndReason, call.Frames, call.LostFrames, call.Emergency, call.LateEntry, call.Ber);

    private static List<string> Registrations(IEnumerable<JournalEvent> events) => events
        .Where(e => e.Kind == "registration")
        .Select(e => JsonSerializer.Deserialize<RegistrationChanged>(e.DataJson, EventJson.Options)!)
        .Select(r => $"{r.Unit.Id} {r.Registered} {r.Protocol}")
        .ToList();

    [Fact]
    public async Task Decoding_the_serial_capture_finds_what_the_gateway_journaled_from_it()
    {
        var capture = await RecordSessionIntoJournalAsync();

        var decoded = Decode(capture);

        using var journal = JournalReader.OpenDirectory(_directory);
        var journaled = journal.QueryEvents(limit: 10_000);
        var calls = journal.QueryCalls(new CallQuery()).OrderBy(c => (c.Start, c.Slot)).Select(CallSummary).ToList();
        var decodedCalls = decoded.Where(e => e.Type == "radiogw.call.ended")
            .Select(e => JsonSerializer.Deserialize<CallRecord>(e.DataJson, EventJson.Options)!)
            .OrderBy(c => (c.Start, c.Slot))
            .Select(CallSummary)
            .ToList();
        Assert.Equal(3, calls.Count);
        Assert.Equal(calls, decodedCalls);

        var positions = MessageFormatter.Positions(journaled).Select(p => (p.Id, p.Unit.Id, p.Lat, p.Lon, p.SpeedKmh, p.HeadingDeg, p.FixTime, p.Via)).ToList();
        Assert.Equal(2, positions.Count);
        Assert.Equal(positions, MessageFormatter.Positions(decoded).Select(p => (p.Id, p.Unit.Id, p.Lat, p.Lon, p.SpeedKmh, p.HeadingDeg, p.FixTime, p.Via)));

        var texts = MessageFormatter.Texts(journaled).Select(t => (t.From.Id, t.To, t.Text, t.Protocol, t.AckRequested, t.SequenceNumber)).ToList();
        Assert.Equal(2, texts.Count);
        Assert.Equal(texts, MessageFormatter.Texts(decoded).Select(t => (t.From.Id, t.To, t.Text, t.Protocol, t.AckRequested, t.SequenceNumber)));

        Assert.Equal(["3120105 True ars", "3120105 False ars"], Registrations(journaled));
        Assert.Equal(Registrations(journaled), Registrations(decoded));

        // The radio check and the preambles in front of the data calls (repeats within 2 s are one event).
        var csbks = journaled.Where(e => e.Kind == "csbk").Select(e => e.DataJson.Replace("\"bs1\"", "\"capture\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(csbks, c => c.Contains("\"radio-check\"", StringComparison.Ordinal));
        Assert.Contains(csbks, c => c.Contains("\"preamble\"", StringComparison.Ordinal));
        Assert.Equal(csbks, decoded.Where(e => e.Kind == "csbk").Select(e => e.DataJson));
    }
}
