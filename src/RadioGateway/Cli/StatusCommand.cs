using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Journal;
using RadioGateway.Hosting;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw status</c>: one screen for the technician at the PC, from the running gateway's <c>status.json</c> (links,
/// uplink, readiness) and its journal (outbox, last call and position, size), plus free disk. Exit 0 when healthy,
/// 1 when not (gateway not running or its status stale, a modem link down, a configured broker not connected),
/// 2 for bad settings: a monitoring agent can run it as a check.
/// </summary>
public static class StatusCommand
{
    /// <summary>Exit code when the gateway is not healthy.</summary>
    public const int Unhealthy = 1;

    /// <summary>A status file older than this means the gateway stopped without saying so, or hangs.</summary>
    public static readonly TimeSpan StaleAfter = GatewayStatusFile.Interval * 6;

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Settings file naming Gateway:DataDirectory" };
        var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("status", "Health of the gateway running on this PC: links, uplink, outbox, last activity, disk; exit 1 when unhealthy") { config, format };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var configFile = parse.GetValue(config)?.FullName;
            GatewaySettings settings;
            try
            {
                settings = GatewaySettingsLoader.Load(GatewayConfiguration.Build(configFile, parse.UnmatchedTokens), configFile);
            }
            catch (ConfigurationProblemException e)
            {
                foreach (var problem in e.Problems)
                {
                    Console.Error.WriteLine($"radiogw: configuration error: {problem}");
                }

                return GatewayCommandLine.ConfigurationError;
            }

            var status = Read(settings.DataDirectory, DateTimeOffset.UtcNow);
            Console.OutputEncoding = System.Text.Encoding.UTF8;
            if (parse.GetValue(format) == "json")
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(status, GatewayJson.Files.TypeInfo<GatewayStatusReport>()));
            }
            else
            {
                WriteText(Console.Out, status);
            }

            return status.Healthy ? 0 : Unhealthy;
        });
        return command;
    }

    /// <summary>Everything <c>status</c> shows.</summary>
    public sealed record GatewayStatusReport(
        bool Healthy,
        IReadOnlyList<string> Problems,
        string DataDirectory,
        GatewayStatusDocument? Gateway,
        double? StatusAgeSeconds,
        long? OutboxCount,
        DateTimeOffset? OutboxOldest,
        IReadOnlyList<OutboxKindBacklog> OutboxByKind,
        DateTimeOffset? LastCall,
        DateTimeOffset? LastPosition,
        long? JournalBytes,
        long? FreeDiskBytes);

    /// <summary>Reads the status file and the journal in <paramref name="dataDirectory"/> and judges health at <paramref name="now"/>.</summary>
    public static GatewayStatusReport Read(string dataDirectory, DateTimeOffset now)
    {
        var problems = new List<string>();
        GatewayStatusDocument? gateway = null;
        double? age = null;
        var statusPath = Path.Combine(dataDirectory, GatewayStatusFile.FileName);
        try
        {
            gateway = JsonSerializer.Deserialize(File.ReadAllBytes(statusPath), GatewayJson.Files.TypeInfo<GatewayStatusDocument>());
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problems.Add($"the gateway is not running (no {statusPath})");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{statusPath} cannot be read: {e.Message}");
        }

        if (gateway is not null)
        {
            age = (now - gateway.Time).TotalSeconds;
            if (!gateway.Running)
            {
                problems.Add($"the gateway is not running (stopped at {gateway.Time:u})");
            }
            else if (now - gateway.Time > StaleAfter)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"the gateway is not running or hangs: its status is {Age(now - gateway.Time)} old (pid {gateway.ProcessId})"));
            }
            else
            {
                problems.AddRange(gateway.Reasons);
            }
        }

        long? outboxCount = null, journalBytes = null, freeDisk = null;
        DateTimeOffset? outboxOldest = null, lastCall = null, lastPosition = null;
        IReadOnlyList<OutboxKindBacklog> byKind = [];
        var databasePath = Path.Combine(dataDirectory, JournalReader.FileName);
        if (File.Exists(databasePath))
        {
            try
            {
                using var reader = JournalReader.Open(databasePath);
                byKind = reader.OutboxByKind();
                outboxCount = byKind.Sum(k => k.Count);
                outboxOldest = byKind.Count > 0 ? byKind.Min(k => k.OldestEnqueuedAt) : null;
                lastCall = reader.LatestEventTime("call");
                lastPosition = reader.LatestEventTime("position");
            }
            catch (Exception e) when (e is JournalDamagedException or Microsoft.Data.Sqlite.SqliteException)
            {
                problems.Add($"the journal cannot be read: {e.Message}");
            }

            journalBytes = new[] { "", "-wal", "-shm" }.Select(suffix => new FileInfo(databasePath + suffix)).Where(f => f.Exists).Sum(f => f.Length);
        }

        try
        {
            freeDisk = new DriveInfo(Path.GetFullPath(Directory.Exists(dataDirectory) ? dataDirectory : Path.GetDirectoryName(Path.GetFullPath(dataDirectory))!)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // unknown on this file system
        }

        return new GatewayStatusReport(problems.Count == 0, problems, Path.GetFullPath(dataDirectory), gateway, age, outboxCount, outboxOldest, byKind, lastCall, lastPosition, journalBytes, freeDisk);
    }

    /// <summary>A duration as people read it: 45 s, 12 min, 3 h 5 min, 2 d 4 h.</summary>
    public static string Age(TimeSpan age) => age switch
    {
        { TotalSeconds: < 0 } => "0 s",
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalSeconds} s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes} min"),
        { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h {age.Minutes} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d {age.Hours} h"),
    };

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB"),
    };

    private static string When(DateTimeOffset? time, DateTimeOffset now) =>
        time is { } t ? $"{t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} ({Age(now - t)} ago)" : "none";

    private static void WriteText(TextWriter output, GatewayStatusReport status)
    {
        var now = DateTimeOffset.UtcNow;
        var gateway = status.Gateway;
        output.WriteLine(status.Healthy ? "HEALTHY" : "NOT HEALTHY");
        if (gateway is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Gateway    {gateway.GatewayId}, pid {gateway.ProcessId}, up since {When(gateway.StartedAt, now)}, status {Age(now - gateway.Time)} old"));
            foreach (var radio in gateway.Radios)
            {
                output.WriteLine($"Radio      {radio.Radio}: link {(radio.LinkUp ? "up" : "DOWN")}{(radio.Since is { } since ? " since " + When(since, now) : "")}{(radio.Detail is { } detail ? " — " + detail : "")}");
            }

            output.WriteLine($"Uplink     {(gateway.Uplink.Configured ? $"{gateway.Uplink.Broker}: {(gateway.Uplink.Connected ? "connected" : "NOT CONNECTED")}" : "not configured (events wait in the outbox)")}");
            output.WriteLine($"Logs       {gateway.LogDirectory}");
        }

        output.WriteLine(status.OutboxCount is { } count
            ? string.Create(CultureInfo.InvariantCulture, $"Outbox     {count} waiting{(status.OutboxOldest is { } oldest ? $", oldest {Age(now - oldest)}" : "")}")
            : "Outbox     no journal yet");
        output.WriteLine($"Last call  {When(status.LastCall, now)}");
        output.WriteLine($"Last fix   {When(status.LastPosition, now)}");
        output.WriteLine($"Journal    {Path.Combine(status.DataDirectory, JournalReader.FileName)}{(status.JournalBytes is { } bytes ? ", " + Bytes(bytes) : "")}");
        output.WriteLine($"Free disk  {(status.FreeDiskBytes is { } free ? Bytes(free) : "unknown")}");
        foreach (var problem in status.Problems)
        {
            output.WriteLine($"PROBLEM    {problem}");
        }
    }
}
