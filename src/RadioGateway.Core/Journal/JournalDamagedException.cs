using Microsoft.Data.Sqlite;

namespace RadioGateway.Core.Journal;

/// <summary>
/// The journal database is damaged (a failed <c>PRAGMA quick_check</c>, a truncated file, garbage over its header):
/// the gateway must not run on it. <see cref="Exception.Message"/> is the one line shown to the operator.
/// </summary>
public sealed class JournalDamagedException : Exception
{
    public JournalDamagedException(string databasePath, string detail, Exception? innerException = null)
        : base($"the journal '{databasePath}' is damaged ({detail}); restore a backup or move it aside (a new one is then created)", innerException)
    {
        DatabasePath = databasePath;
    }

    public JournalDamagedException()
    {
        DatabasePath = string.Empty;
    }

    public JournalDamagedException(string message)
        : base(message)
    {
        DatabasePath = string.Empty;
    }

    public JournalDamagedException(string message, Exception innerException)
        : base(message, innerException)
    {
        DatabasePath = string.Empty;
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>SQLITE_CORRUPT (11) and SQLITE_NOTADB (26): the file is not a sound database.</summary>
    public static bool IsDamage(SqliteException exception) =>
        exception is { SqliteErrorCode: 11 or 26 };

    /// <summary>Runs <c>PRAGMA quick_check</c> on an open connection.</summary>
    /// <exception cref="JournalDamagedException">The check reports a problem, or the file is not a database.</exception>
    public static void Check(SqliteConnection connection, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(1);";
            var result = command.ExecuteScalar() as string;
            if (result != "ok")
            {
                throw new JournalDamagedException(databasePath, "quick_check: " + result);
            }
        }
        catch (SqliteException e) when (IsDamage(e))
        {
            throw new JournalDamagedException(databasePath, e.Message.TrimEnd('.'), e);
        }
    }
}
