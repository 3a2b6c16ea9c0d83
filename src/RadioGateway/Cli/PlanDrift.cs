using System.CommandLine;

namespace RadioGateway.Cli;

/// <summary><c>radiogw plan diff PLAN CODEPLUG</c>.</summary>
internal static class PlanDrift
{
    public static Command Create(Argument<FileInfo> plan, Option<string?> radio, Option<string?> team)
    {
        var codeplug = new Argument<FileInfo>("CODEPLUG") { Description = "qdmr YAML (.yaml) or dmrconfig configuration (.conf) read from a radio" };
        var diff = new Command("diff", "List what a radio's codeplug (qdmr YAML or dmrconfig .conf) has that differs from the plan; exit 1 when anything differs") { radio, team, plan, codeplug };
        diff.SetAction(parse => 0);
        return diff;
    }
}
