using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Outbox;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Core.Tests.Outbox;

public sealed class OutboxDrainerTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(SampleEvents.Start);
    private readonly CloudEventWriter _writer = new("gw-mashhad");
    private readonly FakeUplink _uplink = new();
    private GatewayStore _store;

    public OutboxDrainerTests()
    {
        _store = GatewayStore.Open(_directory.Path, _writer, _time);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private OutboxDrainer Drainer(int window = 4, long freeBytes = long.MaxValue) => new(
        _store,
        _uplink,
        NullLogger<OutboxDrainer>.Instance,
        _time,
        new OutboxDrainerOptions { Window = window, DeleteBatch = 3, ReplayAfter = TimeSpan.FromSeconds(60), MinFreeDiskBytes = 1000 },
        () => freeBytes);

    private static DomainEvent[] MixedEvents(int count) =>
        Enumerable.Range(0, count)
            .Select(i => i % 2 == 0
                ? (DomainEvent)SampleEvents.Csbk($"csbk-{i:D3}", SampleEvents.Start.AddSeconds(i))
                : SampleEvents.Position($"pos-{i:D3}", SampleEvents.Start.AddSeconds(i)))
            .ToArray();

    [Fact]
    public async Task DrainOnce_publishes_everything_in_insertion_order_on_kind_topics_and_empties_the_outbox()
    {
        var events = MixedEvents(25);
        _store.Append(events);
        var drainer = Drainer();

        var result = await drainer.DrainOnceAsync(CancellationToken.None);

        Assert.Equal(new DrainPassResult(25, null), result);
        Assert.Equal(events.Select(e => e.Id), _uplink.Published.Select(m => m.Id));
        Assert.Equal(events.Select(e => "radiogw/v1/gw-mashhad/events/" + e.Kind), _uplink.Published.Select(m => m.Topic));
        Assert.Equal(new OutboxBacklog(0, null), _store.GetBacklog());
    }

    [Fact]
    public async Task DrainOnce_stops_at_the_pass_limit_and_says_more_is_waiting()
    {
        var events = MixedEvents(12);
        _store.Append(events);
        var drainer = new OutboxDrainer(_store, _uplink, NullLogger<OutboxDrainer>.Instance, _time, new OutboxDrainerOptions { Window = 4, PassLimit = 5 }, () => null);

        var first = await drainer.DrainOnceAsync(CancellationToken.None);
        var second = await drainer.DrainOnceAsync(CancellationToken.None);
        var third = await drainer.DrainOnceAsync(CancellationToken.None);

        Assert.Equal((5, true), (first.Delivered, first.MoreWaiting));
        Assert.Equal((5, true), (second.Delivered, second.MoreWaiting));
        Assert.Equal((2, false), (third.Delivered, third.MoreWaiting));
        Assert.Equal(events.Select(e => e.Id), _uplink.Published.Select(m => m.Id));
    }

    [Fact]
    public async Task DrainOnce_keeps_entries_until_acked_and_on_failure_keeps_the_failed_one_and_all_after_it()
    {
        var events = MixedEvents(10);
        _store.Append(events);
        _uplink.Mode = FakeUplink.AckMode.Manual;
        var drainer = Drainer(window: 4);

        var pass = drainer.DrainOnceAsync(CancellationToken.None);
        var window = new List<(PublishedMessage Message, TaskCompletionSource Ack)>();
        for (var i = 0; i < 4; i++)
        {
            window.Add(await _uplink.Pending.Reader.ReadAsync());
        }

        // Four in flight, none acked: nothing removed, and the window is full.
        Assert.Equal(10, _store.GetBacklog().Count);
        Assert.False(_uplink.Pending.Reader.TryPeek(out _));

        window[0].Ack.SetResult();
        window[1].Ack.SetResult();
        window.Add(await _uplink.Pending.Reader.ReadAsync());
        window.Add(await _uplink.Pending.Reader.ReadAsync());
        window[3].Ack.SetResult();
        window[2].Ack.SetException(new IOException("connection lost"));
        window[4].Ack.SetResult();
        window[5].Ack.SetException(new IOException("connection lost"));
        var result = await pass;

        Assert.True(result.Failed);
        Assert.Equal(2, result.Delivered);
        Assert.Equal(events.Skip(2).Select(e => e.Id), _store.ReadOutbox(0, 100).Select(e => e.EventId));
        Assert.False(drainer.GetStats().UplinkHealthy);
    }

    [Fact]
    public async Task A_message_the_broker_will_never_take_is_set_aside_with_an_error_and_the_rest_flows()
    {
        var events = MixedEvents(4);
        _store.Append(events);
        var tooLarge = new TooLargeUplink(events[1].Id, _uplink);
        var logger = new ListLogger<OutboxDrainer>();
        var drainer = new OutboxDrainer(_store, tooLarge, logger, _time, new OutboxDrainerOptions { Window = 2 }, () => null);

        var pass = await drainer.DrainOnceAsync(CancellationToken.None);

        Assert.False(pass.Failed);
        Assert.Equal(0, _store.GetBacklog().Count);
        Assert.Equal(events.Where((_, i) => i != 1).Select(e => e.Id), _uplink.Published.Select(m => m.Id));
        var error = Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Contains(events[1].Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("kept in the journal only", error.Message, StringComparison.Ordinal);
    }

    private sealed class TooLargeUplink(string refusedId, FakeUplink inner) : IUplinkPublisher
    {
        public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            System.Text.Encoding.UTF8.GetString(payload.Span).Contains($"\"id\":\"{refusedId}\"", StringComparison.Ordinal)
                ? Task.FromException(new MessageTooLargeForUplinkException("larger than the broker's Maximum Packet Size"))
                : inner.PublishAsync(topic, payload, cancellationToken);
    }

    [Fact]
    public async Task Failing_uplink_keeps_everything_and_a_later_pass_delivers_it_in_order_marked_replayed()
    {
        var events = MixedEvents(6);
        _store.Append(events);
        var drainer = Drainer();
        _uplink.Mode = FakeUplink.AckMode.Failing;

        var failed = await drainer.DrainOnceAsync(CancellationToken.None);
        var failedAgain = await drainer.DrainOnceAsync(CancellationToken.None);

        Assert.True(failed.Failed);
        Assert.True(failedAgain.Failed);
        Assert.Equal(6, _store.GetBacklog().Count);
        Assert.Equal("uplink down", drainer.GetStats().LastError);

        _uplink.Mode = FakeUplink.AckMode.Immediate;
        _time.Advance(TimeSpan.FromSeconds(5));
        var recovered = await drainer.DrainOnceAsync(CancellationToken.None);

        Assert.Equal(6, recovered.Delivered);
        Assert.Equal(events.Select(e => e.Id), _uplink.Published.Select(m => m.Id));
        Assert.All(_uplink.Published, m => Assert.True(m.Replayed));
        Assert.All(_uplink.Published.Where(m => m.Topic.EndsWith("/position", StringComparison.Ordinal)), m => Assert.True(m.Payload.GetProperty("data").GetProperty("replayed").GetBoolean()));
        Assert.True(drainer.GetStats().UplinkHealthy);
    }

    [Fact]
    public async Task Entries_enqueued_while_the_connection_was_down_are_replayed_though_no_publish_failed()
    {
        // The session does not fail a publish while disconnected; it waits. The drainer must learn of the outage from the connection.
        var drainer = Drainer();
        _store.Append([SampleEvents.Csbk("live", SampleEvents.Start)]);
        await drainer.DrainOnceAsync(CancellationToken.None);

        drainer.UplinkLost();
        _time.Advance(TimeSpan.FromSeconds(5));
        _store.Append([SampleEvents.Csbk("waited", SampleEvents.Start), SampleEvents.Position("waited-pos", SampleEvents.Start)]);
        _time.Advance(TimeSpan.FromSeconds(5));
        drainer.UplinkRestored();
        _store.Append([SampleEvents.Csbk("after", SampleEvents.Start)]);
        await drainer.DrainOnceAsync(CancellationToken.None);

        Assert.Equal([("live", false), ("waited", true), ("waited-pos", true), ("after", false)], _uplink.Published.Select(m => (m.Id, m.Replayed)));
        Assert.True(_uplink.Published[2].Payload.GetProperty("data").GetProperty("replayed").GetBoolean());
    }

    [Fact]
    public async Task Entries_enqueued_after_recovery_are_live_and_entries_older_than_the_threshold_are_replayed()
    {
        var drainer = Drainer();
        _store.Append([SampleEvents.Csbk("fresh", SampleEvents.Start)]);
        _store.Append([SampleEvents.Csbk("stale", SampleEvents.Start)]);
        var staleSequence = _store.ReadOutbox(0, 10)[1].Sequence;
        _store.RemoveFromOutbox([staleSequence]);
        _time.Advance(TimeSpan.FromSeconds(1));

        await drainer.DrainOnceAsync(CancellationToken.None);
        _store.Append([SampleEvents.Csbk("old", SampleEvents.Start)]);
        _time.Advance(TimeSpan.FromSeconds(61));
        await drainer.DrainOnceAsync(CancellationToken.None);

        Assert.Equal([("fresh", false), ("old", true)], _uplink.Published.Select(m => (m.Id, m.Replayed)));
    }

    [Fact]
    public async Task Restart_resumes_with_what_was_left_nothing_lost_nothing_reordered_and_duplicates_keep_their_id()
    {
        var events = MixedEvents(12);
        _store.Append(events);
        _uplink.Mode = FakeUplink.AckMode.Manual;
        var pass = Drainer(window: 3).DrainOnceAsync(CancellationToken.None);
        var first = await _uplink.Pending.Reader.ReadAsync();
        var second = await _uplink.Pending.Reader.ReadAsync();
        var third = await _uplink.Pending.Reader.ReadAsync();
        first.Ack.SetResult();
        var fourth = await _uplink.Pending.Reader.ReadAsync();
        // The second fails while the third and fourth are acked: they will be sent again after it.
        second.Ack.SetException(new IOException("connection lost"));
        third.Ack.SetResult();
        fourth.Ack.SetResult();
        await pass;

        // Power cut: the process goes away, the store is reopened.
        _store.Dispose();
        _time.Advance(TimeSpan.FromSeconds(20));
        _store = GatewayStore.Open(_directory.Path, _writer, _time);
        _uplink.Mode = FakeUplink.AckMode.Immediate;
        var resumed = await Drainer().DrainOnceAsync(CancellationToken.None);

        var ids = _uplink.Published.Select(m => m.Id).ToArray();
        Assert.Equal(11, resumed.Delivered);
        Assert.Equal(events.Take(4).Select(e => e.Id), ids.Take(4));
        Assert.Equal(events.Skip(1).Select(e => e.Id), ids.Skip(4));
        Assert.Equal(events.Select(e => e.Id).Order(), ids.Distinct().Order());
        Assert.Equal(0, _store.GetBacklog().Count);
        Assert.All(_uplink.Published.Skip(4), m => Assert.True(m.Replayed));
    }

    [Fact]
    public async Task GetStats_reports_backlog_oldest_age_and_drain_rate()
    {
        var drainer = Drainer();
        _store.Append(MixedEvents(3));
        _time.Advance(TimeSpan.FromSeconds(30));
        _store.Append([SampleEvents.Csbk("late", SampleEvents.Start)]);
        _time.Advance(TimeSpan.FromSeconds(15));

        var before = drainer.GetStats();
        await drainer.DrainOnceAsync(CancellationToken.None);
        var after = drainer.GetStats();
        _time.Advance(TimeSpan.FromMinutes(2));
        var later = drainer.GetStats();

        Assert.Equal(4, before.Backlog);
        Assert.Equal(TimeSpan.FromSeconds(45), before.OldestAge);
        Assert.Equal(0, before.DrainRatePerSecond);
        Assert.Equal(0, after.Backlog);
        Assert.Null(after.OldestAge);
        Assert.Equal(4, after.Delivered);
        Assert.Equal(4 / 60.0, after.DrainRatePerSecond, 6);
        Assert.Equal(0, later.DrainRatePerSecond);
    }

    [Fact]
    public void A_disk_check_raises_one_alarm_event_when_space_runs_low_and_clears_it_when_space_returns()
    {
        long free = 999;
        var logger = new ListLogger<OutboxDrainer>();
        var drainer = new OutboxDrainer(_store, _uplink, logger, _time, new OutboxDrainerOptions { MinFreeDiskBytes = 1000 }, () => free);

        Assert.True(drainer.Disk.Check());
        Assert.True(drainer.Disk.Check());
        free = 5000;
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(drainer.Disk.Check());

        var alarms = _store.ReadOutbox(0, 10);
        Assert.Equal(["alarm", "alarm"], alarms.Select(a => a.Kind));
        Assert.Contains("\"active\":true", System.Text.Encoding.UTF8.GetString(alarms[0].Payload), StringComparison.Ordinal);
        Assert.Contains("\"alarm\":\"disk-space-low\"", System.Text.Encoding.UTF8.GetString(alarms[0].Payload), StringComparison.Ordinal);
        Assert.Contains("\"active\":false", System.Text.Encoding.UTF8.GetString(alarms[1].Payload), StringComparison.Ordinal);
        var loud = Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.StartsWith("DISK NEARLY FULL: 999 bytes free", loud.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_disk_is_checked_on_its_own_timer_while_a_publish_waits_for_the_broker()
    {
        // Issue 11 #15: the check ran inside the drain loop, so a publish waiting for a reconnect held the alarm back.
        long free = long.MaxValue;
        _uplink.Mode = FakeUplink.AckMode.Manual;
        _store.Append(MixedEvents(1));
        var drainer = new OutboxDrainer(_store, _uplink, new ListLogger<OutboxDrainer>(), _time, new OutboxDrainerOptions { MinFreeDiskBytes = 1000 }, () => free);
        using var stop = new CancellationTokenSource();
        var raised = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        drainer.Disk.Changed += low => raised.TrySetResult(low);
        var running = drainer.RunAsync(stop.Token);
        var (_, ack) = await _uplink.Pending.Reader.ReadAsync(); // the pass now waits on a publish nobody acknowledges

        free = 10;
        _time.Advance(new OutboxDrainerOptions().StatsInterval);

        Assert.True(await raised.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(drainer.GetStats().DiskSpaceLow);
        Assert.Contains(_store.ReadOutbox(0, 10), e => e.Kind == "alarm");
        ack.SetResult();
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Run_drains_events_as_the_recorder_commits_them_and_stops_on_cancellation()
    {
        var drainer = Drainer();
        using var stop = new CancellationTokenSource();
        var run = drainer.RunAsync(stop.Token);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _uplink.Awaited = (40, reached);
        var events = MixedEvents(40);

        await using (var recorder = new EventRecorder(_store, NullLogger<EventRecorder>.Instance, _time))
        {
            foreach (var domainEvent in events)
            {
                recorder.Publish(domainEvent);
            }

            await recorder.FlushAsync();
        }

        await reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(events.Select(e => e.Id), _uplink.Published.Select(m => m.Id));
    }

    [Fact]
    public async Task Run_retries_after_the_backoff_when_the_uplink_comes_back()
    {
        _store.Append(MixedEvents(3));
        _uplink.Mode = FakeUplink.AckMode.Failing;
        var drainer = Drainer();
        using var stop = new CancellationTokenSource();
        var run = drainer.RunAsync(stop.Token);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _uplink.Awaited = (3, reached);

        _uplink.Mode = FakeUplink.AckMode.Immediate;
        // Move the clock until the backoff timer has fired; each step yields so the drainer can run.
        for (var step = 0; step < 10_000 && !reached.Task.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        await reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, _uplink.Published.Count);
    }
}
