using System.CommandLine;

namespace RadioGateway.Cli;

/// <summary>The <c>radiogw</c> verbs (DESIGN.md interface contract).</summary>
public static class GatewayCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("RadioGateway: bridges DMR base stations to the central case system over MQTT.")
        {
            RunCommand.Create(),
            SimulateCommand.Create(),
            SimulateStationCommand.Create(),
            JournalCommand.Create(),
            ProfileCommand.Create(),
            PlanCommand.Create(),
            DecodeCommand.Create(),
            SendCommand.Create(),
            StatusCommand.Create(),
            AudioCommand.Create(),
            OperatorConsole.ConsoleCommand.Create(),
        };
        return root;
    }

    /// <summary>Exit code for invalid configuration or arguments (EX_USAGE-like).</summary>
    public const int ConfigurationError = 2;

    /// <summary>Prints each problem on its own line and returns <see cref="ConfigurationError"/>.</summary>
    public static async Task<int> ReportAsync(Hosting.ConfigurationProblemException problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in problems.Problems)
        {
            await Console.Error.WriteLineAsync($"radiogw: configuration error: {problem}").ConfigureAwait(false);
        }

        return ConfigurationError;
    }

    /// <summary>How long the host may take to stop after SIGTERM before the process is ended anyway.</summary>
    public static readonly TimeSpan HostShutdownTimeout = TimeSpan.FromSeconds(15);
}
