using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;
using RadioGateway.Resilience;

namespace RadioGateway.Core.Journal;

/// <summary>Tuning of <see cref="EventRecorder"/>.</summary>
public sealed record EventRecorderOptions
{
    /// <summary>Most events committed in one transaction.</summary>
    public int MaxBatch { get; init; } = 512;

    /// <summary>Ceiling of the first wait before retrying a commit the database refused (the shared <see cref="Backoff"/>, doubling up to <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between commit retries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long commits may keep failing before the failure counts as persistent (a damaged page, a dead disk): then
    /// <see cref="EventRecorder.PersistentFailure"/> completes so the host can stop and be restarted rather than run deaf.
    /// </summary>
    public TimeSpan PersistentFailureAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Queued, uncommitted events above which a warning is logged (once per crossing): the disk is not keeping up.</summary>
    public int QueueWarningThreshold { get; init; } = 10_000;
}

/// <summary>
/// The <see cref="IEventSink"/> radio adapters publish to. <see cref="Publish"/> only queues (an unbounded,
/// lock-free channel: it never blocks the radio path and never drops); one background writer commits
/// whatever has queued up, up to <see cref="EventRecorderOptions.MaxBatch"/> events per transaction
/// (group commit: one fsync per batch, not per event). A commit the database refuses is retried with
/// backoff, never dropped.
/// </summary>
public sealed partial class EventRecorder : IEventSink, IAsyncDisposable
{
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IJournalWriter _store;
    private readonly ILogger<EventRecorder> _logger;
    private readonly TimeProvider _time;
    private readonly EventRecorderOptions _options;
    private readonly Task _writer;
    private readonly TaskCompletionSource<Exception> _persistentFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _giveUp = new();
    private long _pending;
    private long _commits;
    private int _queueWarned;

    /// <summary>Creates the recorder and starts its writer.</summary>
    public EventRecorder(IJournalWriter store, ILogger<EventRecorder> logger, TimeProvider? time = null, EventRecorderOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _options = options ?? new EventRecorderOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxBatch);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Events published but not yet committed.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Transactions committed so far (a measure of batching).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Completes, with the last error, when commits have failed for <see cref="EventRecorderOptions.PersistentFailureAfter"/>:
    /// nothing is being stored or published. The recorder keeps retrying until it is disposed.
    /// </summary>
    public Task<Exception> PersistentFailure => _persistentFailure.Task;

    /// <summary>Queues an event for the journal and outbox. Never blocks.</summary>
    public void Publish(DomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var pending = Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(new Item(domainEvent, null)))
        {
            Interlocked.Decrement(ref _pending);
            LogPublishedAfterStop(domainEvent.Id, domainEvent.Type);
            return;
        }

        if (pending > _options.QueueWarningThreshold && Interlocked.Exchange(ref _queueWarned, 1) == 0)
        {
            LogQueueBackingUp(pending);
        }
    }

    /// <summary>Completes when every event published before this call is committed.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Item(null, flushed)))
        {
            // Stopped: the writer drains everything before it ends.
            return _writer.WaitAsync(cancellationToken);
        }

        return flushed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops accepting events, commits what is queued and ends the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_persistentFailure.Task.IsCompleted)
        {
            // The database refuses every write: stop retrying, so the process can exit and be restarted.
            await _giveUp.CancelAsync().ConfigureAwait(false);
        }

        await _writer.ConfigureAwait(false);
        _giveUp.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<DomainEvent>(_options.MaxBatch);
        var flushes = new List<TaskCompletionSource>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var item))
            {
                if (item.Event is { } domainEvent)
                {
                    batch.Add(domainEvent);
                }
                else
                {
                    flushes.Add(item.Flushed!);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
                var pending = Interlocked.Add(ref _pending, -batch.Count);
                batch.Clear();
                if (pending < _options.QueueWarningThreshold / 2)
                {
                    Volatile.Write(ref _queueWarned, 0);
                }
            }

            foreach (var flushed in flushes)
            {
                flushed.TrySetResult();
            }

            flushes.Clear();
        }
    }

    private async Task CommitAsync(List<DomainEvent> batch)
    {
        var delays = new Backoff(_options.MinRetryDelay, _options.MaxRetryDelay);
        DateTimeOffset? failingSince = null;
        while (true)
        {
            try
            {
                _store.Append(batch);
                Interlocked.Increment(ref _commits);
                return;
            }
            catch (SqliteException exception)
            {
                // Disk full, I/O error, locked database: the events stay queued and we try again.
                var now = _time.GetUtcNow();
                failingSince ??= now;
                if (now - failingSince >= _options.PersistentFailureAfter && _persistentFailure.TrySetResult(exception))
                {
                    LogPersistentFailure(exception, (now - failingSince.Value).TotalSeconds, Pending);
                }

                if (_giveUp.IsCancellationRequested)
                {
                    LogLostAtStop(Pending);
                    return;
                }

                var delay = delays.Next();
                LogCommitFailed(exception, batch.Count, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, _time, _giveUp.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Disposed after a persistent failure: one last try above, then give up.
                }
            }
            catch (Exception) when (batch.Count > 1)
            {
                // One event the serializer cannot handle must not hold back the rest: commit one by one.
                foreach (var domainEvent in batch)
                {
                    await CommitAsync([domainEvent]).ConfigureAwait(false);
                }

                return;
            }
            catch (Exception exception)
            {
                LogEventUnstorable(exception, batch[0].Id, batch[0].Type);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal commit of {Count} events failed; retrying in {RetrySeconds}s, nothing is dropped")]
    private partial void LogCommitFailed(Exception exception, int count, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "JOURNAL WRITES HAVE FAILED FOR {Seconds}s: nothing is stored or published ({Pending} events waiting). The gateway stops so its service manager restarts it; if the database is damaged, restore a backup or move it aside")]
    private partial void LogPersistentFailure(Exception exception, double seconds, long pending);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Recorder stopped with the journal refusing writes: {Pending} events were never stored and are lost")]
    private partial void LogLostAtStop(long pending);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Event {EventId} of type {EventType} cannot be stored and is lost")]
    private partial void LogEventUnstorable(Exception exception, string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pending} events wait to be written to the journal; the disk is not keeping up")]
    private partial void LogQueueBackingUp(long pending);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Event {EventId} of type {EventType} published after the recorder stopped; it is lost")]
    private partial void LogPublishedAfterStop(string eventId, string eventType);

    private readonly record struct Item(DomainEvent? Event, TaskCompletionSource? Flushed);
}
