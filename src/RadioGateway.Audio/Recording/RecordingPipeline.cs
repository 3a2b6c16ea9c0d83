using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RadioGateway.Audio.Recording;

/// <summary>
/// Records one radio: a capture thread reads 20 ms blocks from <see cref="IAudioCapture"/>, timed by it; one loop cuts and encodes them (<see cref="CallRecorder"/>), off the radio path. Nothing here blocks
/// the caller: call boundaries are posted, and audio beyond <c>capacityBlocks</c> waiting is dropped and counted
/// (<see cref="DroppedBlocks"/>) rather than held.
/// </summary>
public sealed partial class RecordingPipeline
{
    /// <summary>The capture block: one Opus frame (RFC 6716 §2.1.4, 20 ms).</summary>
    public static readonly TimeSpan BlockDuration = TimeSpan.FromMilliseconds(20);

    private readonly Channel<object> _inputs = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, Action<FinishedRecording?>> _waitingEnds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITimer> _endTimers = new(StringComparer.Ordinal);
    private readonly IAudioCapture _capture;
    private readonly CallRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _capacityBlocks;
    private int _queuedBlocks;
    private long _droppedBlocks;
    private bool _captureEnded;

    /// <param name="capture">Owned: disposed by the capture thread when it ends.</param>
    public RecordingPipeline(IAudioCapture capture, CallRecorderOptions options, TimeProvider time, ILogger logger, int capacityBlocks = 250)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(options);
        _capture = capture;
        _options = options;
        _time = time;
        _logger = logger;
        _capacityBlocks = capacityBlocks;
    }

    /// <summary>Blocks of audio dropped because the recording loop was behind.</summary>
    public long DroppedBlocks => Interlocked.Read(ref _droppedBlocks);

    /// <summary>A recording not waited for by <see cref="CallEnded"/> was finished (cut by level, or at stop).</summary>
    public event Action<FinishedRecording>? Finished;

    /// <summary>How long a call's end waits for its audio before the recording is closed with what it has (a hung capture).</summary>
    public TimeSpan EndWait { get; init; } = TimeSpan.FromSeconds(5);

    public void CallStarted(string callId, DateTimeOffset start) => _inputs.Writer.TryWrite(new Started(callId, start));

    /// <summary>
    /// A call ended: <paramref name="done"/> is called once, from the recording loop, with the finished recording, or
    /// with null when the call was not recorded; at once (on the caller's thread) when the pipeline has stopped.
    /// </summary>
    public void CallEnded(string callId, DateTimeOffset end, Action<FinishedRecording?> done)
    {
        ArgumentNullException.ThrowIfNull(done);
        if (!_inputs.Writer.TryWrite(new Ended(callId, end, done)))
        {
            done(null);
        }
    }

    /// <summary>Runs the capture thread and the recording loop (on the thread pool, never on the caller's thread) until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Task.Run(() => RecordAsync(cancellationToken), CancellationToken.None);

    private async Task RecordAsync(CancellationToken cancellationToken)
    {
        using var recorder = new CallRecorder(_options, OnFinished);
        _ = Task.Factory.StartNew(() => Capture(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await using (cancellationToken.Register(() => _inputs.Writer.TryComplete()))
        {
            await foreach (var input in _inputs.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                Take(recorder, input);
            }
        }

        recorder.FinishAll();
        foreach (var waiting in _waitingEnds.Values.ToList())
        {
            waiting(null);
        }

        _waitingEnds.Clear();
        foreach (var timer in _endTimers.Values)
        {
            timer.Dispose();
        }

        if (DroppedBlocks > 0)
        {
            LogDropped(_options.RadioId, DroppedBlocks);
        }

    }

    private void Take(CallRecorder recorder, object input)
    {
        switch (input)
        {
            case AudioBlock block:
                Interlocked.Decrement(ref _queuedBlocks);
                recorder.Audio(block);
                break;
            case Started started when !_captureEnded:
                recorder.CallStarted(started.CallId, started.Start);
                break;
            case Ended ended:
                _waitingEnds[ended.CallId] = ended.Done;
                if (!recorder.CallEnded(ended.CallId, ended.End))
                {
                    _waitingEnds.Remove(ended.CallId);
                    ended.Done(null);
                }
                else if (_captureEnded)
                {
                    recorder.FinishCall(ended.CallId);
                }
                else if (_waitingEnds.ContainsKey(ended.CallId))
                {
                    // Its audio has not all arrived yet; a capture that hangs must not hold the call's end back for ever.
                    _endTimers[ended.CallId] = _time.CreateTimer(_ => _inputs.Writer.TryWrite(new EndDue(ended.CallId)), null, EndWait, Timeout.InfiniteTimeSpan);
                }

                break;
            case EndDue due when _waitingEnds.ContainsKey(due.CallId):
                recorder.FinishCall(due.CallId);
                break;
            case CaptureEnded:
                _captureEnded = true;
                recorder.FinishAll();
                break;
        }
    }

    private void OnFinished(FinishedRecording recording)
    {
        if (recording.CallId is { } callId && _waitingEnds.Remove(callId, out var done))
        {
            if (_endTimers.Remove(callId, out var timer))
            {
                timer.Dispose();
            }

            done(recording);
        }
        else
        {
            Finished?.Invoke(recording);
        }
    }

    private void Capture(CancellationToken cancellationToken)
    {
        using var capture = _capture;
        var frames = capture.SampleRate / 50;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var block = new short[frames * capture.Channels];
                var filled = 0;
                DateTimeOffset start = default;
                while (filled < block.Length)
                {
                    var read = capture.Read(block.AsSpan(filled), out var readStart);
                    if (read == 0)
                    {
                        LogCaptureEnded(_options.RadioId, capture.Description);
                        return;
                    }

                    start = filled == 0 ? readStart : start;
                    filled += read;
                }

                if (Interlocked.Increment(ref _queuedBlocks) > _capacityBlocks)
                {
                    Interlocked.Decrement(ref _queuedBlocks);
                    if (Interlocked.Increment(ref _droppedBlocks) == 1)
                    {
                        LogFirstDrop(_options.RadioId, _capacityBlocks);
                    }
                }
                else if (!_inputs.Writer.TryWrite(new AudioBlock(start, block)))
                {
                    return; // stopped
                }
            }
        }
        catch (IOException e)
        {
            LogCaptureFailed(_options.RadioId, capture.Description, e.Message);
        }
        finally
        {
            _inputs.Writer.TryWrite(new CaptureEnded());
        }
    }

    private sealed record Started(string CallId, DateTimeOffset Start);

    private sealed record Ended(string CallId, DateTimeOffset End, Action<FinishedRecording?> Done);

    private sealed record EndDue(string CallId);

    private sealed record CaptureEnded;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: recordings fell behind the capture; dropping audio beyond {Blocks} blocks waiting (counted)")]
    private partial void LogFirstDrop(string radio, int blocks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: {Blocks} blocks of receive audio were dropped while recording")]
    private partial void LogDropped(string radio, long blocks);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio}: receive audio {Device} ended")]
    private partial void LogCaptureEnded(string radio, string device);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Radio}: receive audio {Device} failed, recordings stop: {Reason}")]
    private partial void LogCaptureFailed(string radio, string device, string reason);
}
