using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Core.Tests.Store;

public sealed class JournalHousekeepingTests : IDisposable
{
    private static readonly DateTimeOffset Now = SampleEvents.Start.AddDays(100);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose() => _directory.Dispose();

    private GatewayStore OpenStore() => GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);

    private static void MarkSent(GatewayStore store, params string[] eventIds)
    {
        var sent = store.ReadOutbox(0, 10_000).Where(e => eventIds.Contains(e.EventId)).Select(e => e.Sequence).ToList();
        Assert.Equal(eventIds.Length, sent.Count);
        store.RemoveFromOutbox(sent);
    }

    private JournalHousekeeping Housekeeping(GatewayStore store, int retentionDays, int maxSizeMB, int batchSize = 2) =>
        new(store, new JournalRetentionOptions { RetentionDays = retentionDays, MaxSizeMB = maxSizeMB, BatchSize = batchSize }, _time, NullLogger.Instance);

    [Fact]
    public async Task Retention_deletes_only_sent_events_older_than_the_limit_with_their_rows()
    {
        var old = SampleEvents.Start; // 100 days before now
        var oldCall = SampleEvents.EndedCall(SampleEvents.OpenCall("old-call"));
        var recentCall = SampleEvents.EndedCall(SampleEvents.OpenCall("recent-call") with { Start = Now.AddDays(-1) });
        using var store = OpenStore();
        store.Append([
            SampleEvents.Started(oldCall), SampleEvents.Ended(oldCall),
            SampleEvents.Csbk("csbk-old-sent", old.AddMinutes(1)),
            SampleEvents.Position("pos-old-sent", old.AddMinutes(2)),
            SampleEvents.Position("pos-old-unsent", old.AddMinutes(3)),
            SampleEvents.Started(recentCall), SampleEvents.Ended(recentCall),
            SampleEvents.Position("pos-recent-sent", Now.AddHours(-2)),
        ]);
        MarkSent(store, "old-call-start", "old-call-end", "csbk-old-sent", "pos-old-sent", "recent-call-start", "recent-call-end", "pos-recent-sent");

        var result = await Housekeeping(store, retentionDays: 30, maxSizeMB: 0).RunOnceAsync(CancellationToken.None);

        Assert.Equal(4, result.Events);
        Assert.Equal(1, result.Calls);
        using var reader = store.OpenReader();
        Assert.Equal(["pos-old-unsent", "recent-call-start", "recent-call-end", "pos-recent-sent"], reader.QueryEvents().Select(e => e.Id));
        Assert.Equal(["recent-call"], reader.QueryCalls(new CallQuery()).Select(c => c.CallId));
        Assert.Equal(0L, Count(store, "SELECT count(*) FROM csbk;"));
        // The unsent one is still there to be sent.
        Assert.Equal(["pos-old-unsent"], store.ReadOutbox(0, 10).Select(e => e.EventId));
    }

    [Fact]
    public async Task Size_limit_deletes_the_oldest_sent_events_and_keeps_every_unsent_one()
    {
        using var store = OpenStore();
        var events = Enumerable.Range(0, 6000).Select(i => (DomainEvent)SampleEvents.Position($"pos-{i:D4}", Now.AddDays(-20).AddSeconds(i))).ToList();
        store.Append(events);
        var unsent = new HashSet<string>(events.Take(10).Select(e => e.Id), StringComparer.Ordinal); // the oldest are unsent
        store.RemoveFromOutbox(store.ReadOutbox(0, 10_000).Where(e => !unsent.Contains(e.EventId)).Select(e => e.Sequence).ToList());
        Assert.True(store.UsedBytes > 2 * 1024 * 1024, $"{store.UsedBytes} bytes: too little to test a 1 MB limit");

        var result = await Housekeeping(store, retentionDays: 0, maxSizeMB: 1, batchSize: 200).RunOnceAsync(CancellationToken.None);

        Assert.True(result.UsedBytes <= 1024 * 1024, $"{result.UsedBytes} bytes in use");
        Assert.False(result.OverSizeUnsent);
        using var reader = store.OpenReader();
        var left = reader.QueryEvents(limit: 10_000).Select(e => e.Id).ToList();
        Assert.Superset(unsent, left.ToHashSet());
        // The newest are kept: what went was the oldest sent.
        Assert.Equal("pos-5999", left[^1]);
        Assert.Equal(6000 - left.Count, result.Events);
        // Incremental vacuum gave the pages back: the file shrank, not only its free list grew.
        Assert.True(new FileInfo(store.DatabasePath).Length <= 1024 * 1024 + 64 * 1024, $"file is {new FileInfo(store.DatabasePath).Length} bytes");
    }

    [Fact]
    public async Task Over_the_size_limit_with_only_unsent_events_nothing_is_deleted_and_it_says_so()
    {
        using var store = OpenStore();
        store.Append(Enumerable.Range(0, 2000).Select(i => (DomainEvent)SampleEvents.Position($"pos-{i}", Now.AddDays(-200).AddSeconds(i))).ToList());

        var result = await Housekeeping(store, retentionDays: 30, maxSizeMB: 1).RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, result.Events);
        Assert.True(result.OverSizeUnsent);
        Assert.Equal(2000, store.GetBacklog().Count);
    }

    [Fact]
    public void A_journal_created_without_incremental_vacuum_is_converted_once_when_opened()
    {
        var path = Path.Combine(_directory.Path, GatewayStore.FileName);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE before_housekeeping (x INTEGER); INSERT INTO before_housekeeping VALUES (1);";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA auto_vacuum;";
            Assert.Equal(0L, command.ExecuteScalar());
        }

        using var store = OpenStore();

        Assert.Equal(2L, Count(store, "PRAGMA auto_vacuum;")); // INCREMENTAL
        Assert.Equal(1L, Count(store, "SELECT count(*) FROM before_housekeeping;"));
    }

    [Fact]
    public void Backup_while_the_store_is_open_copies_every_call_into_a_self_contained_file()
    {
        var call = SampleEvents.EndedCall(SampleEvents.OpenCall());
        using var store = OpenStore();
        store.Append([SampleEvents.Started(call), SampleEvents.Ended(call)]);
        var copy = Path.Combine(_directory.Path, "copy", "backup.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);

        GatewayStore.Backup(store.DatabasePath, copy);
        store.Append([SampleEvents.Position("after-backup", Now)]);

        Assert.False(File.Exists(copy + "-wal"));
        using var reader = JournalReader.Open(copy);
        Assert.Equal(call, reader.QueryCalls(new CallQuery()).Single());
        Assert.DoesNotContain(reader.QueryEvents(), e => e.Id == "after-backup");
    }

    private static long Count(GatewayStore store, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={store.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
