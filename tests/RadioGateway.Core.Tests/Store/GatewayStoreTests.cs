using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Core.Tests.Store;

public sealed class GatewayStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(SampleEvents.Start);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Outbox_rows_from_schema_v2_get_their_messages_built_when_the_store_opens()
    {
        var events = new DomainEvent[] { SampleEvents.Csbk("csbk-old", SampleEvents.Start), SampleEvents.Position("pos-old", SampleEvents.Start) };
        using (var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time))
        {
            store.Append(events);
        }

        // Back to what a v2 gateway left: no topic, kind, payload or offset in the outbox.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory.Path, GatewayStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE outbox SET topic = NULL, kind = NULL, payload = NULL, data_offset = NULL;";
            command.ExecuteNonQuery();
        }

        using var reopened = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw-mashhad"), _time);
        var outbox = reopened.ReadOutbox(0, 10);

        Assert.Equal(["radiogw/v1/gw-mashhad/events/csbk", "radiogw/v1/gw-mashhad/events/position"], outbox.Select(e => e.Topic));
        Assert.All(outbox, e => Assert.Equal(e.EventId, System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("id").GetString()));
        Assert.Equal("position", outbox[1].Kind);
    }

    [Fact]
    public void Command_states_are_kept_as_the_text_existing_databases_and_the_contract_use()
    {
        var request = new CommandRequest("cmd-1", CommandKind.Text, SampleEvents.Start, SampleEvents.Start.AddMinutes(5), 2001, TargetType.Unit, "salam");
        using (var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time))
        {
            Assert.True(store.AcceptCommand(request, Result("cmd-1", CommandState.Accepted)));
            store.UpdateCommand(Result("cmd-1", CommandState.Transmitted), "tms.2001.1", SampleEvents.Start.AddSeconds(20));
            Assert.False(store.AcceptCommand(request, Result("cmd-1", CommandState.Accepted)));
        }

        Assert.Equal("transmitted", CommandStateText("cmd-1"));

        // A row as an older gateway wrote it reads back as the enum.
        Execute("UPDATE commands SET state = 'accepted' WHERE id = 'cmd-1';");
        using var reopened = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        var open = Assert.Single(reopened.OpenCommands());
        Assert.Equal(CommandState.Accepted, open.State);
        Assert.Equal(request, open.Request);

        reopened.UpdateCommand(Result("cmd-1", CommandState.Delivered), "tms.2001.1", null);
        Assert.Empty(reopened.OpenCommands());
        Assert.Equal("delivered", CommandStateText("cmd-1"));
        Assert.Equal(
            ["cmd-1.accepted", "cmd-1.transmitted", "cmd-1.delivered"],
            reopened.ReadOutbox(0, 10).Select(e => e.EventId));
    }

    [Fact]
    public void Calls_left_open_by_a_crash_are_closed_at_start_up_with_their_last_heard_time_and_published()
    {
        var open = SampleEvents.OpenCall("call-open");
        var ended = SampleEvents.EndedCall(SampleEvents.OpenCall("call-done"));
        using (var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time))
        {
            store.Append([SampleEvents.Started(open), SampleEvents.Alias(open, "Team 12 alias"), SampleEvents.Started(ended), SampleEvents.Ended(ended)]);
            store.RemoveFromOutboxRange(0, long.MaxValue);
        }

        // The process died: the next start closes the open call.
        _time.Advance(TimeSpan.FromHours(1));
        using var reopened = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        var closed = Assert.Single(reopened.CloseInterruptedCalls());

        var lastHeard = open.Start.AddSeconds(1); // the alias, the last event journaled for the call
        Assert.Equal(("call-open/ended", CallEndReason.GatewayRestart, lastHeard), (closed.Id, closed.Call.EndReason, closed.Call.End));
        using var reader = reopened.OpenReader();
        var calls = reader.QueryCalls(new CallQuery());
        Assert.Equal(CallEndReason.GatewayRestart, calls.Single(c => c.CallId == "call-open").EndReason);
        Assert.Equal("Team 12 alias", calls.Single(c => c.CallId == "call-open").Source.Alias);
        Assert.Equal(CallEndReason.LinkLost, calls.Single(c => c.CallId == "call-done").EndReason);
        var published = Assert.Single(reopened.ReadOutbox(0, 10));
        Assert.Equal("call-open/ended", published.EventId);
        var data = System.Text.Json.JsonDocument.Parse(published.Payload).RootElement;
        Assert.Equal("radiogw.call.ended", data.GetProperty("type").GetString());
        Assert.Equal("gateway-restart", data.GetProperty("data").GetProperty("endReason").GetString());
        Assert.Empty(reopened.CloseInterruptedCalls());
    }

    private static CommandResultReported Result(string commandId, CommandState state) => new()
    {
        Id = commandId + "." + state.ToString().ToLowerInvariant(),
        Time = SampleEvents.Start,
        CommandId = commandId,
        State = state,
    };

    private string? CommandStateText(string id)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, GatewayStore.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM commands WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() as string;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, GatewayStore.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Append_then_QueryCalls_returns_every_field_of_an_ended_call_in_utc()
    {
        var ended = SampleEvents.EndedCall(SampleEvents.OpenCall()) with
        {
            // A non-UTC offset on the way in must come back as the same instant in UTC.
            Start = new DateTimeOffset(2026, 3, 1, 11, 45, 30, 250, TimeSpan.FromHours(3.5)),
            End = new DateTimeOffset(2026, 3, 1, 8, 15, 34, 810, TimeSpan.Zero),
        };
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);

        store.Append([SampleEvents.Ended(ended)]);

        using var reader = store.OpenReader();
        var call = Assert.Single(reader.QueryCalls(new CallQuery()));
        Assert.Equal(ended with { Start = ended.Start.ToUniversalTime(), End = ended.End!.Value.ToUniversalTime() }, call);
        Assert.Equal(TimeSpan.Zero, call.Start.Offset);
        Assert.Equal(SampleEvents.Start, call.Start);
        Assert.Equal(4_560, call.DurationMs);
    }

    [Fact]
    public void Call_start_alias_and_end_update_one_row()
    {
        var open = SampleEvents.OpenCall();
        var ended = SampleEvents.EndedCall(open) with { Source = open.Source };
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        using var reader = store.OpenReader();

        store.Append([SampleEvents.Started(open)]);
        Assert.Equal(open, Assert.Single(reader.QueryCalls(new CallQuery())));

        store.Append([SampleEvents.Alias(open, SampleEvents.PersianAlias)]);
        Assert.Equal(SampleEvents.PersianAlias, Assert.Single(reader.QueryCalls(new CallQuery())).Source.Alias);

        // The end record has no alias of its own: the one heard during the call stays.
        store.Append([SampleEvents.Ended(ended)]);
        var call = Assert.Single(reader.QueryCalls(new CallQuery()));
        Assert.Equal(ended with { Source = ended.Source with { Alias = SampleEvents.PersianAlias } }, call);
    }

    [Fact]
    public void Call_with_a_non_finite_ber_is_journaled_without_it()
    {
        var ended = SampleEvents.EndedCall(SampleEvents.OpenCall()) with { Ber = double.NaN };
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);

        Assert.Equal(1, store.Append([SampleEvents.Ended(ended)]));

        using var reader = store.OpenReader();
        Assert.Equal(ended with { Ber = null }, Assert.Single(reader.QueryCalls(new CallQuery())));
    }

    [Fact]
    public void Call_started_replayed_after_the_end_does_not_reopen_the_call()
    {
        var open = SampleEvents.OpenCall();
        var ended = SampleEvents.EndedCall(open);
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);

        store.Append([SampleEvents.Ended(ended), SampleEvents.Started(open)]);

        using var reader = store.OpenReader();
        Assert.Equal(ended, Assert.Single(reader.QueryCalls(new CallQuery())));
    }

    [Fact]
    public void Append_writes_journal_and_outbox_for_every_event_kind()
    {
        var open = SampleEvents.OpenCall();
        DomainEvent[] events =
        [
            SampleEvents.Started(open),
            SampleEvents.Csbk("csbk-1", SampleEvents.Start),
            new ModemStatusChanged { Id = "modem-1", Time = SampleEvents.Start, RadioId = "bs-mashhad", LinkUp = true, Description = "MMDVM 1.6" },
            SampleEvents.Position("pos-1", SampleEvents.Start),
        ];
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);

        Assert.Equal(4, store.Append(events));

        var outbox = store.ReadOutbox(0, 100);
        Assert.Equal(["call", "csbk", "modem", "position"], outbox.Select(e => e.Kind));
        Assert.Equal(events.Select(e => e.Id), outbox.Select(e => e.EventId));
        Assert.All(outbox, e => Assert.Equal(SampleEvents.Start, e.EnqueuedAt));
        Assert.Equal(1L, CountRows(store, "csbk"));
        Assert.Equal(1L, CountRows(store, "modem_status"));
        Assert.Equal(4L, CountRows(store, "events"));
    }

    [Fact]
    public void Append_skips_an_event_whose_id_is_already_stored()
    {
        var started = SampleEvents.Started(SampleEvents.OpenCall());
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);

        Assert.Equal(1, store.Append([started]));
        Assert.Equal(0, store.Append([started]));

        Assert.Single(store.ReadOutbox(0, 100));
    }

    [Fact]
    public void Append_failing_mid_batch_writes_neither_journal_nor_outbox()
    {
        var open = SampleEvents.OpenCall();
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);

        // The third event's type has no compile-time JSON metadata: serializing it throws after two rows were written.
        Assert.Throws<NotSupportedException>(() => store.Append(
        [
            SampleEvents.Started(open),
            SampleEvents.Csbk("csbk-1", SampleEvents.Start),
            new UnserializableEvent { Id = "broken", Time = SampleEvents.Start },
        ]));

        using var reader = store.OpenReader();
        Assert.Empty(reader.QueryCalls(new CallQuery()));
        Assert.Empty(store.ReadOutbox(0, 100));
        Assert.Equal(0L, CountRows(store, "events"));
        Assert.Equal(0L, CountRows(store, "csbk"));

        // The store stays usable after the rollback.
        Assert.Equal(1, store.Append([SampleEvents.Started(open)]));
    }

    [Fact]
    public void Reopening_the_store_keeps_journal_and_outbox()
    {
        var open = SampleEvents.OpenCall();
        using (var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time))
        {
            store.Append([SampleEvents.Started(open)]);
        }

        using var reopened = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        Assert.Equal(open.CallId, System.Text.Json.JsonDocument.Parse(Assert.Single(reopened.ReadOutbox(0, 10)).Payload).RootElement.GetProperty("subject").GetString());
        using var reader = reopened.OpenReader();
        Assert.Equal(open, Assert.Single(reader.QueryCalls(new CallQuery())));
    }

    [Fact]
    public void Files_copied_without_closing_the_store_as_after_a_crash_reopen_with_every_committed_event()
    {
        using var crashed = new TempDirectory();
        var open = SampleEvents.OpenCall();
        using (var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time))
        {
            store.Append([SampleEvents.Started(open)]);
            store.Append([SampleEvents.Alias(open, SampleEvents.PersianAlias), SampleEvents.Csbk("csbk-1", SampleEvents.Start)]);

            // The WAL is not checkpointed while the store is open: the copy holds the database as a power cut would leave it.
            foreach (var file in Directory.GetFiles(_directory.Path).Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(crashed.Path, Path.GetFileName(file)));
            }
        }

        Assert.True(File.Exists(Path.Combine(crashed.Path, GatewayStore.FileName + "-wal")));
        using var recovered = GatewayStore.Open(crashed.Path, new CloudEventWriter("gw"), _time);
        Assert.Equal([open.CallId + "-start", open.CallId + "-alias", "csbk-1"], recovered.ReadOutbox(0, 10).Select(e => e.EventId));
        using var reader = recovered.OpenReader();
        Assert.Equal(SampleEvents.PersianAlias, Assert.Single(reader.QueryCalls(new CallQuery())).Source.Alias);
    }

    [Fact]
    public void Open_switches_to_wal_and_records_the_schema_version()
    {
        using (GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time))
        {
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, GatewayStore.FileName)};Pooling=False");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)StoreSchema.CurrentVersion, Scalar(connection, "PRAGMA user_version;"));
    }

    [Fact]
    public void Open_refuses_a_journal_from_a_newer_schema()
    {
        using (GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, GatewayStore.FileName)};Pooling=False"))
        {
            connection.Open();
            Scalar(connection, "PRAGMA user_version = 99;");
        }

        var error = Assert.Throws<InvalidOperationException>(() => GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QueryCalls_filters_by_since_talkgroup_and_unit_and_keeps_the_latest_within_the_limit()
    {
        CallRecord Call(int minute, uint source, uint destination, TargetType type) => SampleEvents.OpenCall($"call-{minute}", source) with
        {
            Start = SampleEvents.Start.AddMinutes(minute),
            Destination = new CallTarget(destination, type),
        };

        var calls = new[]
        {
            Call(0, 2001, 91, TargetType.Group),
            Call(1, 2002, 91, TargetType.Group),
            Call(2, 2003, 92, TargetType.Group),
            Call(3, 2004, 2001, TargetType.Unit),
            Call(4, 2001, 92, TargetType.Group),
        };
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        store.Append(calls.Select(SampleEvents.Started).ToArray());
        using var reader = store.OpenReader();

        string[] Ids(CallQuery query) => reader.QueryCalls(query).Select(c => c.CallId).ToArray();

        Assert.Equal(["call-0", "call-1", "call-2", "call-3", "call-4"], Ids(new CallQuery()));
        Assert.Equal(["call-2", "call-3", "call-4"], Ids(new CallQuery { Since = SampleEvents.Start.AddMinutes(2) }));
        Assert.Equal(["call-0", "call-1"], Ids(new CallQuery { Talkgroup = 91 }));
        Assert.Equal(["call-0", "call-3", "call-4"], Ids(new CallQuery { Unit = 2001 }));
        Assert.Equal(["call-4"], Ids(new CallQuery { Unit = 2001, Talkgroup = 92 }));
        Assert.Equal(["call-3", "call-4"], Ids(new CallQuery { Limit = 2 }));
    }

    [Fact]
    public void QueryEvents_returns_every_kind_with_its_data_filtered_by_kind_and_time()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        store.Append(
        [
            SampleEvents.Position("pos-1", SampleEvents.Start),
            SampleEvents.Csbk("csbk-1", SampleEvents.Start.AddMinutes(1)),
            SampleEvents.Position("pos-2", SampleEvents.Start.AddMinutes(2)),
        ]);
        using var reader = store.OpenReader();

        Assert.Equal(["pos-1", "csbk-1", "pos-2"], reader.QueryEvents().Select(e => e.Id));
        Assert.Equal(["pos-1", "pos-2"], reader.QueryEvents(kind: "position").Select(e => e.Id));
        Assert.Equal(["csbk-1", "pos-2"], reader.QueryEvents(since: SampleEvents.Start.AddMinutes(1)).Select(e => e.Id));
        Assert.Equal(["pos-2"], reader.QueryEvents(limit: 1).Select(e => e.Id));
        var position = reader.QueryEvents(kind: "position")[0];
        Assert.Equal(("radiogw.position", "2001", SampleEvents.Start.AddSeconds(3)), (position.Type, position.Subject, position.Time));
        Assert.Contains("\"name\":\"تیم ۱۲\"", position.DataJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_sees_committed_calls_while_the_writer_holds_an_open_transaction()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        store.Append([SampleEvents.Started(SampleEvents.OpenCall("committed"))]);
        using var reader = store.OpenReader();

        using var writer = new SqliteConnection($"Data Source={store.DatabasePath};Pooling=False");
        writer.Open();
        using var transaction = writer.BeginTransaction();
        using (var command = writer.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "UPDATE calls SET slot = 2;";
            command.ExecuteNonQuery();
        }

        // WAL: the pending write neither blocks nor shows through.
        Assert.Equal(1, Assert.Single(reader.QueryCalls(new CallQuery())).Slot);
    }

    [Fact]
    public void Append_commits_while_a_reader_holds_an_open_snapshot()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        store.Append([SampleEvents.Started(SampleEvents.OpenCall("first"))]);
        using var reader = new SqliteConnection($"Data Source={store.DatabasePath};Mode=ReadOnly;Pooling=False");
        reader.Open();
        using var snapshot = reader.BeginTransaction();
        Assert.Equal(1L, ScalarIn(reader, snapshot, "SELECT count(*) FROM calls;"));

        store.Append([SampleEvents.Started(SampleEvents.OpenCall("second"))]);

        // WAL: the writer went ahead; the reader keeps its consistent snapshot until it ends.
        Assert.Equal(1L, ScalarIn(reader, snapshot, "SELECT count(*) FROM calls;"));
        Assert.Equal(2, store.GetBacklog().Count);
    }

    [Fact]
    public void RemoveFromOutbox_deletes_only_the_given_entries_and_backlog_tracks_the_oldest()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        store.Append([SampleEvents.Csbk("a", SampleEvents.Start)]);
        _time.Advance(TimeSpan.FromSeconds(10));
        store.Append([SampleEvents.Csbk("b", SampleEvents.Start), SampleEvents.Csbk("c", SampleEvents.Start)]);
        var entries = store.ReadOutbox(0, 10);

        Assert.Equal(new(3, SampleEvents.Start), store.GetBacklog());
        store.RemoveFromOutbox([entries[0].Sequence, entries[2].Sequence]);

        Assert.Equal(["b"], store.ReadOutbox(0, 10).Select(e => e.EventId));
        Assert.Equal(new(1, SampleEvents.Start.AddSeconds(10)), store.GetBacklog());
    }

    [Fact]
    public void Outbox_sequence_numbers_are_not_reused_after_the_outbox_empties()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        store.Append([SampleEvents.Csbk("a", SampleEvents.Start)]);
        var first = Assert.Single(store.ReadOutbox(0, 10)).Sequence;
        store.RemoveFromOutbox([first]);

        store.Append([SampleEvents.Csbk("b", SampleEvents.Start)]);

        Assert.True(Assert.Single(store.ReadOutbox(0, 10)).Sequence > first);
    }

    private static long CountRows(GatewayStore store, string table)
    {
        using var connection = new SqliteConnection($"Data Source={store.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return (long)Scalar(connection, $"SELECT count(*) FROM {table};")!;
    }

    private static object? ScalarIn(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private sealed record UnserializableEvent : DomainEvent
    {
        public override string Kind => "test";

        public override string Type => "radiogw.test";
    }
}
