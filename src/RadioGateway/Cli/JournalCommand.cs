using System.CommandLine;
using System.Globalization;
using RadioGateway.Core.Journal;
using RadioGateway.Hosting;

namespace RadioGateway.Cli;

/// <summary><c>radiogw journal calls …</c> — reads the local journal, also while the gateway runs.</summary>
public static class JournalCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Settings file naming Gateway:DataDirectory", Recursive = true };
        var since = new Option<string?>("--since") { Description = "Only calls since a duration ago (90s, 15m, 2h, 7d) or a time (2026-11-22T08:00:00Z)" };
        var talkgroup = new Option<uint?>("--talkgroup") { Description = "Only calls to this talk-group" };
        var unit = new Option<uint?>("--unit") { Description = "Only calls from or to this unit" };
        var limit = new Option<int>("--limit") { Description = "At most this many, the most recent", DefaultValueFactory = _ => 1000 };
        var format = new Option<JournalOutputFormat>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => JournalOutputFormat.Table };

        var calls = new Command("calls", "Talk-group and private calls heard") { since, talkgroup, unit, limit, format };
        calls.TreatUnmatchedTokensAsErrors = false;
        calls.SetAction(parse =>
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

            DateTimeOffset? from = null;
            if (parse.GetValue(since) is { } sinceText)
            {
                if (!TryParseSince(sinceText, TimeProvider.System.GetUtcNow(), out var parsed))
                {
                    Console.Error.WriteLine($"radiogw: --since '{sinceText}' is neither a duration (90s, 15m, 2h, 7d) nor a time (2026-11-22T08:00:00Z)");
                    return GatewayCommandLine.ConfigurationError;
                }

                from = parsed;
            }

            try
            {
                using var reader = JournalReader.OpenDirectory(settings.DataDirectory);
                var result = reader.QueryCalls(new CallQuery
                {
                    Since = from,
                    Talkgroup = parse.GetValue(talkgroup),
                    Unit = parse.GetValue(unit),
                    Limit = parse.GetValue(limit),
                });
                Console.OutputEncoding = System.Text.Encoding.UTF8;
                CallFormatter.Write(Console.Out, result, parse.GetValue(format));
                return 0;
            }
            catch (FileNotFoundException)
            {
                Console.Error.WriteLine($"radiogw: no journal in '{settings.DataDirectory}' yet; run the gateway first (radiogw run)");
                return 1;
            }
        });

        return new Command("journal", "Read the local journal") { config, calls };
    }

    /// <summary>Parses <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c> (before <paramref name="now"/>) or an ISO 8601 time.</summary>
    public static bool TryParseSince(string text, DateTimeOffset now, out DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(text);
        since = default;
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } value)
            {
                since = now - value;
                return true;
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            since = time;
            return true;
        }

        return false;
    }
}
