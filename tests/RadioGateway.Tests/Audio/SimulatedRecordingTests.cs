using Microsoft.Extensions.Logging.Abstractions;
using NAudio.Wave;
using RadioGateway.Audio.Recording;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Store;
using RadioGateway.Hosting;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Testing;

namespace RadioGateway.Tests.Audio;

/// <summary>
/// <c>run --simulate</c> with audio: the simulated base station plays two calls on the air (a 700 Hz tone on slot 1,
/// 1200 Hz on slot 2) and their bursts on one clock; the gateway's radio worker, call tracker, recording service and
/// journal run as in the service. Each journal call gets its recording, beginning within one 20 ms capture block
/// before the call's start and ending within one block after its end, decoded by opusdec with its slot's tone.
/// </summary>
public sealed class SimulatedRecordingTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-simrec-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The journal, waiting for a number of ended calls.</summary>
    private sealed class Journal(GatewayStore store, int calls) : IEventSink
    {
        private int _ended;

        public TaskCompletionSource AllEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Publish(DomainEvent domainEvent)
        {
            lock (store)
            {
                store.Append([domainEvent]);
            }

            if (domainEvent is CallEnded && Interlocked.Increment(ref _ended) == calls)
            {
                AllEnded.TrySetResult();
            }
        }
    }

    [Fact]
    public async Task Each_call_of_a_simulated_session_is_recorded_within_one_block_of_its_journal_boundaries()
    {
        var opusdec = ExternalTool.Require("opusdec", "opus-tools");
        var scenario = new Scenario("two calls", [
            new ScenarioCall(TimeSpan.FromMilliseconds(300), Slot: 1, Source: 3120101, Destination: 9, Group: true, Duration: TimeSpan.FromMilliseconds(720)),
            new ScenarioCall(TimeSpan.FromMilliseconds(1800), Slot: 2, Source: 3120102, Destination: 9, Group: true, Duration: TimeSpan.FromMilliseconds(1080)),
        ]);
        var plan = SimulatedBaseStation.Plan(TimeProvider.System, NullLoggerFactory.Instance, scenario);
        var settings = new GatewaySettings(new GatewayOptions(), new MqttOptions(), [], new ConsoleOptions(), new CommandOptions(), _directory, null);
        using var store = GatewayStore.Open(_directory, new CloudEventWriter("gw"), TimeProvider.System);
        var journal = new Journal(store, calls: 2);
        using var recordings = new CallRecordingService(settings, [plan], TimeProvider.System, NullLoggerFactory.Instance);
        using var radio = new RadioWorker(plan, settings, new RecordingEventSink(journal, recordings), TimeProvider.System, NullLoggerFactory.Instance, new RadioAnswerHub());

        await recordings.StartAsync(CancellationToken.None);
        await radio.StartAsync(CancellationToken.None);
        await journal.AllEnded.Task.WaitAsync(Patience);
        await radio.StopAsync(CancellationToken.None);
        await recordings.StopAsync(CancellationToken.None);

        using var reader = store.OpenReader();
        var calls = reader.QueryCalls(new CallQuery());
        Assert.Equal([1, 2], calls.Select(c => c.Slot));
        foreach (var call in calls)
        {
            var recording = call.Recording;
            Assert.NotNull(recording);
            var recordingEnd = recording.Start + TimeSpan.FromMilliseconds(recording.DurationMs);
            Assert.InRange(call.Start - recording.Start, TimeSpan.Zero, RecordingPipeline.BlockDuration);
            Assert.InRange(recordingEnd - call.End!.Value, TimeSpan.FromMilliseconds(-1), RecordingPipeline.BlockDuration);

            var path = Path.Combine(recordings.Directory, recording.File);
            Assert.Equal(new FileInfo(path).Length, recording.Bytes);
            var samples = await DecodeAsync(opusdec, path);
            Assert.InRange(samples.Length, (recording.DurationMs - 20) * 48, (recording.DurationMs + 20) * 48);

            // Its own slot's tone throughout (zero crossings of the middle part), not silence and not the other slot's.
            var middle = samples[4800..^4800];
            Assert.All(middle.Chunk(960), block => Assert.InRange(Math.Sqrt(block.Average(s => (double)s * s)), 2500, 6000));
            var hertz = Crossings(middle) / 2.0 / (middle.Length / 48000.0);
            Assert.InRange(hertz, SimulatedAir.SlotTones[call.Slot - 1] * 0.95, SimulatedAir.SlotTones[call.Slot - 1] * 1.05);
        }
    }

    /// <summary>Zero crossings with hysteresis (±1000), so that coding noise around zero does not count.</summary>
    private static int Crossings(short[] samples)
    {
        var crossings = 0;
        var positive = samples[0] > 0;
        foreach (var sample in samples)
        {
            if (positive ? sample < -1000 : sample > 1000)
            {
                positive = !positive;
                crossings++;
            }
        }

        return crossings;
    }

    private static async Task<short[]> DecodeAsync(string opusdec, string opus)
    {
        var wav = Path.ChangeExtension(opus, ".wav");
        using (var decoder = ExternalTool.Start(opusdec, ["--rate", "48000", opus, wav]))
        {
            await decoder.Process.WaitForExitAsync().WaitAsync(Patience);
            Assert.True(decoder.Process.ExitCode == 0, decoder.Output);
        }

        using var reader = new WaveFileReader(wav);
        var bytes = new byte[reader.Length];
        var read = reader.Read(bytes, 0, bytes.Length);
        return [.. Enumerable.Range(0, read / 2).Select(i => BitConverter.ToInt16(bytes, i * 2))];
    }
}
