using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Outbox;

namespace RadioGateway.Core.Store;

/// <summary>
/// The gateway's one SQLite database (journal, outbox, commands) under <c>Gateway:DataDirectory</c>, behind the
/// interfaces its users own: <see cref="IJournalWriter"/> (the event recorder), <see cref="IOutboxStore"/> (the
/// outbox drainer), <see cref="ICommandStore"/> (the command dispatcher).
/// Every event is written to the journal and the outbox in one transaction (<see cref="Append"/>).
/// WAL mode lets readers (<see cref="OpenReader"/>, the CLI) run beside the writer without blocking it;
/// <c>synchronous=FULL</c> fsyncs the WAL on every commit, so a committed batch survives a power cut
/// (NORMAL would only protect against corruption, not loss of the last commits). Group commits keep
/// that affordable. Thread-safe: one write connection, serialised by a lock.
/// </summary>
public sealed partial class GatewayStore : IJournalWriter, IOutboxStore, ICommandStore, IDisposable
{
    /// <summary>File name of the database inside the data directory.</summary>
    public const string FileName = JournalReader.FileName;

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly CloudEventWriter _envelope;
    private readonly ArrayBufferWriter<byte> _payload = new(1024);
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private bool _disposed;

    private GatewayStore(string databasePath, SqliteConnection connection, CloudEventWriter envelope, TimeProvider time)
    {
        DatabasePath = databasePath;
        _connection = connection;
        _envelope = envelope;
        _time = time;
    }

    /// <inheritdoc/>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public OutboxSignal OutboxChanged { get; } = new();

    /// <summary>True when this open created the journal: there was no database file, or an empty one.</summary>
    public bool CreatedNew { get; private init; }

    /// <summary>Opens (creating and migrating if needed) the store in <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">Where <see cref="FileName"/> lives.</param>
    /// <param name="envelope">Writes each outbox message (CloudEvent and topic) when its event is appended.</param>
    /// <param name="time">Clock for enqueue times.</param>
    public static GatewayStore Open(string dataDirectory, CloudEventWriter envelope, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(envelope);
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            // A damaged file stops the gateway here, instead of failing every write later (issue 11 #3).
            JournalDamagedException.Check(connection, path);
            EnsureIncrementalVacuum(connection);
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
            var foundVersion = StoreSchema.Migrate(connection);
            var store = new GatewayStore(path, connection, envelope, time ?? TimeProvider.System) { CreatedNew = foundVersion == 0 };
            store.FillOutboxMessages();
            return store;
        }
        catch (SqliteException e) when (JournalDamagedException.IsDamage(e))
        {
            connection.Dispose();
            throw new JournalDamagedException(path, e.Message.TrimEnd('.'), e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a separate read-only connection for journal queries.</summary>
    public JournalReader OpenReader() => JournalReader.Open(DatabasePath);

    /// <inheritdoc cref="IJournalWriter.Append"/>
    public int Append(IReadOnlyList<DomainEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return 0;
        }

        int added = 0;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var enqueuedAt = StoreTime.Write(_time.GetUtcNow());
            using var transaction = _connection.BeginTransaction();
            foreach (var domainEvent in events)
            {
                if (AppendOne(transaction, domainEvent, enqueuedAt))
                {
                    added++;
                }
            }

            transaction.Commit();
        }

        if (added > 0)
        {
            OutboxChanged.Notify();
        }

        return added;
    }

    /// <summary>
    /// Closes every call the journal still holds open: the process ended mid-call (crash, power cut) and nobody will
    /// end it. Each gets <see cref="CallEndReason.GatewayRestart"/> and, as its end, the last time anything of it was
    /// heard (its start, or the latest event journaled for it, such as its talker alias); its <c>call.ended</c> is
    /// journaled and queued in the outbox. Run at start-up, before any radio publishes.
    /// </summary>
    /// <returns>The calls closed.</returns>
    public IReadOnlyList<CallEnded> CloseInterruptedCalls()
    {
        var closed = new List<CallEnded>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            // time >= start keeps the events_time index in play; the subject of a call's events is its call id.
            command.CommandText = $"""
                SELECT {JournalReader.CallColumns},
                    (SELECT max(e.time) FROM events e WHERE e.time >= calls.start AND e.subject = calls.call_id)
                FROM calls WHERE "end" IS NULL ORDER BY start, call_id;
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var call = JournalReader.ReadCall(reader);
                var lastHeard = reader.IsDBNull(19) ? call.Start : StoreTime.Read(reader.GetString(19));
                if (lastHeard < call.Start)
                {
                    lastHeard = call.Start;
                }

                closed.Add(new CallEnded
                {
                    Id = call.CallId + "/ended",
                    Time = lastHeard,
                    Call = call with { End = lastHeard, EndReason = CallEndReason.GatewayRestart },
                });
            }
        }

        Append(closed);
        return closed;
    }

    /// <inheritdoc/>
    public IReadOnlyList<OutboxEntry> ReadOutbox(long afterSeq, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var entries = new List<OutboxEntry>(Math.Min(limit, 1024));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var command = Statement("SELECT seq, enqueued_at, event_id, kind, topic, payload, data_offset FROM outbox WHERE seq > $after ORDER BY seq LIMIT $limit;");
            command.Transaction = null;
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$after", afterSeq);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(new OutboxEntry(
                    reader.GetInt64(0),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetFieldValue<byte[]>(5),
                    reader.GetInt32(6),
                    StoreTime.Read(reader.GetString(1))));
            }
        }

        return entries;
    }

    /// <inheritdoc/>
    public void RemoveFromOutbox(IReadOnlyCollection<long> sequenceNumbers)
    {
        ArgumentNullException.ThrowIfNull(sequenceNumbers);
        if (sequenceNumbers.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM outbox WHERE seq = $seq;";
            var seq = command.Parameters.Add("$seq", SqliteType.Integer);
            foreach (var number in sequenceNumbers)
            {
                seq.Value = number;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <inheritdoc/>
    public void RemoveFromOutboxRange(long first, long last)
    {
        if (last < first)
        {
            return;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM outbox WHERE seq BETWEEN $first AND $last;";
            command.Parameters.AddWithValue("$first", first);
            command.Parameters.AddWithValue("$last", last);
            command.ExecuteNonQuery();
        }
    }

    /// <inheritdoc/>
    public bool AcceptCommand(CommandRequest request, CommandResultReported accepted)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(accepted);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            var inserted = Run(transaction, """
                INSERT INTO commands (id, kind, request, received_at, expires_at, state, updated_at)
                VALUES ($id, $kind, $request, $received, $expires, $state, $now) ON CONFLICT(id) DO NOTHING;
                """,
                ("$id", request.Id),
                ("$kind", CommandRequest.KindName(request.Kind)),
                ("$state", CommandStateColumn.Write(CommandState.Accepted)),
                ("$request", JsonSerializer.Serialize(request, EventJson.Options.TypeInfo<CommandRequest>())),
                ("$received", StoreTime.Write(request.ReceivedAt)),
                ("$expires", StoreTime.Write(request.ExpiresAt)),
                ("$now", StoreTime.Write(_time.GetUtcNow())));
            if (inserted == 0)
            {
                return false;
            }

            AppendOne(transaction, accepted, StoreTime.Write(_time.GetUtcNow()));
            transaction.Commit();
        }

        OutboxChanged.Notify();
        return true;
    }

    /// <inheritdoc/>
    public void UpdateCommand(CommandResultReported result, string? answerKey, DateTimeOffset? answerDeadline)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            Run(transaction, "UPDATE commands SET state = $state, answer_key = $key, answer_deadline = $deadline, updated_at = $now WHERE id = $id;",
                ("$id", result.CommandId),
                ("$state", CommandStateColumn.Write(result.State)),
                ("$key", answerKey),
                ("$deadline", answerDeadline is { } deadline ? StoreTime.Write(deadline) : null),
                ("$now", StoreTime.Write(_time.GetUtcNow())));
            AppendOne(transaction, result, StoreTime.Write(_time.GetUtcNow()));
            transaction.Commit();
        }

        OutboxChanged.Notify();
    }

    /// <inheritdoc/>
    public void RecordResult(CommandResultReported result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Append([result]);
    }

    /// <inheritdoc/>
    public IReadOnlyList<StoredCommand> OpenCommands()
    {
        var list = new List<StoredCommand>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT request, state, answer_key, answer_deadline FROM commands WHERE state IN ('accepted', 'transmitted') ORDER BY received_at, rowid;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add(new StoredCommand(
                    JsonSerializer.Deserialize(reader.GetString(0), EventJson.Options.TypeInfo<CommandRequest>())!,
                    CommandStateColumn.Read(reader.GetString(1)),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : StoreTime.Read(reader.GetString(3))));
            }
        }

        return list;
    }

    /// <inheritdoc/>
    public OutboxBacklog GetBacklog()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT count(*), min(enqueued_at) FROM outbox;";
            using var reader = command.ExecuteReader();
            reader.Read();
            return new OutboxBacklog(reader.GetInt64(0), reader.IsDBNull(1) ? null : StoreTime.Read(reader.GetString(1)));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var statement in _statements.Values)
            {
                statement.Dispose();
            }

            _connection.Dispose();
        }
    }

    private bool AppendOne(SqliteTransaction transaction, DomainEvent domainEvent, string enqueuedAt)
    {
        var parts = CloudEventParts.From(domainEvent);
        var inserted = Run(transaction, """
            INSERT INTO events (id, kind, type, subject, time, data) VALUES ($id, $kind, $type, $subject, $time, $data)
            ON CONFLICT(id) DO NOTHING;
            """,
            ("$id", parts.Id),
            ("$kind", parts.Kind),
            ("$type", parts.Type),
            ("$subject", parts.Subject),
            ("$time", StoreTime.Write(parts.Time)),
            ("$data", Encoding.UTF8.GetString(parts.Data.Span)));
        if (inserted == 0)
        {
            return false;
        }

        switch (domainEvent)
        {
            case CallStarted started:
                Run(transaction, CallInsert + " ON CONFLICT(call_id) DO NOTHING;", CallParameters(started.Call));
                break;
            case CallEnded ended:
                Run(transaction, CallInsert + CallEndedUpdate, CallParameters(ended.Call));
                if (ended.Call.Recording is { } recording)
                {
                    Run(transaction, CallRecordingUpdate, ("$call_id", ended.Call.CallId), ("$file", recording.File), ("$duration_ms", recording.DurationMs), ("$bytes", recording.Bytes), ("$start", StoreTime.Write(recording.Start)));
                }
                break;
            case TalkerAliasHeard alias:
                Run(transaction, "UPDATE calls SET source_alias = $alias WHERE call_id = $call_id;", ("$alias", alias.Alias), ("$call_id", alias.CallId));
                break;
            case CsbkHeard csbk:
                Run(transaction, """
                    INSERT INTO csbk (event_id, time, radio_id, slot, opcode, feature_set_id, name, source_id, destination_id, group_destination, raw_hex)
                    VALUES ($id, $time, $radio_id, $slot, $opcode, $fid, $name, $source_id, $destination_id, $group, $raw);
                    """,
                    ("$id", csbk.Id),
                    ("$time", StoreTime.Write(csbk.Time)),
                    ("$radio_id", csbk.RadioId),
                    ("$slot", csbk.Slot),
                    ("$opcode", (int)csbk.Opcode),
                    ("$fid", (int)csbk.FeatureSetId),
                    ("$name", csbk.Name),
                    ("$source_id", (long)csbk.SourceId),
                    ("$destination_id", (long)csbk.DestinationId),
                    ("$group", csbk.GroupDestination),
                    ("$raw", csbk.RawHex));
                break;
            case ModemStatusChanged modem:
                Run(transaction, """
                    INSERT INTO modem_status (event_id, time, radio_id, link_up, description, detail)
                    VALUES ($id, $time, $radio_id, $link_up, $description, $detail);
                    """,
                    ("$id", modem.Id),
                    ("$time", StoreTime.Write(modem.Time)),
                    ("$radio_id", modem.RadioId),
                    ("$link_up", modem.LinkUp),
                    ("$description", modem.Description),
                    ("$detail", modem.Detail));
                break;
        }

        _payload.ResetWrittenCount();
        var dataOffset = _envelope.Write(_payload, parts);
        Run(transaction, "INSERT INTO outbox (event_id, enqueued_at, topic, kind, payload, data_offset) VALUES ($id, $at, $topic, $kind, $payload, $offset);",
            ("$id", parts.Id),
            ("$at", enqueuedAt),
            ("$topic", _envelope.TopicFor(parts.Kind)),
            ("$kind", parts.Kind),
            ("$payload", _payload.WrittenSpan.ToArray()),
            ("$offset", dataOffset));
        return true;
    }

    private const string CallInsert = """
        INSERT INTO calls (call_id, radio_id, slot, source_id, source_name, source_alias, destination_id, destination_type,
            start, "end", duration_ms, emergency, privacy, feature_set_id, late_entry, end_reason, ber, rssi, lost_frames, frames)
        VALUES ($call_id, $radio_id, $slot, $source_id, $source_name, $source_alias, $destination_id, $destination_type,
            $start, $end, $duration_ms, $emergency, $privacy, $feature_set_id, $late_entry, $end_reason, $ber, $rssi, $lost_frames, $frames)
        """;

    // An alias heard during the call is kept when the end record does not carry one.
    private const string CallEndedUpdate = """
         ON CONFLICT(call_id) DO UPDATE SET
            radio_id = excluded.radio_id, slot = excluded.slot, source_id = excluded.source_id,
            source_name = coalesce(excluded.source_name, calls.source_name),
            source_alias = coalesce(excluded.source_alias, calls.source_alias),
            destination_id = excluded.destination_id, destination_type = excluded.destination_type,
            start = excluded.start, "end" = excluded."end", duration_ms = excluded.duration_ms,
            emergency = excluded.emergency, privacy = excluded.privacy, feature_set_id = excluded.feature_set_id,
            late_entry = excluded.late_entry, end_reason = excluded.end_reason, ber = excluded.ber, rssi = excluded.rssi,
            lost_frames = excluded.lost_frames, frames = excluded.frames;
        """;

    private const string CallRecordingUpdate = """
        UPDATE calls SET recording_file = $file, recording_duration_ms = $duration_ms, recording_bytes = $bytes, recording_start = $start
        WHERE call_id = $call_id;
        """;

    private static (string Name, object? Value)[] CallParameters(CallRecord call) =>
    [
        ("$call_id", call.CallId),
        ("$radio_id", call.RadioId),
        ("$slot", call.Slot),
        ("$source_id", (long)call.Source.Id),
        ("$source_name", call.Source.Name),
        ("$source_alias", call.Source.Alias),
        ("$destination_id", (long)call.Destination.Id),
        ("$destination_type", JournalCodes.Write(call.Destination.Type)),
        ("$start", StoreTime.Write(call.Start)),
        ("$end", call.End is { } end ? StoreTime.Write(end) : null),
        ("$duration_ms", call.DurationMs),
        ("$emergency", call.Emergency),
        ("$privacy", call.Privacy),
        ("$feature_set_id", (int)call.FeatureSetId),
        ("$late_entry", call.LateEntry),
        ("$end_reason", call.EndReason is { } reason ? JournalCodes.Write(reason) : null),
        ("$ber", call.Ber is { } ber && double.IsFinite(ber) ? ber : null), // SQLite refuses NaN; unknown is NULL
        ("$rssi", call.Rssi),
        ("$lost_frames", call.LostFrames),
        ("$frames", call.Frames),
    ];

    // Statements are kept per SQL text for the connection's lifetime, so SQLite prepares each once.
    // Outbox rows written before schema v3 carry only their event id: build their messages from the events once.
    private void FillOutboxMessages()
    {
        using var transaction = _connection.BeginTransaction();
        using var select = _connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = """
            SELECT o.seq, e.id, e.kind, e.type, e.subject, e.time, e.data
            FROM outbox o JOIN events e ON e.id = o.event_id WHERE o.payload IS NULL;
            """;
        var filled = new List<(long Sequence, CloudEventParts Parts)>();
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                filled.Add((reader.GetInt64(0), new CloudEventParts(
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    StoreTime.Read(reader.GetString(5)),
                    Encoding.UTF8.GetBytes(reader.GetString(6)))));
            }
        }

        foreach (var (sequence, parts) in filled)
        {
            _payload.ResetWrittenCount();
            var dataOffset = _envelope.Write(_payload, parts);
            Run(transaction, "UPDATE outbox SET topic = $topic, kind = $kind, payload = $payload, data_offset = $offset WHERE seq = $seq;",
                ("$seq", sequence),
                ("$topic", _envelope.TopicFor(parts.Kind)),
                ("$kind", parts.Kind),
                ("$payload", _payload.WrittenSpan.ToArray()),
                ("$offset", dataOffset));
        }

        transaction.Commit();
    }

    private SqliteCommand Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }

        return command;
    }

    private int Run(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Statement(sql);
        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// The <c>commands.state</c> column: the command states as the text the store has always held, the same
/// spelling as <c>state</c> on <c>events/command-result</c>, so existing databases read unchanged.
/// </summary>
internal static class CommandStateColumn
{
    public static string Write(CommandState state) => state switch
    {
        CommandState.Accepted => "accepted",
        CommandState.Transmitted => "transmitted",
        CommandState.Delivered => "delivered",
        CommandState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static CommandState Read(string text) => text switch
    {
        "accepted" => CommandState.Accepted,
        "transmitted" => CommandState.Transmitted,
        "delivered" => CommandState.Delivered,
        "failed" => CommandState.Failed,
        _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Unknown command state '{text}' in the store.")),
    };
}
