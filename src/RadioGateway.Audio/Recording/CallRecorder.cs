using System.Globalization;

namespace RadioGateway.Audio.Recording;

/// <summary>How a radio's receive audio is cut into recordings.</summary>
public enum RecordingCut
{
    /// <summary>By the call tracker: from a call's start to its end (DMR).</summary>
    Calls,

    /// <summary>By the audio level: from the first block at or above the threshold until it has stayed below for the hang time (analog).</summary>
    Level,
}

/// <summary>Where and how one radio's recordings are written.</summary>
public sealed record CallRecorderOptions
{
    public required string RadioId { get; init; }

    /// <summary>The recordings directory; files go in a sub-directory per UTC day.</summary>
    public required string Directory { get; init; }

    public required int SampleRate { get; init; }

    public required int Channels { get; init; }

    public RecordingEncoding Encoding { get; init; } = RecordingEncoding.Opus;

    public RecordingCut Cut { get; init; } = RecordingCut.Calls;

    /// <summary>With <see cref="RecordingCut.Level"/>: a block whose RMS level is at or above this (dBFS) opens or extends a recording.</summary>
    public double LevelDbfs { get; init; } = -40;

    /// <summary>With <see cref="RecordingCut.Level"/>: the recording ends after this long below <see cref="LevelDbfs"/>.</summary>
    public TimeSpan HangTime { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Audio is held this long before it is written, and kept this long for a call that starts after its audio
    /// arrived: a call the tracker closes by time-out ends at its last frame, a second earlier than it is reported
    /// (<c>CallTrackerOptions.FrameTimeout</c>).
    /// </summary>
    public TimeSpan Holdback { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>A recording written and closed.</summary>
/// <param name="CallId">The journal call it records; null for a recording cut by level (analog).</param>
/// <param name="File">Its path relative to the recordings directory, with '/' separators.</param>
/// <param name="Start">When its first sample was captured.</param>
public sealed record FinishedRecording(string? CallId, string File, string FullPath, DateTimeOffset Start, TimeSpan Duration, long Bytes);

/// <summary>
/// Cuts one radio's receive audio into recordings (<see cref="CallRecorderOptions.Cut"/>) and writes them. Not
/// thread-safe: one loop feeds it audio blocks and call boundaries in the order they happened
/// (<see cref="RecordingPipeline"/>). A call's recording holds the blocks that overlap [start, end): it begins
/// within one block before the call's start and ends within one block after its end.
/// </summary>
public sealed class CallRecorder(CallRecorderOptions options, Action<FinishedRecording> finished) : IDisposable
{
    // A gap in the capture (blocks dropped on overflow) longer than this is not filled with silence.
    private static readonly TimeSpan LongestFilledGap = TimeSpan.FromSeconds(10);

    private readonly Queue<AudioBlock> _recent = new();
    private readonly Dictionary<string, RunningRecording> _calls = new(StringComparer.Ordinal);
    private readonly double _levelThreshold = 32768 * Math.Pow(10, options.LevelDbfs / 20);
    private RunningRecording? _analog;
    private DateTimeOffset _lastLoudEnd;
    private DateTimeOffset? _heardUpTo;

    /// <summary>A call began: its recording takes the audio from <paramref name="start"/> on (also audio already held).</summary>
    public void CallStarted(string callId, DateTimeOffset start)
    {
        if (options.Cut != RecordingCut.Calls || _calls.ContainsKey(callId))
        {
            return;
        }

        var recording = new RunningRecording(callId, start);
        _calls.Add(callId, recording);
        foreach (var block in _recent)
        {
            Offer(recording, block);
        }

        FinishIfComplete(recording);
    }

    /// <summary>A call ended at <paramref name="end"/>; its recording is finished once the audio up to then has arrived.</summary>
    /// <returns>False when no recording of the call is running (it started before the recorder, or recordings are cut by level).</returns>
    public bool CallEnded(string callId, DateTimeOffset end)
    {
        if (!_calls.TryGetValue(callId, out var recording))
        {
            return false;
        }

        recording.End = end < recording.From ? recording.From : end;
        FinishIfComplete(recording);
        return true;
    }

    /// <summary>The next block of receive audio.</summary>
    public void Audio(AudioBlock block)
    {
        var end = End(block);
        _heardUpTo = _heardUpTo is { } heard && heard > end ? heard : end;
        _recent.Enqueue(block);
        while (_recent.Count > 0 && End(_recent.Peek()) <= end - options.Holdback)
        {
            _recent.Dequeue();
        }

        foreach (var recording in _calls.Values.ToList())
        {
            Offer(recording, block);
            FinishIfComplete(recording);
        }

        if (options.Cut == RecordingCut.Level)
        {
            CutByLevel(block, end);
        }
    }

    /// <summary>The capture ended or the recorder stops: every running recording is finished with the audio it has.</summary>
    public void FinishAll()
    {
        foreach (var recording in _calls.Values.ToList())
        {
            Finish(recording);
        }

        if (_analog is not null)
        {
            Finish(_analog);
        }
    }

    /// <summary>Finishes a call's recording with the audio it has (its end's audio did not come in time).</summary>
    public void FinishCall(string callId)
    {
        if (_calls.TryGetValue(callId, out var recording))
        {
            Finish(recording);
        }
    }

    public void Dispose()
    {
        foreach (var recording in _calls.Values)
        {
            recording.File?.Dispose();
        }

        _analog?.File?.Dispose();
    }

    private void Offer(RunningRecording recording, AudioBlock block)
    {
        if (End(block) <= recording.From || (recording.End is { } end && block.Start >= end))
        {
            return;
        }

        recording.Pending.Enqueue(block);
        // Written once no end reported late can fall before it.
        while (recording.End is null && recording.Pending.Count > 0 && End(recording.Pending.Peek()) <= _heardUpTo - options.Holdback)
        {
            Write(recording, recording.Pending.Dequeue());
        }
    }

    private void FinishIfComplete(RunningRecording recording)
    {
        if (recording.End is { } end && _heardUpTo >= end)
        {
            Finish(recording);
        }
    }

    private void CutByLevel(AudioBlock block, DateTimeOffset end)
    {
        var loud = Rms(block.Samples) >= _levelThreshold;
        if (_analog is null)
        {
            if (!loud)
            {
                return;
            }

            _analog = new RunningRecording(string.Create(CultureInfo.InvariantCulture, $"{options.RadioId}.analog.{block.Start.UtcDateTime:yyyyMMdd'T'HHmmss.fff'Z'}"), block.Start) { ByLevel = true };
        }

        if (loud)
        {
            _lastLoudEnd = end;
        }

        Write(_analog, block);
        if (end - _lastLoudEnd >= options.HangTime)
        {
            Finish(_analog);
        }
    }

    private void Finish(RunningRecording recording)
    {
        while (recording.Pending.TryDequeue(out var block))
        {
            if (recording.End is not { } end || block.Start < end)
            {
                Write(recording, block);
            }
        }

        if (recording.ByLevel)
        {
            _analog = null;
        }
        else
        {
            _calls.Remove(recording.CallId);
        }

        if (recording.File is not { } file)
        {
            return; // no audio overlapped the call
        }

        var bytes = file.Finish();
        var relative = Path.GetRelativePath(options.Directory, file.Path).Replace('\\', '/');
        finished(new FinishedRecording(recording.ByLevel ? null : recording.CallId, relative, file.Path, recording.Start!.Value, TimeSpan.FromSeconds(file.Frames / (double)options.SampleRate), bytes));
    }

    private void Write(RunningRecording recording, AudioBlock block)
    {
        if (recording.File is null)
        {
            recording.Start = block.Start;
            recording.NextStart = block.Start;
            var day = block.Start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var name = string.Concat(recording.CallId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
            var extension = options.Encoding == RecordingEncoding.Opus ? ".opus" : ".wav";
            recording.File = new RecordingFile(Path.Combine(options.Directory, day, name + extension), options.Encoding, options.SampleRate, options.Channels, recording.CallId);
        }

        // Blocks dropped on overflow leave a gap: filled with silence so the recording keeps the call's timing.
        var gap = block.Start - recording.NextStart;
        if (gap > TimeSpan.Zero && gap <= LongestFilledGap)
        {
            var frames = (int)Math.Round(gap.TotalSeconds * options.SampleRate);
            if (frames > 0)
            {
                recording.File.Write(new short[frames * options.Channels]);
            }
        }

        recording.File.Write(block.Samples);
        recording.NextStart = End(block);
    }

    private DateTimeOffset End(AudioBlock block) => block.Start + TimeSpan.FromSeconds(block.Samples.Length / options.Channels / (double)options.SampleRate);

    private static double Rms(short[] samples)
    {
        if (samples.Length == 0)
        {
            return 0;
        }

        double sum = 0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    private sealed class RunningRecording(string callId, DateTimeOffset from)
    {
        public string CallId { get; } = callId;

        /// <summary>The call's start: blocks ending at or before it are not in the recording.</summary>
        public DateTimeOffset From { get; } = from;

        public DateTimeOffset? End { get; set; }

        public bool ByLevel { get; init; }

        public Queue<AudioBlock> Pending { get; } = new();

        public RecordingFile? File { get; set; }

        public DateTimeOffset? Start { get; set; }

        public DateTimeOffset NextStart { get; set; }
    }
}
