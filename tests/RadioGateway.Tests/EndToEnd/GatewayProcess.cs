using System.Diagnostics;
using RadioGateway.Testing;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>Starts <c>radiogw</c> verbs as real processes (the built radiogw.dll beside the tests).</summary>
internal static class GatewayProcess
{
    public static RunningProcess Start(params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "radiogw.dll");
        return ExternalTool.Start(DotnetHost(), [dll, .. arguments]);
    }

    /// <summary>Asks the process to stop as a service manager would (SIGTERM) and waits for it.</summary>
    public static async Task StopAsync(RunningProcess process, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        using (var kill = Process.Start("kill", ["-TERM", process.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var cancel = new CancellationTokenSource(timeout);
        await process.Process.WaitForExitAsync(cancel.Token);
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
