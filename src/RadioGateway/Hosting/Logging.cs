using System.Globalization;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace RadioGateway.Hosting;

/// <summary>
/// Serilog from the <c>Serilog</c> configuration section (levels, extra sinks, enrichers), plus the defaults:
/// console and a daily rolling file under <c>{DataDirectory}/logs</c>, optionally a daily JSON (CLEF) file
/// beside it, all behind an async buffer so logging never stalls the radio path.
/// </summary>
public static class Logging
{
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext:l}: {Message:lj}{NewLine}{Exception}";

    /// <summary><c>true</c> adds the JSON log file. Our key, not Serilog.Settings.Configuration's (it ignores it); checked by <see cref="GatewaySettingsLoader"/>.</summary>
    public const string JsonFileKey = "Serilog:JsonFile";

    private const int RetainedDays = 30;

    /// <summary>A logger for verbs that run without a host (<c>simulate</c>).</summary>
    public static Serilog.Core.Logger Create(IConfiguration configuration, string? logDirectory) =>
        Configure(new LoggerConfiguration(), configuration, logDirectory, jsonFile: false).CreateLogger();

    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration, string? logDirectory, bool jsonFile)
    {
        ArgumentNullException.ThrowIfNull(logger);
        logger.ReadFrom.Configuration(configuration, ReaderOptions(configuration))
            .Enrich.FromLogContext()
            .Enrich.With(new ControlCharacterEscaper());
        logger.WriteTo.Sink(Serilog.Configuration.LoggerSinkConfiguration.Wrap(
            sinks => new RepeatedWarningThrottle(sinks, TimeProvider.System),
            sinks => AddSinks(sinks, logDirectory, jsonFile)));
        return logger;
    }

    /// <summary>
    /// Without a <c>Serilog:Using</c> list the reader would open every DLL beside the program to look for sinks,
    /// loading System.Reflection.Metadata for good (~3 MB resident, issue 13 #6); the sinks and enrichers we ship are
    /// named instead. With <c>Using</c>, the reader's own search runs so a technician's added sink is found.
    /// </summary>
    private static Serilog.Settings.Configuration.ConfigurationReaderOptions ReaderOptions(IConfiguration configuration) =>
        configuration.GetSection("Serilog:Using").GetChildren().Any()
            ? new()
            : new(typeof(ILogger).Assembly, typeof(ConsoleLoggerConfigurationExtensions).Assembly,
                typeof(FileLoggerConfigurationExtensions).Assembly, typeof(LoggerConfigurationAsyncExtensions).Assembly,
                typeof(CompactJsonFormatter).Assembly);

    private static void AddSinks(Serilog.Configuration.LoggerSinkConfiguration sinks, string? logDirectory, bool jsonFile)
    {
        sinks.Async(sink =>
        {
            if (JournaldConsole.UnderSystemd())
            {
                sink.Console(new JournaldConsole());
            }
            else
            {
                sink.Console(outputTemplate: ConsoleTemplate, formatProvider: CultureInfo.InvariantCulture);
            }
        });
        if (logDirectory is null)
        {
            return;
        }

        sinks.Async(sink => sink.File(
            Path.Combine(logDirectory, "radiogw-.log"),
            rollingInterval: RollingInterval.Day,
            retainedFileCountLimit: RetainedDays,
            restrictedToMinimumLevel: LogEventLevel.Debug,
            outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}",
            formatProvider: CultureInfo.InvariantCulture));
        if (jsonFile)
        {
            // One CLEF event per line, message rendered (@m) for people, properties kept for log shippers.
            sinks.Async(sink => sink.File(
                new RenderedCompactJsonFormatter(),
                Path.Combine(logDirectory, "radiogw-.clef"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: RetainedDays,
                restrictedToMinimumLevel: LogEventLevel.Debug));
        }
    }
}
