using System.Globalization;
using System.Net.Sockets;
using System.Text;
using RadioGateway.Testing;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// <c>radiogw run</c> under systemd with <c>Type=notify</c>: it says READY=1 once started and STOPPING=1 on
/// SIGTERM, on a notify socket this test owns.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-systemd-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Run_notifies_ready_after_start_and_stopping_on_sigterm_then_exits_0()
    {
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var notifyPath = Path.Combine(_directory, "notify");
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var data = Path.Combine(_directory, "data");

        // Microsoft.Extensions.Hosting.Systemd 10.0 activates (SystemdHelpers.IsSystemdService) only when the
        // parent process's /proc/PPID/comm is "systemd", or the process is PID 1 with NOTIFY_SOCKET or LISTEN_PID
        // set; it reads no INVOCATION_ID or SYSTEMD_EXEC_PID. So the gateway runs as the child of a shell started
        // through a link named "systemd" (the kernel names a process after the file it was started from), as
        // under systemd itself, with NOTIFY_SOCKET set as systemd sets it for a Type=notify service.
        var parent = Path.Combine(_directory, "systemd");
        File.CreateSymbolicLink(parent, "/bin/sh");
        using var service = ExternalTool.Start(
            parent,
            ["-c", "\"$@\" & echo \"gateway pid $!\"; wait $!", "systemd", .. GatewayProcess.CommandLine("run", "--simulate", $"--Gateway:DataDirectory={data}")],
            environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath });
        var pidLine = await service.WaitForLineAsync(l => l.StartsWith("gateway pid ", StringComparison.Ordinal), Patience);
        var gatewayPid = int.Parse(pidLine["gateway pid ".Length..], CultureInfo.InvariantCulture);

        Assert.Equal("READY=1", await ReceiveAsync(notify));
        // Ready comes after the hosted services' StartAsync: the journal is open by then.
        Assert.True(File.Exists(Path.Combine(data, "radiogw.db")), "READY=1 before the journal was opened");
        Assert.False(service.Process.HasExited);

        await GatewayProcess.TerminateAsync(gatewayPid);

        Assert.Equal("STOPPING=1", await ReceiveAsync(notify));
        using var exited = new CancellationTokenSource(Patience);
        await service.Process.WaitForExitAsync(exited.Token);
        Assert.True(service.Process.ExitCode == 0, $"exit {service.Process.ExitCode}\n{service.Output}"); // the shell exits with the gateway's status
        await service.WaitForLineAsync(l => l.Contains("Journal closed after", StringComparison.Ordinal), Patience);
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"nothing arrived on NOTIFY_SOCKET within {Patience.TotalSeconds} s");
        }
    }
}
