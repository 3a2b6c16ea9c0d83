using System.Diagnostics;
using RadioGateway.Testing;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>Starts <c>radiogw</c> verbs as real processes (the built radiogw.dll beside the tests).</summary>
internal static class GatewayProcess
{
    public static RunningProcess Start(params string[] arguments)
    {
        var command = CommandLine(arguments);
        return ExternalTool.Start(command[0], command.Skip(1));
    }

    /// <summary>The program and arguments that run a <c>radiogw</c> verb.</summary>
    public static IReadOnlyList<string> CommandLine(params string[] arguments) =>
        [DotnetHost(), Path.Combine(AppContext.BaseDirectory, "radiogw.dll"), .. arguments];

    /// <summary>Runs <c>radiogw send</c> as the central system of gateway <c>e2e</c> and waits up to 30 s for the result.</summary>
    public static async Task<(int ExitCode, string Output)> SendAsync(MosquittoBroker broker, TimeSpan patience, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(broker);
        using var send = Start(["send", .. arguments, "--broker", broker.Uri.ToString(), "--gateway", "e2e", "--wait", "30"]);
        using var timeout = new CancellationTokenSource(patience);
        await send.Process.WaitForExitAsync(timeout.Token);
        return (send.Process.ExitCode, send.Output);
    }

    /// <summary>Asks the process to stop as a service manager would (SIGTERM) and waits for it.</summary>
    public static async Task StopAsync(RunningProcess process, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        await TerminateAsync(process.Process.Id);
        using var cancel = new CancellationTokenSource(timeout);
        await process.Process.WaitForExitAsync(cancel.Token);
    }

    /// <summary>Sends SIGTERM to a process by id.</summary>
    public static async Task TerminateAsync(int processId)
    {
        using var kill = Process.Start("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill!.WaitForExitAsync();
    }

    /// <summary>A path inside the repository (hardware profiles, channel plans), found from the test binaries upwards.</summary>
    public static string Repository(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "RadioGateway.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine([directory.FullName, .. parts]);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : Process.GetCurrentProcess().MainModule!.FileName;
}
