using Microsoft.Data.Sqlite;

namespace RadioGateway.Core.Store;

/// <summary>Schema migrations, tracked in <c>PRAGMA user_version</c>. Append new steps; never edit a shipped one.</summary>
internal static class StoreSchema
{
    private static readonly string[] Migrations =
    [
        // v1: journal tables, generic event log, outbox.
        """
        CREATE TABLE events (
            id        TEXT PRIMARY KEY,
            kind      TEXT NOT NULL,
            type      TEXT NOT NULL,
            subject   TEXT,
            time      TEXT NOT NULL,
            data      TEXT NOT NULL
        );
        CREATE INDEX events_time ON events(time);
        CREATE INDEX events_kind_time ON events(kind, time);

        CREATE TABLE calls (
            call_id         TEXT PRIMARY KEY,
            radio_id        TEXT NOT NULL,
            slot            INTEGER NOT NULL,
            source_id       INTEGER NOT NULL,
            source_name     TEXT,
            source_alias    TEXT,
            destination_id  INTEGER NOT NULL,
            destination_type TEXT NOT NULL,
            start           TEXT NOT NULL,
            "end"           TEXT,
            duration_ms     INTEGER,
            emergency       INTEGER NOT NULL,
            privacy         INTEGER NOT NULL,
            feature_set_id  INTEGER NOT NULL,
            late_entry      INTEGER NOT NULL,
            end_reason      TEXT,
            ber             REAL,
            rssi            INTEGER,
            lost_frames     INTEGER NOT NULL,
            frames          INTEGER NOT NULL
        );
        CREATE INDEX calls_start ON calls(start);
        CREATE INDEX calls_destination ON calls(destination_id, start);
        CREATE INDEX calls_source ON calls(source_id, start);

        CREATE TABLE csbk (
            event_id        TEXT PRIMARY KEY,
            time            TEXT NOT NULL,
            radio_id        TEXT NOT NULL,
            slot            INTEGER NOT NULL,
            opcode          INTEGER NOT NULL,
            feature_set_id  INTEGER NOT NULL,
            name            TEXT NOT NULL,
            source_id       INTEGER NOT NULL,
            destination_id  INTEGER NOT NULL,
            group_destination INTEGER NOT NULL,
            raw_hex         TEXT NOT NULL
        );
        CREATE INDEX csbk_time ON csbk(time);

        CREATE TABLE modem_status (
            event_id    TEXT PRIMARY KEY,
            time        TEXT NOT NULL,
            radio_id    TEXT NOT NULL,
            link_up     INTEGER NOT NULL,
            description TEXT,
            detail      TEXT
        );

        CREATE TABLE outbox (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id    TEXT NOT NULL REFERENCES events(id),
            enqueued_at TEXT NOT NULL
        );
        """,

        // v2: downlink commands, durable from acceptance to their final result.
        """
        CREATE TABLE commands (
            id              TEXT PRIMARY KEY,
            kind            TEXT NOT NULL,
            request         TEXT NOT NULL,
            received_at     TEXT NOT NULL,
            expires_at      TEXT NOT NULL,
            state           TEXT NOT NULL,
            answer_key      TEXT,
            answer_deadline TEXT,
            updated_at      TEXT NOT NULL
        );
        CREATE INDEX commands_state ON commands(state, received_at);
        """,

        // v3: the outbox holds each message ready to publish (topic, CloudEvent bytes, offset of its data member),
        // written with the event, so draining reads one table and sends its bytes. Rows from v2 are filled in at open.
        """
        ALTER TABLE outbox ADD COLUMN topic TEXT;
        ALTER TABLE outbox ADD COLUMN kind TEXT;
        ALTER TABLE outbox ADD COLUMN payload BLOB;
        ALTER TABLE outbox ADD COLUMN data_offset INTEGER;
        """,

        // v4: a call's recording of its receive audio (issue 15), set from its call.ended.
        """
        ALTER TABLE calls ADD COLUMN recording_file TEXT;
        ALTER TABLE calls ADD COLUMN recording_duration_ms INTEGER;
        ALTER TABLE calls ADD COLUMN recording_bytes INTEGER;
        ALTER TABLE calls ADD COLUMN recording_start TEXT;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the database up to <see cref="CurrentVersion"/>, one transaction per step.</summary>
    /// <returns>The version found: 0 when the database was new (or emptied).</returns>
    public static int Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException($"The journal has schema version {version}, newer than this gateway's {CurrentVersion}.");
        }

        for (var step = version; step < CurrentVersion; step++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[step] + $"\nPRAGMA user_version = {step + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        return version;
    }

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
