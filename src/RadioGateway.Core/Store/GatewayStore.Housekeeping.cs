using Microsoft.Data.Sqlite;
using RadioGateway.Core.Journal;

namespace RadioGateway.Core.Store;

/// <summary>What one prune batch removed.</summary>
/// <param name="Events">Journaled events deleted (each was already sent: none was still in the outbox).</param>
/// <param name="Calls">Call rows deleted with the last of their events.</param>
/// <param name="Commands">Finished commands (delivered or failed) deleted.</param>
public readonly record struct PruneBatchResult(int Events, int Calls, int Commands)
{
    public int Total => Events + Calls + Commands;
}

/// <summary>Journal housekeeping (small prune batches, incremental vacuum, size, online backup) and counts for metrics.</summary>
public sealed partial class GatewayStore
{
    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> of the oldest journaled events that are no longer in the outbox
    /// (sent), older than <paramref name="olderThan"/> when given, with their CSBK and modem rows, the call rows
    /// whose last event went, and finished commands last updated before <paramref name="olderThan"/>.
    /// One short transaction under the write lock, so the radio path waits at most one batch.
    /// </summary>
    /// <param name="olderThan">Age limit; null prunes by age order only (size limit).</param>
    public PruneBatchResult PruneBatch(DateTimeOffset? olderThan, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            using var select = _connection.CreateCommand();
            select.Transaction = transaction;
            // Never an event still waiting in the outbox: it has not reached the central system yet.
            select.CommandText = $"""
                SELECT rowid, id, kind, subject FROM events
                WHERE {(olderThan is null ? "" : "time < $cutoff AND ")}id NOT IN (SELECT event_id FROM outbox)
                ORDER BY time, rowid LIMIT $batch;
                """;
            if (olderThan is { } cutoff)
            {
                select.Parameters.AddWithValue("$cutoff", StoreTime.Write(cutoff));
            }

            select.Parameters.AddWithValue("$batch", batchSize);
            var rows = new List<(long RowId, string Id, string Kind, string? Subject)>(batchSize);
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
                }
            }

            var events = 0;
            foreach (var row in rows)
            {
                events += Run(transaction, "DELETE FROM events WHERE rowid = $row;", ("$row", row.RowId));
                if (row.Kind == "csbk")
                {
                    Run(transaction, "DELETE FROM csbk WHERE event_id = $id;", ("$id", row.Id));
                }
                else if (row.Kind == "modem")
                {
                    Run(transaction, "DELETE FROM modem_status WHERE event_id = $id;", ("$id", row.Id));
                }
            }

            // A call row goes with the last of its events (their subject is its call id); an open call stays.
            var calls = 0;
            foreach (var callId in rows.Where(r => r.Kind == "call" && r.Subject is not null).Select(r => r.Subject!).Distinct(StringComparer.Ordinal))
            {
                calls += Run(transaction, """
                    DELETE FROM calls WHERE call_id = $call AND "end" IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM events e WHERE e.time >= calls.start AND e.subject = calls.call_id);
                    """, ("$call", callId));
            }

            var commands = olderThan is { } before
                ? Run(transaction, "DELETE FROM commands WHERE rowid IN (SELECT rowid FROM commands WHERE state IN ('delivered', 'failed') AND updated_at < $cutoff LIMIT $batch);",
                    ("$cutoff", StoreTime.Write(before)), ("$batch", batchSize))
                : 0;
            transaction.Commit();
            return new PruneBatchResult(events, calls, commands);
        }
    }

    /// <summary>Bytes the database holds in use: its pages less the free list (what incremental vacuum can return).</summary>
    public long UsedBytes
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var pageSize = Convert.ToInt64(StoreSchema.Scalar(_connection, "PRAGMA page_size;"), System.Globalization.CultureInfo.InvariantCulture);
                var pages = Convert.ToInt64(StoreSchema.Scalar(_connection, "PRAGMA page_count;"), System.Globalization.CultureInfo.InvariantCulture);
                var free = Convert.ToInt64(StoreSchema.Scalar(_connection, "PRAGMA freelist_count;"), System.Globalization.CultureInfo.InvariantCulture);
                return (pages - free) * pageSize;
            }
        }
    }

    /// <summary>Downlink commands by state (accepted, transmitted, delivered, failed), for metrics.</summary>
    public IReadOnlyDictionary<string, long> CountCommandsByState()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var command = Statement("SELECT state, count(*) FROM commands GROUP BY state;");
            command.Transaction = null;
            command.Parameters.Clear();
            using var reader = command.ExecuteReader();
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            while (reader.Read())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }
    }

    /// <summary>Returns up to <paramref name="pages"/> free pages to the file system (<c>PRAGMA incremental_vacuum</c>).</summary>
    /// <returns>Free pages left afterwards.</returns>
    public long IncrementalVacuum(int pages)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pages);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Execute(_connection, $"PRAGMA incremental_vacuum({pages});");
            return Convert.ToInt64(StoreSchema.Scalar(_connection, "PRAGMA freelist_count;"), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Copies committed pages from the WAL into the database file (<c>PRAGMA wal_checkpoint(PASSIVE)</c>, never waiting
    /// for readers); in WAL mode the file only shrinks after vacuum when this runs.
    /// </summary>
    public void Checkpoint()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Execute(_connection, "PRAGMA wal_checkpoint(PASSIVE);");
        }
    }

    /// <summary>
    /// Copies the whole database to <paramref name="destinationPath"/> with SQLite's online backup, while the gateway
    /// keeps writing (a read transaction holds one consistent state). Written beside the destination, then renamed, so
    /// a half-written file never carries the name.
    /// </summary>
    public static void Backup(string databasePath, string destinationPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException("No journal at this path.", databasePath);
        }

        var destination = Path.GetFullPath(destinationPath);
        var partial = destination + ".partial";
        File.Delete(partial);
        using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
        {
            source.Open();
            Execute(source, "PRAGMA busy_timeout = 5000;");
            target.Open();
            source.BackupDatabase(target);
            // A copy is one self-contained file: no WAL beside it.
            Execute(target, "PRAGMA journal_mode = DELETE;");
        }

        File.Move(partial, destination, overwrite: true);
    }

    // Incremental vacuum lets housekeeping give pruned pages back. A database created without it keeps
    // auto_vacuum NONE until VACUUM rebuilds it, once (sqlite.org/pragma.html#pragma_auto_vacuum).
    private static void EnsureIncrementalVacuum(SqliteConnection connection)
    {
        const long Incremental = 2;
        if (Convert.ToInt64(StoreSchema.Scalar(connection, "PRAGMA auto_vacuum;"), System.Globalization.CultureInfo.InvariantCulture) == Incremental)
        {
            return;
        }

        Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL;");
        if (Convert.ToInt64(StoreSchema.Scalar(connection, "SELECT count(*) FROM sqlite_schema;"), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            Execute(connection, "VACUUM;");
        }
    }
}
