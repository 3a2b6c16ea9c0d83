using System.Globalization;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace RadioGateway.Hosting;

/// <summary>
/// Serilog with levels from the <c>Serilog:MinimumLevel</c> section (<see cref="ReadLevels"/>), plus the sinks:
/// console and a daily rolling file under <c>{DataDirectory}/logs</c>, optionally a daily JSON (CLEF) file
/// beside it, all behind an async buffer so logging never stalls the radio path.
/// </summary>
/// <remarks>
/// Levels are read here rather than by Serilog.Settings.Configuration: that reader finds sinks by reflection over
/// assemblies on disk, which a Native AOT program (issue 13 #6) cannot do. Other sinks are served by the JSON log file.
/// </remarks>
public static class Logging
{
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext:l}: {Message:lj}{NewLine}{Exception}";

    /// <summary><c>true</c> adds the JSON log file; checked by <see cref="GatewaySettingsLoader"/>.</summary>
    public const string JsonFileKey = "Serilog:JsonFile";

    /// <summary>A level name, or a section with <c>Default</c> and <c>Override:SOURCE</c> (a logger-name prefix).</summary>
    public const string MinimumLevelKey = "Serilog:MinimumLevel";

    private const int RetainedDays = 30;

    /// <summary>A logger for verbs that run without a host (<c>simulate</c>).</summary>
    public static Serilog.Core.Logger Create(IConfiguration configuration, string? logDirectory) =>
        Configure(new LoggerConfiguration(), configuration, logDirectory, jsonFile: false).CreateLogger();

    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration, string? logDirectory, bool jsonFile)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var levels = ReadLevels(configuration, problems: []);
        logger.MinimumLevel.Is(levels.Default);
        foreach (var (source, level) in levels.Overrides)
        {
            logger.MinimumLevel.Override(source, level);
        }

        logger.Enrich.FromLogContext()
            .Enrich.With(new ControlCharacterEscaper());
        logger.WriteTo.Sink(Serilog.Configuration.LoggerSinkConfiguration.Wrap(
            sinks => new RepeatedWarningThrottle(sinks, TimeProvider.System),
            sinks => AddSinks(sinks, logDirectory, jsonFile)));
        return logger;
    }

    /// <summary>The minimum levels under <see cref="MinimumLevelKey"/>, each bad value or unknown key added to <paramref name="problems"/>.</summary>
    public static LogLevels ReadLevels(IConfiguration configuration, List<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        var section = configuration.GetSection(MinimumLevelKey);
        var overrides = new List<(string Source, LogEventLevel Level)>();
        var defaultLevel = LogEventLevel.Information;
        if (section.Value is { } single)
        {
            defaultLevel = ParseLevel(section.Path, single, problems) ?? defaultLevel;
        }

        foreach (var child in section.GetChildren())
        {
            if (child.Key.Equals("Default", StringComparison.OrdinalIgnoreCase) && child.Value is { } value)
            {
                // A single level given for the section (Serilog:MinimumLevel=Debug) wins over the embedded Default.
                var parsed = ParseLevel(child.Path, value, problems);
                defaultLevel = section.Value is null && parsed is { } level ? level : defaultLevel;
            }
            else if (child.Key.Equals("Override", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var source in child.GetChildren())
                {
                    if (source.Value is { } sourceLevel && ParseLevel(source.Path, sourceLevel, problems) is { } parsed)
                    {
                        overrides.Add((source.Key, parsed));
                    }
                }
            }
            else
            {
                problems.Add(new(child.Path, "unknown key; the minimum level takes Default and Override:SOURCE"));
            }
        }

        return new LogLevels(defaultLevel, overrides);
    }

    private static LogEventLevel? ParseLevel(string key, string value, List<ConfigurationProblem> problems)
    {
        if (Enum.TryParse<LogEventLevel>(value, ignoreCase: true, out var level) && Enum.IsDefined(level) && !int.TryParse(value, out _))
        {
            return level;
        }

        problems.Add(new(key, $"'{value}' is not a log level; use one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}"));
        return null;
    }

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

/// <summary>The minimum level, and per logger-name prefix (e.g. <c>Microsoft</c>) a level of its own.</summary>
public sealed record LogLevels(LogEventLevel Default, IReadOnlyList<(string Source, LogEventLevel Level)> Overrides);
