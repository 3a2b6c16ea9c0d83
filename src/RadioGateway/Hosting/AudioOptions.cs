using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace RadioGateway.Hosting;

/// <summary><c>Aprs:*</c> — analog APRS heard by a Direwolf soundcard TNC.</summary>
public sealed class AprsOptions
{
    public const string Section = "Aprs";

    /// <summary>Direwolf's KISS TCP port as <c>host:port</c> (Direwolf's <c>KISSPORT</c>, default 8001); empty = no APRS.</summary>
    public string KissTcp { get; set; } = "";

    /// <summary>Host and port of <see cref="KissTcp"/>; null when it is empty or not <c>host:port</c>.</summary>
    public (string Host, int Port)? KissEndpoint => ParseEndpoint(KissTcp);

    internal static (string Host, int Port)? ParseEndpoint(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? (value[..colon].Trim('[', ']'), port)
            : null;
    }
}

/// <summary><c>Recordings:*</c> — where call recordings go and how long they are kept (by age and total size).</summary>
public sealed class RecordingOptions
{
    public const string Section = "Recordings";

    /// <summary>The recordings directory; empty = <c>{DataDirectory}/recordings</c>.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Recordings older than this many days are deleted.</summary>
    public int MaxAgeDays { get; set; } = 90;

    /// <summary>The oldest recordings are deleted while all of them together take more than this (MiB).</summary>
    public int MaxTotalMegabytes { get; set; } = 4096;
}

/// <summary>The audio-side settings (issue 15), bound with the rest of <see cref="GatewaySettings"/>.</summary>
public sealed record AudioSettings(AprsOptions Aprs)
{
    public static AudioSettings None { get; } = new(new AprsOptions());

    public RecordingOptions Recordings { get; init; } = new();
}

public static partial class GatewaySettingsLoader
{
    /// <summary>Sections of <see cref="AudioSettings"/>, known to the unknown-section check.</summary>
    internal static readonly string[] AudioSections = [AprsOptions.Section, RecordingOptions.Section];

    private static AudioSettings LoadAudio(IConfiguration configuration, List<ConfigurationProblem> problems)
    {
        var aprs = Bind<AprsOptions>(configuration.GetSection(AprsOptions.Section), problems);
        if (aprs.KissTcp.Length > 0 && aprs.KissEndpoint is null)
        {
            problems.Add(new($"{AprsOptions.Section}:KissTcp", $"'{aprs.KissTcp}' is not host:port (e.g. 127.0.0.1:8001, Direwolf's KISSPORT)"));
        }

        var recordings = Bind<RecordingOptions>(configuration.GetSection(RecordingOptions.Section), problems);
        if (recordings.MaxAgeDays < 1)
        {
            problems.Add(new($"{RecordingOptions.Section}:MaxAgeDays", $"{recordings.MaxAgeDays} is not a number of days (1 or more)"));
        }

        if (recordings.MaxTotalMegabytes < 1)
        {
            problems.Add(new($"{RecordingOptions.Section}:MaxTotalMegabytes", $"{recordings.MaxTotalMegabytes} is not a size in MiB (1 or more)"));
        }

        return new AudioSettings(aprs) { Recordings = recordings };
    }
}
