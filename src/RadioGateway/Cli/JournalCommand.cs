using System.CommandLine;
using RadioGateway.Core.Journal;
using RadioGateway.Hosting;

namespace RadioGateway.Cli;

/// <summary><c>radiogw journal calls|positions|texts|registrations|… </c> — reads the local journal, also while the gateway runs.</summary>
public static class JournalCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Settings file naming Gateway:DataDirectory", Recursive = true };
        var since = new Option<string?>("--since") { Description = "Only entries since a duration ago (90s, 15m, 2h, 7d) or a time (2026-11-22T08:00:00Z)", Recursive = true };
        var limit = new Option<int>("--limit") { Description = "At most this many, the most recent", DefaultValueFactory = _ => 1000, Recursive = true };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"--limit must be at least 1, not {result.GetValueOrDefault<int>()}");
            }
        });
        var unit = new Option<uint?>("--unit") { Description = "Only entries from or to this unit", Recursive = true };
        var talkgroup = new Option<uint?>("--talkgroup") { Description = "Only calls to this talk-group" };
        var callFormat = new Option<JournalOutputFormat>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => JournalOutputFormat.Table };
        var positionFormat = new Option<JournalOutputFormat>("--format") { Description = "table, json, csv, gpx, geojson or kml", DefaultValueFactory = _ => JournalOutputFormat.Table };
        var textFormat = new Option<JournalOutputFormat>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => JournalOutputFormat.Table };
        textFormat.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<JournalOutputFormat>() is JournalOutputFormat.Gpx or JournalOutputFormat.GeoJson or JournalOutputFormat.Kml)
            {
                result.AddError("texts are written as table, json or csv");
            }
        });
        callFormat.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<JournalOutputFormat>() is JournalOutputFormat.Gpx or JournalOutputFormat.GeoJson or JournalOutputFormat.Kml)
            {
                result.AddError("calls are written as table, json or csv");
            }
        });

        var calls = new Command("calls", "Talk-group and private calls heard") { talkgroup, callFormat };
        calls.SetAction(parse => Query(parse, config, since, (reader, from) =>
        {
            var result = reader.ReadCalls(new CallQuery
            {
                Since = from,
                Talkgroup = parse.GetValue(talkgroup),
                Unit = parse.GetValue(unit),
                Limit = parse.GetValue(limit),
            });
            CallFormatter.Write(Console.Out, result, parse.GetValue(callFormat));
        }));

        var positions = new Command("positions", "Positions reported by field units (LRRP, embedded LC GPS, …)") { positionFormat };
        positions.SetAction(parse => Query(parse, config, since, (reader, from) =>
        {
            var found = MessageFormatter.StreamPositions(reader.ReadEvents(new EventQuery { Kind = "position", Since = from, Unit = parse.GetValue(unit), Limit = parse.GetValue(limit) }));
            MessageFormatter.WritePositions(Console.Out, found, parse.GetValue(positionFormat));
        }));

        var texts = new Command("texts", "Text messages heard (TMS, …)") { textFormat };
        texts.SetAction(parse => Query(parse, config, since, (reader, from) =>
        {
            var found = MessageFormatter.StreamTexts(reader.ReadEvents(new EventQuery { Kind = "text", Since = from, Unit = parse.GetValue(unit), Limit = parse.GetValue(limit) }));
            MessageFormatter.WriteTexts(Console.Out, found, parse.GetValue(textFormat));
        }));

        foreach (var verb in new[] { calls, positions, texts })
        {
            // Settings overrides (--Gateway:DataDirectory=…) pass through to the configuration.
            verb.TreatUnmatchedTokensAsErrors = false;
        }

        var journal = new Command("journal", "Read the local journal") { config, since, limit, unit, calls, positions, texts };
        JournalMoreVerbs.AddTo(journal, config, since, limit, unit);
        return journal;
    }

    /// <summary>Loads the settings, parses <c>--since</c>, opens the journal and runs <paramref name="write"/>; exit codes as the other verbs.</summary>
    internal static int Query(ParseResult parse, Option<FileInfo?> config, Option<string?> since, Action<JournalReader, DateTimeOffset?> write)
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
            Console.OutputEncoding = System.Text.Encoding.UTF8;
            write(reader, from);
            return 0;
        }
        catch (JournalDamagedException e)
        {
            Console.Error.WriteLine($"radiogw: {e.Message}");
            return GatewayCommandLine.ConfigurationError;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (JournalDamagedException.IsDamage(e))
        {
            var path = Path.GetFullPath(Path.Combine(settings.DataDirectory, JournalReader.FileName));
            Console.Error.WriteLine($"radiogw: {new JournalDamagedException(path, e.Message.TrimEnd('.')).Message}");
            return GatewayCommandLine.ConfigurationError;
        }
        catch (FileNotFoundException)
        {
            Console.Error.WriteLine($"radiogw: no journal in '{settings.DataDirectory}' yet; run the gateway first (radiogw run)");
            return 1;
        }
    }
}
