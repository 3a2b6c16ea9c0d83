using System.CommandLine;
using RadioGateway.Core.FleetPlan;
using RadioGateway.Core.Journal;
using RadioGateway.Hosting;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw plan heard PLAN</c> — the plan against the journal: talk-groups and units heard that the plan
/// lacks, planned units never heard. Exit 1 when there is any finding.
/// </summary>
internal static class PlanHeard
{
    public static Command Create(Argument<FileInfo> plan)
    {
        var config = new Option<FileInfo?>("--config") { Description = "Settings file naming Gateway:DataDirectory" };
        var since = new Option<string?>("--since") { Description = "Only what was heard since a duration ago (90s, 15m, 2h, 7d) or a time" };
        var heard = new Command("heard", "Compare the plan with the journal: talk-groups and units heard that the plan lacks, planned units never heard") { config, since, plan };
        heard.TreatUnmatchedTokensAsErrors = false;
        heard.SetAction(parse => Run(parse, parse.GetValue(plan)!, parse.GetValue(config), parse.GetValue(since)));
        return heard;
    }

    private static int Run(ParseResult parse, FileInfo planFile, FileInfo? config, string? since)
    {
        var plan = PlanCommand.Load(planFile);
        if (plan is null)
        {
            return 1;
        }

        var configFile = config?.FullName;
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
        if (since is not null)
        {
            if (!SinceParser.TryParse(since, TimeProvider.System.GetUtcNow(), out var parsed, out var error))
            {
                Console.Error.WriteLine($"radiogw: {error}");
                return GatewayCommandLine.ConfigurationError;
            }

            from = parsed;
        }

        var report = new HeardReport();
        try
        {
            using var reader = JournalReader.OpenDirectory(settings.DataDirectory);
            foreach (var call in reader.ReadCalls(new CallQuery { Since = from, Limit = int.MaxValue }))
            {
                report.Add(call);
            }

            foreach (var journalEvent in reader.ReadEvents(new EventQuery { Since = from, Limit = int.MaxValue }))
            {
                report.Add(journalEvent);
            }
        }
        catch (JournalDamagedException e)
        {
            Console.Error.WriteLine($"radiogw: {e.Message}");
            return GatewayCommandLine.ConfigurationError;
        }
        catch (FileNotFoundException)
        {
            Console.Error.WriteLine($"radiogw: no journal in '{settings.DataDirectory}' yet; run the gateway first (radiogw run)");
            return 1;
        }

        var findings = report.Compare(plan);
        foreach (var finding in findings)
        {
            Console.WriteLine(PlanCommand.Escape(finding));
        }

        Console.Error.WriteLine($"heard {report.TalkGroups.Count} talk-group(s) and {report.Units.Count} unit(s){(from is null ? "" : $" since {from:u}")}; {findings.Count} finding(s)");
        return findings.Count == 0 ? 0 : 1;
    }
}
