using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;

namespace RadioGateway.Hosting;

/// <summary>
/// Where the journal came from at start-up.
/// </summary>
/// <param name="DatabasePath">The database file.</param>
/// <param name="ReplacedLost">True when it was created new in a data directory a gateway used before (its
/// <c>radiogw.lock</c> was there): the previous journal was deleted or emptied, and whatever it held unsent is gone.</param>
public sealed record JournalOrigin(string DatabasePath, bool ReplacedLost);

/// <summary>
/// Owns the store's lifetime. Registered first, so it stops last: by then the radio adapters have closed
/// their calls (reason <c>shutdown</c>) and the recorder commits everything still queued.
/// </summary>
public sealed partial class JournalService(
    GatewayStore store,
    EventRecorder recorder,
    GatewaySettings settings,
    JournalOrigin origin,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<JournalService> logger) : IHostedService
{
    /// <summary>Alarm name of a journal that refuses every write.</summary>
    public const string WriteFailureAlarm = "journal-write-failing";

    /// <summary>Process exit code after a persistent journal write failure, so the service manager restarts the gateway.</summary>
    public const int WriteFailureExitCode = 3;

    private readonly CancellationTokenSource _stopping = new();
    private Task _diskWatch = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Calls a crash left open are closed before any radio publishes (issue 11 #2).
        var interrupted = store.CloseInterruptedCalls();
        if (interrupted.Count > 0)
        {
            LogInterruptedCallsClosed(interrupted.Count);
        }

        var backlog = store.GetBacklog();
        LogOpened(store.DatabasePath, backlog.Count);
        if (origin.ReplacedLost)
        {
            LogReplacedLost(origin.DatabasePath);
        }

        if (string.IsNullOrEmpty(settings.Mqtt.Broker))
        {
            LogNoUplink();

            // Without an uplink no drainer watches the disk; the alarm is still journaled (issue 11 #15).
            var defaults = new Core.Outbox.OutboxDrainerOptions();
            _diskWatch = new Core.Outbox.DiskSpaceWatch(store, logger, time, defaults.MinFreeDiskBytes).RunAsync(defaults.StatsInterval, _stopping.Token);
        }

        _ = recorder.PersistentFailure.ContinueWith(failed => StopDeaf(failed.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

        return Task.CompletedTask;
    }

    // Running on with a journal that stores nothing would be deaf: raise the alarm where it can still be stored, then stop non-zero.
    private void StopDeaf(Exception error)
    {
        var now = time.GetUtcNow();
        try
        {
            store.Append([new GatewayAlarmRaised
            {
                Id = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"alarm-{WriteFailureAlarm}-{now.UtcTicks}"),
                Time = now,
                Alarm = WriteFailureAlarm,
                Active = true,
                Message = $"Journal writes keep failing ({error.Message}); the gateway stops to be restarted.",
            }]);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            LogAlarmNotStored(e.Message);
        }

        Environment.ExitCode = WriteFailureExitCode;
        lifetime.StopApplication();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _diskWatch.ConfigureAwait(false);
        _stopping.Dispose();
        await recorder.DisposeAsync().ConfigureAwait(false);
        LogClosed(recorder.Commits);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal {Path} open; {Backlog} events waiting in the outbox")]
    private partial void LogOpened(string path, long backlog);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A NEW JOURNAL WAS CREATED at {Path}, where a gateway ran before: the previous journal was deleted or emptied, and the events it held unsent are lost. Restore it from a backup if there is one (stop the gateway first)")]
    private partial void LogReplacedLost(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No uplink configured (Mqtt:Broker is empty): events are journaled and queue in the outbox until a broker is set")]
    private partial void LogNoUplink();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} calls were left open when the gateway last stopped without closing them; closed as gateway-restart at their last-heard time and published")]
    private partial void LogInterruptedCallsClosed(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The journal write failure alarm could not be stored either: {Reason}")]
    private partial void LogAlarmNotStored(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal closed after {Commits} commits")]
    private partial void LogClosed(long commits);
}
