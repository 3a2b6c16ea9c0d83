namespace RadioGateway.Core.Journal;

/// <summary>One downlink command as the store keeps it: its latest state and when it changed.</summary>
public sealed record CommandHistoryEntry(string Id, string Kind, string State, DateTimeOffset ReceivedAt, DateTimeOffset ExpiresAt, DateTimeOffset UpdatedAt);

/// <summary>Events of one kind waiting in the outbox, and how long the oldest has waited since it was enqueued.</summary>
public sealed record OutboxKindBacklog(string Kind, long Count, DateTimeOffset OldestEnqueuedAt);

/// <summary>One event waiting in the outbox.</summary>
public sealed record OutboxWaiting(long Sequence, string Kind, string EventId, string Topic, DateTimeOffset EnqueuedAt);

/// <summary>What an operator asks of a running gateway's store: command history, the outbox, latest activity.</summary>
public sealed partial class JournalReader
{
    /// <summary>The database file this reader has open.</summary>
    public string DatabasePath => _connection.DataSource;

    /// <summary>Commands received since <paramref name="since"/>, oldest first (the most recent <paramref name="limit"/>).</summary>
    public IReadOnlyList<CommandHistoryEntry> QueryCommands(DateTimeOffset? since, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var command = _connection.CreateCommand();
        command.CommandText = $"""
            SELECT * FROM (
                SELECT id, kind, state, received_at, expires_at, updated_at, rowid AS row FROM commands
                {(since is null ? "" : "WHERE received_at >= $since")}
                ORDER BY received_at DESC, rowid DESC LIMIT $limit)
            ORDER BY received_at, row;
            """;
        if (since is { } from)
        {
            command.Parameters.AddWithValue("$since", StoreTime.Write(from));
        }

        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var list = new List<CommandHistoryEntry>();
        while (reader.Read())
        {
            list.Add(new CommandHistoryEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                StoreTime.Read(reader.GetString(3)), StoreTime.Read(reader.GetString(4)), StoreTime.Read(reader.GetString(5))));
        }

        return list;
    }

    /// <summary>Commands by state (accepted, transmitted, delivered, failed).</summary>
    public IReadOnlyDictionary<string, long> CountCommandsByState()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT state, count(*) FROM commands GROUP BY state ORDER BY state;";
        using var reader = command.ExecuteReader();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>The outbox backlog by event kind, largest first.</summary>
    public IReadOnlyList<OutboxKindBacklog> OutboxByKind()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT coalesce(kind, '?'), count(*), min(enqueued_at) FROM outbox GROUP BY kind ORDER BY count(*) DESC, kind;";
        using var reader = command.ExecuteReader();
        var list = new List<OutboxKindBacklog>();
        while (reader.Read())
        {
            list.Add(new OutboxKindBacklog(reader.GetString(0), reader.GetInt64(1), StoreTime.Read(reader.GetString(2))));
        }

        return list;
    }

    /// <summary>The <paramref name="limit"/> oldest events waiting in the outbox, in sending order.</summary>
    public IReadOnlyList<OutboxWaiting> OldestInOutbox(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT seq, coalesce(kind, '?'), event_id, coalesce(topic, ''), enqueued_at FROM outbox ORDER BY seq LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var list = new List<OutboxWaiting>();
        while (reader.Read())
        {
            list.Add(new OutboxWaiting(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), StoreTime.Read(reader.GetString(4))));
        }

        return list;
    }

    /// <summary>Time of the latest journaled event of <paramref name="kind"/>, or null when there is none.</summary>
    public DateTimeOffset? LatestEventTime(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT max(time) FROM events WHERE kind = $kind;";
        command.Parameters.AddWithValue("$kind", kind);
        return command.ExecuteScalar() is string text ? StoreTime.Read(text) : null;
    }

    /// <summary>Journaled events of each kind.</summary>
    public IReadOnlyDictionary<string, long> CountEventsByKind()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT kind, count(*) FROM events GROUP BY kind;";
        using var reader = command.ExecuteReader();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
