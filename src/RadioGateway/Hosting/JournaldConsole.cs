using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace RadioGateway.Hosting;

/// <summary>
/// Console lines for the systemd journal: each line starts with its syslog priority (<c>&lt;3&gt;</c> error …
/// <c>&lt;7&gt;</c> debug, sd-daemon(3)) and carries only the message, since journald adds the time, the unit and
/// the process; the logger category stays in the log file.
/// </summary>
public sealed class JournaldConsole : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _message = new("{Message:lj}{NewLine}{Exception}", CultureInfo.InvariantCulture);

    /// <summary>True when systemd started the process with its output going to the journal (systemd.exec(5)).</summary>
    public static bool UnderSystemd() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("INVOCATION_ID"));

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        using var rendered = new StringWriter(CultureInfo.InvariantCulture);
        _message.Format(logEvent, rendered);
        var prefix = Priority(logEvent.Level);
        foreach (var line in rendered.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.Write(prefix);
            output.Write(line.TrimEnd('\r'));
            output.Write('\n');
        }
    }

    private static string Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => "<2>",
        LogEventLevel.Error => "<3>",
        LogEventLevel.Warning => "<4>",
        LogEventLevel.Information => "<6>",
        _ => "<7>",
    };
}
