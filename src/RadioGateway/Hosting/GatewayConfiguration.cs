using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace RadioGateway.Hosting;

/// <summary>
/// Builds the configuration every verb reads: embedded defaults, then <c>appsettings.json</c> beside the
/// executable, then <c>--config FILE</c>, then <c>RADIOGW_*</c> environment variables, then <c>--Key=value</c>.
/// </summary>
public static class GatewayConfiguration
{
    public const string EnvironmentPrefix = "RADIOGW_";

    /// <summary>Defaults that make a fresh clone run without any file.</summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>
    {
        ["Gateway:Id"] = "gw-local",
        ["Gateway:DataDirectory"] = "data",
        ["Mqtt:ProtocolVersion"] = "5",
        ["Mqtt:TopicPrefix"] = "radiogw/v1/{gatewayId}/",
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["Serilog:MinimumLevel:Override:Microsoft"] = "Warning",
    };

    public static IConfigurationRoot Build(string? configFile, IEnumerable<string> overrides)
    {
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(Defaults)
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        if (!string.IsNullOrEmpty(configFile))
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new ConfigurationProblemException([new ConfigurationProblem("--config", $"file '{full}' does not exist")]);
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddCommandLine(overrides.ToArray());
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new ConfigurationProblemException([FileProblem(e)]);
        }
    }

    /// <summary>A JSON settings file that does not parse, as <c>FILE:LINE:COLUMN: what is wrong</c>.</summary>
    private static ConfigurationProblem FileProblem(InvalidDataException e)
    {
        // "Failed to load configuration from file 'PATH'." wraps the parser's FormatException.
        var file = e.Message.Split('\'') is [_, var path, ..] ? path : "settings file";
        var inner = e.InnerException;
        if (inner?.InnerException is JsonException json)
        {
            var reason = json.Message;
            var at = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = at > 0 ? reason[..at] : reason;
            return new ConfigurationProblem($"{file}:{json.LineNumber + 1}:{json.BytePositionInLine + 1}", $"not valid JSON: {reason}");
        }

        return new ConfigurationProblem(file, inner?.Message ?? e.Message);
    }

    /// <summary>
    /// Resolves a file named in configuration: relative to the config file's folder, or — given on the command
    /// line or in the environment — relative to the current directory.
    /// </summary>
    public static string ResolvePath(string path, string? configFile) =>
        Path.GetFullPath(path, string.IsNullOrEmpty(configFile) ? Environment.CurrentDirectory : Path.GetDirectoryName(Path.GetFullPath(configFile))!);

    /// <summary>
    /// Resolves the data directory: relative to the config file's folder, or to the executable's folder, so
    /// <c>run</c> and <c>journal</c> find the same journal wherever they are started from.
    /// </summary>
    public static string ResolveDataDirectory(string path, string? configFile) =>
        Path.GetFullPath(path, string.IsNullOrEmpty(configFile) ? AppContext.BaseDirectory : Path.GetDirectoryName(Path.GetFullPath(configFile))!);
}

/// <summary>One thing wrong with the configuration, by key.</summary>
public sealed record ConfigurationProblem(string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}

/// <summary>Configuration that must stop start-up, before any port is opened or transmitter keyed.</summary>
public sealed class ConfigurationProblemException(IReadOnlyList<ConfigurationProblem> problems)
    : Exception("Invalid configuration: " + string.Join("; ", problems))
{
    public IReadOnlyList<ConfigurationProblem> Problems { get; } = problems;
}
