using System.CommandLine;
using RadioGateway.Core.FleetPlan;
using RadioGateway.Core.Profiles;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw plan validate|export|diff|heard</c> — the organisation's fleet plan: check it, write the radios'
/// codeplugs and the gateway's profiles from it, compare a radio's codeplug with it, compare it with what was heard.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var plan = new Argument<FileInfo>("PLAN") { Description = "Fleet plan (JSON, hardware-profiles/schema/fleet-plan.schema.json)" };

        var validate = new Command("validate", "Check the plan; exit 1 with file:line: key: message for every problem") { plan };
        validate.SetAction(parse => Load(parse.GetValue(plan)!) is null ? 1 : Ok(parse.GetValue(plan)!));

        var format = new Option<ExportFormat>("--format") { Description = "qdmr, dmrconfig, anytone, chirp, motorola, hytera or gateway", Required = true };
        var radio = new Option<string?>("--radio") { Description = $"Radio model ({RadioModels.Keys}); default per format" };
        var team = new Option<string?>("--team") { Description = "Only this team's channels (default: every channel of the plan)" };
        var unitId = new Option<uint>("--unit-id") { Description = "The radio's own DMR id written into the codeplug", DefaultValueFactory = _ => 1 };
        var output = new Argument<string>("OUT") { Description = "Output file (a folder for anytone and gateway)" };
        var export = new Command("export", "Write the codeplug of a radio model (or the gateway's profiles) from the plan; warnings on stderr") { format, radio, team, unitId, plan, output };
        export.SetAction(parse => Export(parse.GetValue(plan)!, parse.GetValue(format), parse.GetValue(radio), parse.GetValue(team), parse.GetValue(unitId), parse.GetValue(output)!));

        return new Command("plan", "The fleet plan: one channel plan for the gateway and every team radio") { validate, export, PlanDrift.Create(plan, radio, team), PlanHeard.Create(plan) };
    }

    /// <summary>Loads the plan, printing every problem; null when there is any.</summary>
    internal static FleetPlan? Load(FileInfo file)
    {
        Console.OutputEncoding = System.Text.Encoding.UTF8;
        var loaded = FleetPlanLoader.Load(file.FullName, out var diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            Console.Error.WriteLine(Escape(diagnostic.ToString()));
        }

        return loaded;
    }

    /// <summary>The radio model named (or the format's default), or an error on stderr.</summary>
    internal static RadioModel? Model(string? key, ExportFormat format)
    {
        var model = RadioModels.Find(key ?? FleetPlanExporter.DefaultModel(format));
        if (model is null)
        {
            Console.Error.WriteLine($"radiogw: '{Escape(key ?? "")}' is not a known radio model; known: {RadioModels.Keys}");
        }
        else if (!FleetPlanExporter.Accepts(format, model))
        {
            Console.Error.WriteLine($"radiogw: the {format.ToString().ToLowerInvariant()} format is not for {model.DisplayName}; models it takes: {string.Join(", ", RadioModels.All.Where(m => FleetPlanExporter.Accepts(format, m)).Select(m => m.Key))}");
            return null;
        }

        return model;
    }

    /// <summary>True when <paramref name="team"/> is null or a team of the plan; else says which teams there are.</summary>
    internal static bool KnownTeam(FleetPlan plan, string? team)
    {
        if (team is null || plan.Teams.Any(t => t.Id == team))
        {
            return true;
        }

        Console.Error.WriteLine($"radiogw: no team has id '{Escape(team)}'; teams: {string.Join(", ", plan.Teams.Select(t => t.Id))}");
        return false;
    }

    /// <summary>Control characters of untrusted text (plan names) shown as \uXXXX before they reach a terminal.</summary>
    internal static string Escape(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    private static int Ok(FileInfo file)
    {
        Console.WriteLine($"{file.FullName}: ok");
        return 0;
    }

    private static int Export(FileInfo file, ExportFormat format, string? radioKey, string? team, uint unitId, string output)
    {
        var plan = Load(file);
        if (plan is null)
        {
            return 1;
        }

        if (Model(radioKey, format) is not { } model || !KnownTeam(plan, team))
        {
            return GatewayCommandLine.ConfigurationError;
        }

        var warnings = new List<string>();
        var files = FleetPlanExporter.Export(plan, format, model, team, unitId, warnings);
        try
        {
            if (FleetPlanExporter.WritesFolder(format))
            {
                Directory.CreateDirectory(output);
                foreach (var exported in files)
                {
                    File.WriteAllBytes(Path.Combine(output, exported.Name), exported.Content);
                }
            }
            else
            {
                File.WriteAllBytes(output, files[0].Content);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"radiogw: cannot write {output}: {e.Message}");
            return GatewayCommandLine.ConfigurationError;
        }

        foreach (var warning in warnings)
        {
            Console.Error.WriteLine($"radiogw: warning: {Escape(warning)}");
        }

        Console.WriteLine($"{output}: {format.ToString().ToLowerInvariant()} for {model.DisplayName}, {files.Count} file(s), {warnings.Count} warning(s)");
        return 0;
    }
}
