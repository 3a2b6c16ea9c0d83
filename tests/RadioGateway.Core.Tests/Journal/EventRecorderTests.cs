using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;

namespace RadioGateway.Core.Tests.Journal;

public sealed class EventRecorderTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(SampleEvents.Start);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Flush_completes_after_every_published_event_is_in_the_journal_and_outbox_in_order()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        var events = Enumerable.Range(0, 300).Select(i => SampleEvents.Csbk($"csbk-{i:D3}", SampleEvents.Start.AddMilliseconds(i))).ToArray();
        await using var recorder = new EventRecorder(store, NullLogger<EventRecorder>.Instance, _time, new EventRecorderOptions { MaxBatch = 64 });

        foreach (var domainEvent in events)
        {
            recorder.Publish(domainEvent);
        }

        await recorder.FlushAsync();

        Assert.Equal(events.Select(e => e.Id), store.ReadOutbox(0, 1000).Select(e => e.EventId));
        Assert.Equal(0, recorder.Pending);
    }

    [Fact]
    public async Task Publish_returns_while_the_database_is_locked_and_the_queued_events_commit_in_few_transactions()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        await using var recorder = new EventRecorder(store, NullLogger<EventRecorder>.Instance, _time);
        using var blocker = new SqliteConnection($"Data Source={store.DatabasePath};Pooling=False");
        blocker.Open();
        var blocking = blocker.BeginTransaction(deferred: false);

        for (var i = 0; i < 50; i++)
        {
            recorder.Publish(SampleEvents.Csbk($"csbk-{i:D2}", SampleEvents.Start));
        }

        // Nothing could be written yet, yet every Publish has returned.
        Assert.Equal(50, recorder.Pending);
        blocking.Dispose();
        await recorder.FlushAsync();

        Assert.Equal(50, store.GetBacklog().Count);
        // The writer took at most one event before it hit the lock; the rest went in one group commit.
        Assert.InRange(recorder.Commits, 1, 2);
    }

    [Fact]
    public async Task An_event_that_cannot_be_serialized_does_not_hold_back_the_rest_of_its_batch()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        await using var recorder = new EventRecorder(store, NullLogger<EventRecorder>.Instance, _time);
        using var blocker = new SqliteConnection($"Data Source={store.DatabasePath};Pooling=False");
        blocker.Open();
        var blocking = blocker.BeginTransaction(deferred: false);

        recorder.Publish(SampleEvents.Csbk("before", SampleEvents.Start));
        recorder.Publish(new BrokenEvent { Id = "broken", Time = SampleEvents.Start });
        recorder.Publish(SampleEvents.Csbk("after", SampleEvents.Start));
        blocking.Dispose();
        await recorder.FlushAsync();

        Assert.Equal(["before", "after"], store.ReadOutbox(0, 10).Select(e => e.EventId));
    }

    [Fact]
    public async Task Publish_warns_once_when_the_queue_backs_up_past_the_threshold()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        var logger = new ListLogger<EventRecorder>();
        await using var recorder = new EventRecorder(store, logger, _time, new EventRecorderOptions { QueueWarningThreshold = 5 });
        using var blocker = new SqliteConnection($"Data Source={store.DatabasePath};Pooling=False");
        blocker.Open();
        var blocking = blocker.BeginTransaction(deferred: false);

        for (var i = 0; i < 20; i++)
        {
            recorder.Publish(SampleEvents.Csbk($"csbk-{i:D2}", SampleEvents.Start));
        }

        blocking.Dispose();
        await recorder.FlushAsync();

        var warning = Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains("6 events wait", warning.Message, StringComparison.Ordinal);
        Assert.Equal(20, store.GetBacklog().Count);
    }

    [Fact]
    public async Task Dispose_commits_what_is_queued()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        var recorder = new EventRecorder(store, NullLogger<EventRecorder>.Instance, _time);
        recorder.Publish(SampleEvents.Csbk("last", SampleEvents.Start));

        await recorder.DisposeAsync();

        Assert.Equal("last", Assert.Single(store.ReadOutbox(0, 10)).EventId);
    }

    private sealed record BrokenEvent : DomainEvent
    {
        public string Payload => throw new InvalidOperationException("cannot serialize");

        public override string Kind => "test";

        public override string Type => "radiogw.test";
    }

    [Fact]
    public async Task Commits_that_keep_failing_are_reported_as_a_persistent_failure_and_the_recorder_gives_up_when_disposed()
    {
        var store = new RefusingJournal();
        var recorder = new EventRecorder(store, NullLogger<EventRecorder>.Instance, _time, new EventRecorderOptions { PersistentFailureAfter = TimeSpan.FromMinutes(2) });
        recorder.Publish(SampleEvents.Csbk("csbk-1", SampleEvents.Start));

        // Drive the fake clock until the retries have spanned two minutes (bounded: each step is one second).
        for (var step = 0; step < 100_000 && !recorder.PersistentFailure.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        var error = await recorder.PersistentFailure;
        Assert.IsType<SqliteException>(error);
        Assert.True(_time.GetUtcNow() - SampleEvents.Start >= TimeSpan.FromMinutes(2));
        Assert.True(store.Attempts > 1);

        await recorder.DisposeAsync(); // returns instead of retrying for ever
    }

    private sealed class RefusingJournal : IJournalWriter
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Append(IReadOnlyList<DomainEvent> events)
        {
            Interlocked.Increment(ref _attempts);
            throw new SqliteException("SQLite Error 11: 'database disk image is malformed'.", 11);
        }
    }
}
