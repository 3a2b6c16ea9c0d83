using System.CommandLine;

namespace RadioGateway.Cli;

/// <summary><c>radiogw plan heard PLAN</c>.</summary>
internal static class PlanHeard
{
    public static Command Create(Argument<FileInfo> plan)
    {
        var heard = new Command("heard", "Compare the plan with the journal: talk-groups and units heard that the plan lacks, planned units never heard") { plan };
        heard.SetAction(parse => 0);
        return heard;
    }
}
