using Microsoft.Extensions.Logging;

namespace RadioGateway.Core.Store;

/// <summary><c>Journal:*</c> — how much history the journal keeps.</summary>
public sealed class JournalRetentionOptions
{
    public const string Section = "Journal";

    /// <summary>Sent events older than this many days are deleted; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Above this size the oldest sent events are deleted until it fits; 0 = no limit.</summary>
    public int MaxSizeMB { get; set; } = 2048;

    /// <summary>Rows per prune transaction: the radio path waits at most one batch for the store.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How often housekeeping runs.</summary>
    public int IntervalMinutes { get; set; } = 10;
}

/// <summary>What one housekeeping pass did.</summary>
/// <param name="Events">Events deleted.</param>
/// <param name="Calls">Call rows deleted.</param>
/// <param name="Commands">Finished commands deleted.</param>
/// <param name="UsedBytes">Bytes in use afterwards.</param>
/// <param name="OverSizeUnsent">True when the journal is still over its size limit with only unsent events left to delete.</param>
public readonly record struct HousekeepingResult(long Events, long Calls, long Commands, long UsedBytes, bool OverSizeUnsent);

/// <summary>
/// Keeps the journal within <see cref="JournalRetentionOptions"/>: deletes sent events by age, then by size, in small
/// batches on the caller's (housekeeping) thread, yielding between batches, then returns freed pages to the disk.
/// An event still in the outbox is never deleted, whatever the limits say.
/// </summary>
public sealed partial class JournalHousekeeping(GatewayStore store, JournalRetentionOptions options, TimeProvider time, ILogger logger)
{
    private const int VacuumPagesPerStep = 1024;

    public async Task<HousekeepingResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        long events = 0, calls = 0, commands = 0;
        if (options.RetentionDays > 0)
        {
            var cutoff = time.GetUtcNow().AddDays(-options.RetentionDays);
            PruneBatchResult batch;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch = store.PruneBatch(cutoff, options.BatchSize);
                (events, calls, commands) = (events + batch.Events, calls + batch.Calls, commands + batch.Commands);
                await Task.Yield();
            }
            while (batch.Total > 0);
        }

        var overSizeUnsent = false;
        if (options.MaxSizeMB > 0)
        {
            var limit = options.MaxSizeMB * 1024L * 1024L;
            while (store.UsedBytes > limit)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = store.PruneBatch(olderThan: null, options.BatchSize);
                (events, calls, commands) = (events + batch.Events, calls + batch.Calls, commands + batch.Commands);
                if (batch.Events == 0)
                {
                    overSizeUnsent = true;
                    break;
                }

                await Task.Yield();
            }
        }

        if (events + calls + commands > 0)
        {
            while (store.IncrementalVacuum(VacuumPagesPerStep) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
            }

            store.Checkpoint();
        }

        var result = new HousekeepingResult(events, calls, commands, store.UsedBytes, overSizeUnsent);
        if (result.Events + result.Calls + result.Commands > 0)
        {
            LogPruned(result.Events, result.Calls, result.Commands, result.UsedBytes);
        }

        if (overSizeUnsent)
        {
            LogOverSizeUnsent(result.UsedBytes, options.MaxSizeMB);
        }

        return result;
    }

    /// <summary>Runs a pass now, then every <see cref="JournalRetentionOptions.IntervalMinutes"/>, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.IntervalMinutes)), time);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    // The next pass tries again; the radio path is not affected.
                    LogFailed(e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal housekeeping deleted {Events} sent events, {Calls} calls and {Commands} finished commands; {UsedBytes} bytes in use")]
    private partial void LogPruned(long events, long calls, long commands, long usedBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The journal holds {UsedBytes} bytes, over Journal:MaxSizeMB {MaxSizeMB}, and only unsent events are left: they are kept until the uplink sends them")]
    private partial void LogOverSizeUnsent(long usedBytes, int maxSizeMB);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal housekeeping failed ({Reason}); trying again at the next pass")]
    private partial void LogFailed(string reason);
}
