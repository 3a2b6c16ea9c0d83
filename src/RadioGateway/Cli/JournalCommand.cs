using System.CommandLine;
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
                if (!SinceParser.TryParse(sinceText, TimeProvider.System.GetUtcNow(), out var parsed, out var error))
                {
                    Console.Error.WriteLine($"radiogw: {error}");
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
}
