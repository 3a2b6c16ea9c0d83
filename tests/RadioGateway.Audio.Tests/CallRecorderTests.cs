using NAudio.Wave;
using RadioGateway.Audio.Recording;
using static RadioGateway.Audio.Tests.RecordingTestAudio;

namespace RadioGateway.Audio.Tests;

/// <summary>
/// Cutting receive audio into recordings: by the call tracker's start and end, within one 20 ms capture block of
/// each; by level with hang time; Opus decoded by opusdec, WAV read back by NAudio.
/// </summary>
public sealed class CallRecorderTests : IDisposable
{
    private static readonly TimeSpan Block = RecordingPipeline.BlockDuration;
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-rec-").FullName;
    private readonly List<FinishedRecording> _finished = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private CallRecorder Recorder(RecordingEncoding encoding = RecordingEncoding.Opus, RecordingCut cut = RecordingCut.Calls) =>
        new(new CallRecorderOptions { RadioId = "bs1", Directory = _directory, SampleRate = 16000, Channels = 1, Encoding = encoding, Cut = cut, HangTime = TimeSpan.FromMilliseconds(500) }, _finished.Add);

    [Fact]
    public async Task A_call_is_recorded_from_its_start_to_its_end_within_one_block_and_decodes_with_opusdec()
    {
        // Tone from block 50 (1.00 s) to block 150 (3.00 s); the call from 1.013 s to 3.007 s, reported as it happens.
        var start = Origin + TimeSpan.FromMilliseconds(1013);
        var end = Origin + TimeSpan.FromMilliseconds(3007);
        using var recorder = Recorder();
        for (var index = 0; index < 250; index++)
        {
            var block = Block(index, 16000, loud: index is >= 50 and < 150);
            if (block.Start <= start && start < block.Start + Block)
            {
                recorder.CallStarted("gw.bs1.ts1.call", start);
            }

            recorder.Audio(block);
            if (block.Start + Block > end && _finished.Count == 0 && index > 100)
            {
                Assert.True(recorder.CallEnded("gw.bs1.ts1.call", end));
            }
        }

        var recording = Assert.Single(_finished);
        Assert.Equal("gw.bs1.ts1.call", recording.CallId);
        Assert.Equal("2026-11-30/gw.bs1.ts1.call.opus", recording.File);
        Assert.InRange(start - recording.Start, TimeSpan.Zero, Block - TimeSpan.FromTicks(1));
        Assert.InRange(recording.Start + recording.Duration - end, TimeSpan.Zero, Block - TimeSpan.FromTicks(1));
        Assert.Equal(new FileInfo(recording.FullPath).Length, recording.Bytes);

        var decoded = await DecodeAsync(recording.FullPath);
        Assert.InRange(decoded.Length, (int)(recording.Duration.TotalSeconds * 48000) - 960, (int)(recording.Duration.TotalSeconds * 48000) + 960);
        Assert.InRange(Rms(decoded, 9600, decoded.Length - 19200), 4000, 7000);
    }

    [Fact]
    public void A_call_closed_by_time_out_ends_at_its_last_frame_although_reported_a_second_later()
    {
        using var recorder = Recorder(RecordingEncoding.Wav);
        recorder.CallStarted("timed-out", Origin);
        for (var index = 0; index < 150; index++)
        {
            recorder.Audio(Block(index, 16000, loud: true));
        }

        // 3 s of audio heard; the tracker reports the end at 2 s (its last frame) only now.
        Assert.Empty(_finished);
        Assert.True(recorder.CallEnded("timed-out", Origin + TimeSpan.FromSeconds(2)));

        var recording = Assert.Single(_finished);
        Assert.Equal(TimeSpan.FromSeconds(2), recording.Duration);
        using var wav = new WaveFileReader(recording.FullPath);
        Assert.Equal(16000 * 2, wav.SampleCount);
        Assert.Equal(16000, wav.WaveFormat.SampleRate);
    }

    [Fact]
    public void A_call_that_starts_after_its_audio_arrived_takes_the_held_audio()
    {
        using var recorder = Recorder(RecordingEncoding.Wav);
        for (var index = 0; index < 100; index++)
        {
            recorder.Audio(Block(index, 16000, loud: true));
        }

        // Reported late (the radio loop was slow): its audio from 1.5 s is still held.
        recorder.CallStarted("late", Origin + TimeSpan.FromSeconds(1.5));
        recorder.CallEnded("late", Origin + TimeSpan.FromSeconds(1.9));

        var recording = Assert.Single(_finished);
        Assert.Equal(Origin + TimeSpan.FromSeconds(1.5), recording.Start);
        Assert.Equal(TimeSpan.FromSeconds(0.4), recording.Duration);
    }

    [Fact]
    public void Analog_audio_is_cut_by_level_and_ends_after_the_hang_time()
    {
        using var recorder = Recorder(RecordingEncoding.Wav, RecordingCut.Level);
        for (var index = 0; index < 300; index++)
        {
            // Two transmissions: 1–2 s, a 0.3 s pause (shorter than the hang time), 2.3–3 s; then 4–4.5 s.
            var loud = index is (>= 50 and < 100) or (>= 115 and < 150) or (>= 200 and < 225);
            recorder.Audio(Block(index, 16000, loud));
        }

        Assert.Equal(2, _finished.Count);
        Assert.All(_finished, r => Assert.Null(r.CallId));
        Assert.Equal(Origin + TimeSpan.FromSeconds(1), _finished[0].Start);
        Assert.Equal(TimeSpan.FromSeconds(2.5), _finished[0].Duration); // 1 s to 3 s, then 0.5 s of hang time
        Assert.Equal(Origin + TimeSpan.FromSeconds(4), _finished[1].Start);
        Assert.Equal(TimeSpan.FromSeconds(1), _finished[1].Duration);
        Assert.StartsWith("2026-11-30/bs1.analog.20261130T010001.000Z", _finished[0].File, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_missing_from_the_capture_are_filled_with_silence_so_the_recording_keeps_the_calls_length()
    {
        using var recorder = Recorder(RecordingEncoding.Wav);
        recorder.CallStarted("gap", Origin);
        for (var index = 0; index < 200; index++)
        {
            if (index is < 40 or >= 60)
            {
                recorder.Audio(Block(index, 16000, loud: true));
            }
        }

        recorder.CallEnded("gap", Origin + TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), Assert.Single(_finished).Duration);
    }

    [Fact]
    public void An_end_of_a_call_not_being_recorded_says_so()
    {
        using var recorder = Recorder();
        Assert.False(recorder.CallEnded("never-started", Origin));
        recorder.CallStarted("no-audio", Origin);
        recorder.FinishAll();
        Assert.Empty(_finished);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories));
    }
}
