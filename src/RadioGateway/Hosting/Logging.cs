using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;

namespace RadioGateway.Hosting;

/// <summary>
/// Serilog from the <c>Serilog</c> configuration section (levels, extra sinks, enrichers), plus the defaults:
/// console and a daily rolling file under <c>{DataDirectory}/logs</c>, both behind an async buffer so logging
/// never stalls the radio path.
/// </summary>
public static class Logging
{
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext:l}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger Create(IConfiguration configuration, string? logDirectory)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Async(sink => sink.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        if (logDirectory is not null)
        {
            logger.WriteTo.Async(sink => sink.File(
                Path.Combine(logDirectory, "radiogw-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 30,
                restrictedToMinimumLevel: LogEventLevel.Debug,
                outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        }

        return logger.CreateLogger();
    }
}
