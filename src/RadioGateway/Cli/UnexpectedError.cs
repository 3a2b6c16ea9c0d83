using System.Globalization;

namespace RadioGateway.Cli;

/// <summary>
/// An exception no verb expected: one line for the user, the stack trace appended to a file for whoever
/// investigates (the user may be an operator, not a developer).
/// </summary>
public static class UnexpectedError
{
    public const int ExitCode = 1;

    // Only the verb is written, not the arguments: they may name a broker with credentials.

    /// <summary>Where traces go: beside the other temporary files, since the verb may not have a data directory.</summary>
    public static string TraceFile { get; } = Path.Combine(Path.GetTempPath(), "radiogw-errors.log");

    public static async Task<int> ReportAsync(Exception exception, string verb)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var where = TraceFile;
        try
        {
            await File.AppendAllTextAsync(
                TraceFile,
                string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} radiogw {verb}\n{exception}\n\n")).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            where = $"not written: {e.Message}";
        }

        await Console.Error.WriteLineAsync(Uplink.Printable.Escape(
            $"radiogw: unexpected error: {exception.GetType().Name}: {exception.Message} (trace: {where})")).ConfigureAwait(false);
        return ExitCode;
    }
}
