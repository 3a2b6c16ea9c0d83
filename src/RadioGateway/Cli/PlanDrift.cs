using System.CommandLine;
using RadioGateway.Core.FleetPlan;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw plan diff PLAN CODEPLUG</c> — what a radio's codeplug, read back as qdmr YAML or a dmrconfig
/// configuration, has that differs from the plan; one line per difference, exit 1 when anything differs.
/// </summary>
internal static class PlanDrift
{
    public static Command Create(Argument<FileInfo> plan, Option<string?> radio, Option<string?> team)
    {
        var codeplug = new Argument<FileInfo>("CODEPLUG") { Description = "qdmr YAML (.yaml) or dmrconfig configuration (.conf) read from a radio" };
        var diff = new Command("diff", "List what a radio's codeplug (qdmr YAML or dmrconfig .conf) has that differs from the plan; exit 1 when anything differs") { radio, team, plan, codeplug };
        diff.SetAction(parse => Run(parse.GetValue(plan)!, parse.GetValue(codeplug)!, parse.GetValue(radio), parse.GetValue(team)));
        return diff;
    }

    private static int Run(FileInfo planFile, FileInfo codeplugFile, string? radioKey, string? team)
    {
        var plan = PlanCommand.Load(planFile);
        if (plan is null)
        {
            return 1;
        }

        string text;
        try
        {
            text = File.ReadAllText(codeplugFile.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"radiogw: cannot read the codeplug: {e.Message}");
            return GatewayCommandLine.ConfigurationError;
        }

        var format = IsDmrconfig(codeplugFile.Name, text) ? ExportFormat.Dmrconfig : ExportFormat.Qdmr;
        if (PlanCommand.Model(radioKey, format) is not { } model || !PlanCommand.KnownTeam(plan, team))
        {
            return GatewayCommandLine.ConfigurationError;
        }

        Codeplug radio;
        try
        {
            radio = format == ExportFormat.Dmrconfig ? CodeplugReaders.ReadDmrconfig(text) : CodeplugReaders.ReadQdmrYaml(text);
        }
        catch (YamlFormatException e)
        {
            Console.Error.WriteLine($"{codeplugFile.FullName}:{e.Line}: {PlanCommand.Escape(e.Message)}");
            return GatewayCommandLine.ConfigurationError;
        }

        var differences = CodeplugDiff.Compare(FleetPlanExporter.Codeplug(plan, format, model, team, []), radio);
        foreach (var difference in differences)
        {
            Console.WriteLine(PlanCommand.Escape(difference));
        }

        if (differences.Count == 0)
        {
            Console.Error.WriteLine($"{codeplugFile.FullName}: no differences from the plan ({model.DisplayName}{(team is null ? "" : $", team {team}")})");
        }

        return differences.Count == 0 ? 0 : 1;
    }

    // dmrconfig configurations start with their "Radio:" line (after comments); qdmr's are YAML.
    private static bool IsDmrconfig(string name, string text) =>
        name.EndsWith(".conf", StringComparison.OrdinalIgnoreCase)
        || (!name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            && text.Split('\n').Any(line => line.StartsWith("Radio:", StringComparison.Ordinal)));
}
