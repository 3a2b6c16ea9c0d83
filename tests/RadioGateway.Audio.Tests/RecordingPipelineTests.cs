using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Audio.Recording;
using static RadioGateway.Audio.Tests.RecordingTestAudio;

namespace RadioGateway.Audio.Tests;

/// <summary>
/// The recording pipeline: capture through the real libasound (an alsa-lib <c>file</c> plugin PCM reading its
/// <c>infile</c>, no sound card) into a call's recording; audio dropped and counted, never waited for.
/// </summary>
public sealed class RecordingPipelineTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private CallRecorderOptions Options(int sampleRate, RecordingCut cut = RecordingCut.Calls) =>
        new() { RadioId = "bs1", Directory = Path.Combine(_directory, "recordings"), SampleRate = sampleRate, Channels = 1, Cut = cut, HangTime = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task Receive_audio_captured_through_libasound_becomes_the_calls_recording()
    {
        // 3 s at 16 kHz from the file plugin's infile: silence, 1 s of 1 kHz tone from 1 s, silence.
        var input = Path.Combine(_directory, "received.raw");
        var samples = Enumerable.Range(0, 150).SelectMany(i => Block(i, 16000, loud: i is >= 50 and < 100).Samples).ToArray();
        await File.WriteAllBytesAsync(input, [.. samples.SelectMany(BitConverter.GetBytes)]);
        var config = Path.Combine(_directory, "capture.conf");
        await File.WriteAllTextAsync(config, $$"""pcm.radio { type file slave.pcm { type null } file "/dev/null" infile "{{input}}" format "raw" }""");

        // The sample clock starts at the fake clock's now: the call's times are on the capture's timeline.
        var time = new FakeTimeProvider(Origin);
        var pipeline = new RecordingPipeline(new AlsaAudioCapture("radio", 16000, 1, time, config), Options(16000), time, NullLogger.Instance);
        var recorded = new TaskCompletionSource<FinishedRecording?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pipeline.CallStarted("gw.bs1.ts2.call", Origin + TimeSpan.FromSeconds(1));
        pipeline.CallEnded("gw.bs1.ts2.call", Origin + TimeSpan.FromSeconds(2), r => recorded.TrySetResult(r));
        using var stop = new CancellationTokenSource();
        var running = pipeline.RunAsync(stop.Token);

        var recording = await recorded.Task.WaitAsync(Patience);
        await stop.CancelAsync();
        await running.WaitAsync(Patience);

        Assert.NotNull(recording);
        Assert.Equal(Origin + TimeSpan.FromSeconds(1), recording.Start);
        Assert.Equal(TimeSpan.FromSeconds(1), recording.Duration);
        var decoded = await DecodeAsync(recording.FullPath);
        Assert.InRange(decoded.Length, 48000 - 960, 48000 + 960);
        // The tone throughout, not the silence around it. (The file plugin is not paced: the capture outruns the
        // loop and later blocks are dropped; the first 250 are always queued.)
        Assert.InRange(Rms(decoded, 4800, 38400), 4000, 7000);
    }

    [Fact]
    public async Task When_the_recording_loop_is_stalled_audio_is_dropped_and_counted_and_callers_never_wait()
    {
        // A loud block then silence: a level recording finishes after the hang time, and its handler stalls the loop.
        var capture = new MemoryCapture(8000, blocks: 200, loudBlocks: 1);
        var pipeline = new RecordingPipeline(capture, Options(8000, RecordingCut.Level), new FakeTimeProvider(Origin), NullLogger.Instance, capacityBlocks: 10);
        using var stall = new ManualResetEventSlim();
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pipeline.Finished += _ =>
        {
            stalled.TrySetResult();
            stall.Wait(Patience);
        };
        using var stop = new CancellationTokenSource();
        var running = pipeline.RunAsync(stop.Token);
        await stalled.Task.WaitAsync(Patience);
        await capture.AllRead.Task.WaitAsync(Patience);

        // The radio path posts a call's boundaries while the loop is stalled: it returns at once.
        pipeline.CallStarted("c", Origin);
        pipeline.CallEnded("c", Origin, _ => { });

        Assert.InRange(pipeline.DroppedBlocks, 200 - 10 - 20, 200 - 10);
        stall.Set();
        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    /// <summary>Blocks of 8 kHz audio from memory, as fast as they are read; then the end.</summary>
    private sealed class MemoryCapture(int sampleRate, int blocks, int loudBlocks) : IAudioCapture
    {
        private int _block;

        public TaskCompletionSource AllRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Description => "memory";

        public int SampleRate => sampleRate;

        public int Channels => 1;

        public int Read(Span<short> samples, out DateTimeOffset start)
        {
            start = Origin + (RecordingPipeline.BlockDuration * _block);
            if (_block == blocks)
            {
                AllRead.TrySetResult();
                return 0;
            }

            Block(_block, sampleRate, loud: _block < loudBlocks).Samples.CopyTo(samples);
            _block++;
            return sampleRate / 50;
        }

        public void Dispose()
        {
        }
    }
}
