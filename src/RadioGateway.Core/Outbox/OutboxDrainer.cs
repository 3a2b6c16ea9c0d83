using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Resilience;

namespace RadioGateway.Core.Outbox;

/// <summary>
/// Publishes the outbox in insertion order (so per topic too) with a window of publishes in flight, and
/// removes an entry only after its acknowledgement. Nothing is ever dropped: on a failure the entries
/// from the first unacknowledged one on stay and are sent again, in order, after a backoff (later
/// entries of that window may then arrive twice, always with the same CloudEvents id). After a restart
/// it simply continues with what is left in the store.
/// <para>
/// An entry is sent with <c>replayed: true</c> when it waited through an outage: it was enqueued before
/// the drainer started or before the uplink recovered from a failure, or it is older than
/// <see cref="OutboxDrainerOptions.ReplayAfter"/>.
/// </para>
/// </summary>
public sealed partial class OutboxDrainer
{
    /// <summary>Alarm name raised when the data drive is nearly full.</summary>
    public const string DiskSpaceAlarm = DiskSpaceWatch.Alarm;

    private readonly IOutboxStore _store;
    private readonly IUplinkPublisher _publisher;
    private readonly ILogger<OutboxDrainer> _logger;
    private readonly TimeProvider _time;
    private readonly OutboxDrainerOptions _options;
    private readonly Lock _gate = new();
    private readonly Queue<DeliveryBucket> _recentDeliveries = new();
    private DeliveryBucket? _newestBucket;
    private DateTimeOffset _healthySince;
    private bool _outage;
    private string? _lastError;
    private long _delivered;

    /// <summary>Creates a drainer.</summary>
    /// <param name="store">The store whose outbox is drained.</param>
    /// <param name="publisher">The uplink.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">Clock for ages, rates and backoff.</param>
    /// <param name="options">Tuning; defaults when null.</param>
    /// <param name="freeDiskBytes">Free bytes on the data drive (null = unknown); defaults to the drive holding the store.</param>
    public OutboxDrainer(
        IOutboxStore store,
        IUplinkPublisher publisher,
        ILogger<OutboxDrainer> logger,
        TimeProvider? time = null,
        OutboxDrainerOptions? options = null,
        Func<long?>? freeDiskBytes = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _options = options ?? new OutboxDrainerOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.DeleteBatch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.PassLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.ReadChunk);
        Disk = new DiskSpaceWatch(store, logger, _time, _options.MinFreeDiskBytes, freeDiskBytes);
        _healthySince = _time.GetUtcNow();
    }

    /// <summary>The data drive's free space, checked on its own timer while <see cref="RunAsync"/> runs.</summary>
    public DiskSpaceWatch Disk { get; }

    /// <summary>Drains until cancelled: a pass whenever new entries land, backoff after failures, stats and disk checks every <see cref="OutboxDrainerOptions.StatsInterval"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retryDelays = new Backoff(_options.MinRetryDelay, _options.MaxRetryDelay);
        var nextCheck = _time.GetUtcNow();
        // The disk is watched on its own timer: a pass can wait minutes on a publish while the broker is away.
        var watchingDisk = Disk.RunAsync(_options.StatsInterval, cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (_time.GetUtcNow() >= nextCheck)
                {
                    nextCheck = _time.GetUtcNow() + _options.StatsInterval;
                    LogStatsNow();
                }

                DrainPassResult result;
                try
                {
                    result = await DrainOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    result = new DrainPassResult(0, exception);
                }

                if (result.Failed)
                {
                    var retryDelay = retryDelays.Next();
                    LogPassFailed(result.Failure!, retryDelay.TotalSeconds);
                    await WaitAsync(null, retryDelay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                retryDelays.Reset();
                if (result.MoreWaiting)
                {
                    continue;
                }

                var untilCheck = nextCheck - _time.GetUtcNow();
                await WaitAsync(_store.OutboxChanged, untilCheck > TimeSpan.Zero ? untilCheck : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await watchingDisk.ConfigureAwait(false);
    }

    /// <summary>
    /// One pass: publishes the outbox in order (with up to <see cref="OutboxDrainerOptions.Window"/> in flight, at most
    /// <see cref="OutboxDrainerOptions.PassLimit"/> entries) and removes what was acknowledged; stops at the first failure.
    /// The store is read ahead of the window, in chunks, while publishes await their acknowledgements.
    /// </summary>
    public async Task<DrainPassResult> DrainOnceAsync(CancellationToken cancellationToken)
    {
        using var passEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readAhead = Channel.CreateBounded<OutboxEntry>(new BoundedChannelOptions(2 * _options.ReadChunk) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadAheadAsync(readAhead.Writer, passEnded.Token), CancellationToken.None);
        var inFlight = new Queue<(OutboxEntry Entry, Task Publish)>();
        // Acknowledged entries form one run in outbox order (only the head of the window is ever settled).
        var acknowledgedFirst = 0L;
        var acknowledgedLast = -1L;
        var acknowledgedCount = 0;
        var delivered = 0;
        try
        {
            while (true)
            {
                while (inFlight.Count < _options.Window && readAhead.Reader.TryRead(out var entry))
                {
                    inFlight.Enqueue((entry, StartPublish(entry, cancellationToken)));
                }

                if (!inFlight.TryDequeue(out var head))
                {
                    if (await readAhead.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    return new DrainPassResult(delivered, null) { MoreWaiting = await reading.ConfigureAwait(false) };
                }

                try
                {
                    await head.Publish.ConfigureAwait(false);
                }
                catch (MessageTooLargeForUplinkException exception)
                {
                    // The broker will never take it: it stays in the journal, and the outbox goes on without it.
                    LogSetAside(head.Entry.EventId, head.Entry.Topic, exception.Message);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Keep the failed entry and everything after it; let the rest of the window settle first.
                    foreach (var (_, publish) in inFlight)
                    {
                        await publish.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                    }

                    MarkFailure(exception);
                    return new DrainPassResult(delivered, exception);
                }

                if (acknowledgedCount++ == 0)
                {
                    acknowledgedFirst = head.Entry.Sequence;
                }

                acknowledgedLast = head.Entry.Sequence;
                delivered++;
                MarkDelivered();
                if (acknowledgedCount >= _options.DeleteBatch)
                {
                    _store.RemoveFromOutboxRange(acknowledgedFirst, acknowledgedLast);
                    acknowledgedCount = 0;
                    acknowledgedLast = -1;
                }
            }
        }
        finally
        {
            await passEnded.CancelAsync().ConfigureAwait(false);
            await reading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            if (acknowledgedCount > 0)
            {
                _store.RemoveFromOutboxRange(acknowledgedFirst, acknowledgedLast);
            }
        }
    }

    /// <summary>Current backlog, oldest age, drain rate and uplink state.</summary>
    public OutboxStats GetStats()
    {
        var backlog = _store.GetBacklog();
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            PruneDeliveries(now);
            var recent = _recentDeliveries.Sum(d => d.Count);
            return new OutboxStats(
                backlog.Count,
                backlog.OldestEnqueuedAt is { } oldest ? now - oldest : null,
                recent / _options.RateWindow.TotalSeconds,
                _delivered,
                !_outage,
                _lastError,
                Disk.IsLow);
        }
    }

    private void LogStatsNow()
    {
        try
        {
            var stats = GetStats();
            LogStats(stats.Backlog, stats.OldestAge?.TotalSeconds ?? 0, stats.DrainRatePerSecond, stats.UplinkHealthy);
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            LogPassFailed(exception, 0);
        }
    }

    // Reads up to a pass's worth of entries in chunks into the channel; true when the pass limit cut it short.
    private async Task<bool> ReadAheadAsync(ChannelWriter<OutboxEntry> readAhead, CancellationToken cancellationToken)
    {
        var cursor = 0L;
        var read = 0;
        try
        {
            while (read < _options.PassLimit)
            {
                var wanted = Math.Min(_options.ReadChunk, _options.PassLimit - read);
                var entries = _store.ReadOutbox(cursor, wanted);
                foreach (var entry in entries)
                {
                    await readAhead.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
                    cursor = entry.Sequence;
                }

                read += entries.Count;
                if (entries.Count < wanted)
                {
                    readAhead.TryComplete();
                    return false;
                }
            }

            readAhead.TryComplete();
            return true;
        }
        catch (Exception exception)
        {
            readAhead.TryComplete(exception is OperationCanceledException ? null : exception);
            return false;
        }
    }

    private Task StartPublish(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var payload = IsReplayed(entry)
                ? CloudEventWriter.MarkReplayed(entry.Payload, entry.DataOffset, entry.Kind == CloudEventWriter.PositionKind)
                : entry.Payload;
            return _publisher.PublishAsync(entry.Topic, payload, cancellationToken);
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    private bool IsReplayed(OutboxEntry entry)
    {
        lock (_gate)
        {
            return _outage || entry.EnqueuedAt < _healthySince || _time.GetUtcNow() - entry.EnqueuedAt >= _options.ReplayAfter;
        }
    }

    /// <summary>
    /// The uplink's connection is down. A session that holds publishes until it reconnects never fails one, so the
    /// outage must come from the connection itself: whatever is enqueued from now until <see cref="UplinkRestored"/>
    /// waited through it and is sent replayed.
    /// </summary>
    public void UplinkLost()
    {
        lock (_gate)
        {
            _outage = true;
        }
    }

    /// <summary>The uplink's connection is back: entries enqueued before now are replayed, later ones live.</summary>
    public void UplinkRestored()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_outage)
            {
                _outage = false;
                _healthySince = now;
            }
        }
    }

    private void MarkFailure(Exception exception)
    {
        lock (_gate)
        {
            _outage = true;
            _lastError = exception.Message;
        }
    }

    private void MarkDelivered()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_outage)
            {
                _outage = false;
                _healthySince = now;
            }

            _delivered++;
            var second = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            if (_newestBucket is { } bucket && bucket.At == second)
            {
                bucket.Count++;
            }
            else
            {
                _newestBucket = new DeliveryBucket(second);
                _recentDeliveries.Enqueue(_newestBucket);
            }

            PruneDeliveries(now);
        }
    }

    private void PruneDeliveries(DateTimeOffset now)
    {
        while (_recentDeliveries.TryPeek(out var oldest) && now - oldest.At > _options.RateWindow)
        {
            _recentDeliveries.Dequeue();
        }
    }

    private async Task WaitAsync(OutboxSignal? signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var waitEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, _time, waitEnded.Token);
        if (signal is null)
        {
            await delay.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
        else
        {
            await Task.WhenAny(signal.WaitAsync(waitEnded.Token), delay).ConfigureAwait(false);
        }

        await waitEnded.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    // Deliveries acknowledged within one second, for the drain rate.
    private sealed class DeliveryBucket(DateTimeOffset at)
    {
        public DateTimeOffset At { get; } = at;

        public int Count { get; set; } = 1;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox entry {EventId} on {Topic} set aside, kept in the journal only: {Reason}")]
    private partial void LogSetAside(string eventId, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox publish failed; everything stays queued, retrying in {RetrySeconds}s")]
    private partial void LogPassFailed(Exception exception, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox backlog {Backlog}, oldest {OldestAgeSeconds:0}s, drain rate {DrainRate:0.0}/s, uplink healthy {UplinkHealthy}")]
    private partial void LogStats(long backlog, double oldestAgeSeconds, double drainRate, bool uplinkHealthy);
}
