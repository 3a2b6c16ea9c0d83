using Microsoft.Data.Sqlite;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.Journal;

/// <summary>One journaled event: envelope fields and the CloudEvents <c>data</c> JSON.</summary>
public sealed record JournalEvent(string Id, string Kind, string Type, string? Subject, DateTimeOffset Time, string DataJson);

/// <summary>Which journaled events to read.</summary>
public sealed record EventQuery
{
    /// <summary>Only events of this kind (<c>position</c>, <c>text</c>, …).</summary>
    public string? Kind { get; init; }

    /// <summary>Only events at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events from or to this unit.</summary>
    public uint? Unit { get; init; }

    /// <summary>At most this many (the most recent), returned oldest first.</summary>
    public int Limit { get; init; } = 1000;
}

/// <summary>
/// Read-only view of the journal on its own connection. WAL mode means a reader sees the last
/// committed state and never blocks the writer (the radio path), and the writer never blocks it.
/// </summary>
public sealed partial class JournalReader : IDisposable
{
    /// <summary>File name of the gateway's database inside its data directory.</summary>
    public const string FileName = "radiogw.db";

    private readonly SqliteConnection _connection;

    private JournalReader(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens the database file at <paramref name="databasePath"/> read-only.</summary>
    /// <exception cref="FileNotFoundException">There is no journal there.</exception>
    /// <exception cref="JournalDamagedException">The file is damaged (<c>PRAGMA quick_check</c>).</exception>
    public static JournalReader Open(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException("No journal at this path.", databasePath);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 5000;";
            command.ExecuteNonQuery();
            JournalDamagedException.Check(connection, databasePath);
            return new JournalReader(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens the journal kept in a data directory.</summary>
    public static JournalReader OpenDirectory(string dataDirectory) => Open(Path.Combine(dataDirectory, FileName));

    /// <summary>Calls matching <paramref name="query"/>, oldest first (the most recent <see cref="CallQuery.Limit"/>), collected.</summary>
    public IReadOnlyList<CallRecord> QueryCalls(CallQuery query) => [.. ReadCalls(query)];

    /// <summary>
    /// Calls matching <paramref name="query"/>, oldest first (the most recent <see cref="CallQuery.Limit"/>), read row by
    /// row while the caller enumerates: every filter is in the SQL, before the limit, and nothing is collected in memory.
    /// </summary>
    public IEnumerable<CallRecord> ReadCalls(CallQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        return ReadCallRows(query);
    }

    /// <summary>Journaled events of any kind (or of <paramref name="kind"/>) since a time, oldest first, at most <paramref name="limit"/> (the most recent), collected.</summary>
    public IReadOnlyList<JournalEvent> QueryEvents(string? kind = null, DateTimeOffset? since = null, int limit = 1000) =>
        [.. ReadEvents(new EventQuery { Kind = kind, Since = since, Limit = limit })];

    /// <summary>Events matching <paramref name="query"/>, oldest first (the most recent <see cref="EventQuery.Limit"/>), read row by row while the caller enumerates.</summary>
    public IEnumerable<JournalEvent> ReadEvents(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        return ReadEventRows(query);
    }

    /// <summary>SQLite's plan for <see cref="ReadEvents"/> (<c>EXPLAIN QUERY PLAN</c>), one line per step.</summary>
    public IReadOnlyList<string> ExplainEvents(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var command = EventsCommand(query, "EXPLAIN QUERY PLAN ");
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    private IEnumerable<CallRecord> ReadCallRows(CallQuery query)
    {
        using var command = _connection.CreateCommand();
        var where = new List<string>();
        if (query.Since is { } since)
        {
            where.Add("start >= $since");
            command.Parameters.AddWithValue("$since", StoreTime.Write(since));
        }

        if (query.Talkgroup is { } talkgroup)
        {
            where.Add("destination_type = 'group' AND destination_id = $talkgroup");
            command.Parameters.AddWithValue("$talkgroup", (long)talkgroup);
        }

        if (query.Unit is { } unit)
        {
            where.Add("(source_id = $unit OR (destination_type = 'unit' AND destination_id = $unit))");
            command.Parameters.AddWithValue("$unit", (long)unit);
        }

        // The most recent N, then oldest first: SQLite sorts the N rows, the caller reads them one by one.
        command.CommandText = $"""
            SELECT * FROM (
                SELECT {CallColumns}, recording_file, recording_duration_ms, recording_bytes, recording_start
                FROM calls {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
                ORDER BY start DESC, call_id DESC LIMIT $limit)
            ORDER BY start, call_id;
            """;
        command.Parameters.AddWithValue("$limit", query.Limit);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var call = ReadCall(reader);
            yield return reader.IsDBNull(19)
                ? call
                : call with { Recording = new CallRecording(reader.GetString(19), reader.GetInt64(20), reader.GetInt64(21), StoreTime.Read(reader.GetString(22))) };
        }
    }

    /// <summary>The <c>calls</c> columns <see cref="ReadCall"/> reads, in its order.</summary>
    internal const string CallColumns = """
        call_id, radio_id, slot, source_id, source_name, source_alias, destination_id, destination_type,
        start, "end", emergency, privacy, feature_set_id, late_entry, end_reason, ber, rssi, lost_frames, frames
        """;

    /// <summary>The call in the current row, selected as <see cref="CallColumns"/>.</summary>
    internal static CallRecord ReadCall(SqliteDataReader reader) => new()
    {
        CallId = reader.GetString(0),
        RadioId = reader.GetString(1),
        Slot = reader.GetInt32(2),
        Source = new RadioUnit((uint)reader.GetInt64(3), NullableString(reader, 4), NullableString(reader, 5)),
        Destination = new CallTarget((uint)reader.GetInt64(6), JournalCodes.ReadTargetType(reader.GetString(7))),
        Start = StoreTime.Read(reader.GetString(8)),
        End = reader.IsDBNull(9) ? null : StoreTime.Read(reader.GetString(9)),
        Emergency = reader.GetBoolean(10),
        Privacy = reader.GetBoolean(11),
        FeatureSetId = (byte)reader.GetInt32(12),
        LateEntry = reader.GetBoolean(13),
        EndReason = reader.IsDBNull(14) ? null : JournalCodes.ReadEndReason(reader.GetString(14)),
        Ber = reader.IsDBNull(15) ? null : reader.GetDouble(15),
        Rssi = reader.IsDBNull(16) ? null : reader.GetInt32(16),
        LostFrames = reader.GetInt32(17),
        Frames = reader.GetInt32(18),
    };

    private IEnumerable<JournalEvent> ReadEventRows(EventQuery query)
    {
        using var command = EventsCommand(query, "");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new JournalEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2), NullableString(reader, 3), StoreTime.Read(reader.GetString(4)), reader.GetString(5));
        }
    }

    // Only the conditions asked for are in the SQL, so SQLite can choose events_kind_time (kind, time) for a kind.
    private SqliteCommand EventsCommand(EventQuery query, string prefix)
    {
        var command = _connection.CreateCommand();
        var where = new List<string>();
        if (query.Kind is { } kind)
        {
            where.Add("kind = $kind");
            command.Parameters.AddWithValue("$kind", kind);
        }

        if (query.Since is { } since)
        {
            where.Add("time >= $since");
            command.Parameters.AddWithValue("$since", StoreTime.Write(since));
        }

        if (query.Unit is { } unit)
        {
            // Positions, registrations and emergencies name their unit in subject; texts in data (from or to).
            where.Add("(subject = $unitText OR (kind = 'text' AND (json_extract(data, '$.from.id') = $unit OR json_extract(data, '$.to.id') = $unit)))");
            command.Parameters.AddWithValue("$unitText", unit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$unit", (long)unit);
        }

        command.CommandText = $"""
            {prefix}SELECT * FROM (
                SELECT id, kind, type, subject, time, data, rowid AS row FROM events
                {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
                ORDER BY time DESC, rowid DESC LIMIT $limit)
            ORDER BY time, row;
            """;
        command.Parameters.AddWithValue("$limit", query.Limit);
        return command;
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
