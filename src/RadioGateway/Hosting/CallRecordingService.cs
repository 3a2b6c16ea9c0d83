using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Audio;
using RadioGateway.Audio.Recording;
using RadioGateway.Core.Events;

namespace RadioGateway.Hosting;

/// <summary>
/// Records the receive audio of every radio whose hardware profile has <c>audio.recording</c> (and of the simulated
/// base station): one <see cref="RecordingPipeline"/> per radio, fed its calls' boundaries by
/// <see cref="RecordingEventSink"/>; keeps the recordings directory within <c>Recordings:MaxAgeDays</c> and
/// <c>Recordings:MaxTotalMegabytes</c>, pruned at start and every ten minutes.
/// </summary>
public sealed partial class CallRecordingService(GatewaySettings settings, IReadOnlyList<RadioPlan> plans, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, RecordingPipeline> _running = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<CallRecordingService>();

    /// <summary>The recordings directory (<c>Recordings:Directory</c>, else <c>{DataDirectory}/recordings</c>).</summary>
    public string Directory => settings.Audio.Recordings.Directory is { Length: > 0 } directory
        ? GatewayConfiguration.ResolvePath(directory, settings.ConfigFile)
        : Path.Combine(settings.DataDirectory, "recordings");

    /// <summary>The pipeline recording <paramref name="radioId"/>, when its capture is running.</summary>
    public RecordingPipeline? For(string radioId) => _running.GetValueOrDefault(radioId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recorders = new List<Task>();
        foreach (var plan in plans)
        {
            if (Open(plan, stoppingToken) is { } pipeline)
            {
                pipeline.Finished += recording => LogRecorded(recording.File, (long)recording.Duration.TotalMilliseconds, recording.Bytes);
                _running[plan.RadioId] = pipeline;
                recorders.Add(pipeline.RunAsync(stoppingToken));
            }
        }

        if (recorders.Count == 0)
        {
            return;
        }

        using var prune = new PeriodicTimer(PruneInterval, time);
        try
        {
            do
            {
                Prune();
            }
            while (await prune.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // stopping: the pipelines finish their recordings
        }

        _running.Clear();
        await Task.WhenAll(recorders).ConfigureAwait(false);
    }

    private RecordingPipeline? Open(RadioPlan plan, CancellationToken stoppingToken)
    {
        var recording = plan.Audio?.Recording;
        if (recording is null && plan.SimulatedAir is null)
        {
            return null;
        }

        IAudioCapture capture;
        try
        {
            capture = plan.SimulatedAir is { } air
                ? new SimulatedAirCapture(air, SimulatedAirCapture.SampleRateHz, time, stoppingToken)
                : AudioDevices.OpenCapture(recording!.Device, recording.SampleRate, recording.Channels, plan.Audio!.AlsaConfig, time);
        }
        catch (Exception e) when (e is IOException or DllNotFoundException)
        {
            LogUnavailable(plan.RadioId, e.Message);
            return null;
        }

        var options = new CallRecorderOptions
        {
            RadioId = plan.RadioId,
            Directory = Directory,
            SampleRate = capture.SampleRate,
            Channels = capture.Channels,
            Encoding = recording?.Wav == true ? RecordingEncoding.Wav : RecordingEncoding.Opus,
            Cut = recording?.ByLevel == true ? RecordingCut.Level : RecordingCut.Calls,
            LevelDbfs = recording?.LevelDbfs ?? -40,
            HangTime = recording?.HangTime ?? TimeSpan.FromSeconds(1.5),
        };
        LogRecording(plan.RadioId, capture.Description, capture.SampleRate, options.Encoding, options.Cut, options.Directory);
        return new RecordingPipeline(capture, options, time, loggers.CreateLogger<RecordingPipeline>());
    }

    private void Prune()
    {
        var limits = settings.Audio.Recordings;
        try
        {
            var deleted = RecordingRetention.Prune(Directory, TimeSpan.FromDays(limits.MaxAgeDays), limits.MaxTotalMegabytes * 1024L * 1024L, time.GetUtcNow());
            if (deleted.Count > 0)
            {
                LogPruned(deleted.Count, limits.MaxAgeDays, limits.MaxTotalMegabytes);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogPruneFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio}: recording receive audio from {Device} at {SampleRate} Hz as {Encoding}, cut by {Cut}, into {Directory}")]
    private partial void LogRecording(string radio, string device, int sampleRate, RecordingEncoding encoding, RecordingCut cut, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Radio}: no recordings, the receive audio cannot be opened: {Reason}")]
    private partial void LogUnavailable(string radio, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded {File} ({DurationMs} ms, {Bytes} bytes)")]
    private partial void LogRecorded(string file, long durationMs, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} recordings older than {Days} days or beyond {Megabytes} MiB")]
    private partial void LogPruned(int count, int days, int megabytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recordings could not be pruned: {Reason}")]
    private partial void LogPruneFailed(string reason);
}

/// <summary>
/// Sits in front of the event pipeline: gives each call's start and end to its radio's recorder, and publishes
/// <c>call.ended</c> once the call's recording is finished, with the recording in it. Never blocks the publisher:
/// the end is held by the recording loop (at most <see cref="RecordingPipeline.EndWait"/>), not by the radio loop.
/// </summary>
public sealed class RecordingEventSink(IEventSink inner, CallRecordingService recordings) : IEventSink
{
    public void Publish(DomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        switch (domainEvent)
        {
            case CallStarted started when recordings.For(started.Call.RadioId) is { } pipeline:
                pipeline.CallStarted(started.Call.CallId, started.Call.Start);
                inner.Publish(started);
                break;
            case CallEnded ended when recordings.For(ended.Call.RadioId) is { } pipeline:
                pipeline.CallEnded(ended.Call.CallId, ended.Call.End ?? ended.Time, recording => inner.Publish(recording is null ? ended : ended with
                {
                    Call = ended.Call with { Recording = new CallRecording(recording.File, (long)Math.Round(recording.Duration.TotalMilliseconds), recording.Bytes, recording.Start) },
                }));
                break;
            default:
                inner.Publish(domainEvent);
                break;
        }
    }
}
