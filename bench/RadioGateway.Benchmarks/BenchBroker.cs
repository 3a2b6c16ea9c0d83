using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using RadioGateway.Testing;

namespace RadioGateway.Benchmarks;

/// <summary>
/// A mosquitto on a free loopback port that logs only errors and warnings (the test fixture's <c>log_type all</c>
/// would write two lines per message into this process). Readiness is a successful TCP connect to its port.
/// </summary>
public sealed class BenchBroker : IDisposable
{
    private const int ListenAttempts = 100;
    private static readonly TimeSpan ListenPoll = TimeSpan.FromMilliseconds(50);

    private readonly string _directory;
    private readonly Process _process;
    private readonly Task<string> _errors;

    private BenchBroker(string directory, int port, Process process)
    {
        _directory = directory;
        Port = port;
        _process = process;
        // Only errors and warnings: a few lines at most, read to the end when it exits.
        _errors = process.StandardError.ReadToEndAsync();
    }

    public int Port { get; }

    public Uri Uri => new($"mqtt://127.0.0.1:{Port}");

    public string Version { get; private set; } = "";

    /// <summary>CPU time the broker has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts mosquitto and waits until it accepts connections.</summary>
    public static async Task<BenchBroker> StartAsync()
    {
        var mosquitto = ExternalTool.Require("mosquitto", "mosquitto");
        var directory = Directory.CreateTempSubdirectory("radiogw-bench-mosquitto-").FullName;
        var port = ExternalTool.FreeLoopbackPort();
        var config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllLines(config, [
            $"listener {port} 127.0.0.1",
            "allow_anonymous true",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            // Run as whoever started it (as root mosquitto would switch to user "mosquitto").
            $"user {Environment.UserName}",
            // Every QoS 1 message to a slow subscriber is queued, never dropped (the default drops beyond 1,000):
            // the subscribers count them to prove delivery.
            "max_queued_messages 0",
            // Sent as Receive Maximum in CONNACK: the default, 20, would lower the client's window of 64 (and the
            // window sweep's 256) to 20. Also the most messages in flight to each subscriber.
            "max_inflight_messages 1024",
        ]);
        var info = new ProcessStartInfo(mosquitto, ["-c", config]) { RedirectStandardError = true, UseShellExecute = false };
        var broker = new BenchBroker(directory, port, Process.Start(info) ?? throw new InvalidOperationException("Could not start mosquitto."));
        try
        {
            broker.Version = await VersionAsync(mosquitto);
            await broker.WaitUntilListeningAsync();
            return broker;
        }
        catch
        {
            broker.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; attempt < ListenAttempts; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with code {_process.ExitCode}: {await _errors}");
            }

            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(ListenPoll);
            }
        }

        throw new InvalidOperationException($"mosquitto did not listen on port {Port} within {(ListenAttempts * ListenPoll).TotalSeconds:0} s.");
    }

    // "mosquitto version 2.0.11" is the first line of `mosquitto -h`.
    private static async Task<string> VersionAsync(string mosquitto)
    {
        using var help = Process.Start(new ProcessStartInfo(mosquitto, ["-h"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var firstLine = await help.StandardOutput.ReadLineAsync() ?? "";
        await help.WaitForExitAsync();
        return firstLine.Replace("mosquitto version ", "", StringComparison.Ordinal).Trim();
    }

    internal string PortText => Port.ToString(CultureInfo.InvariantCulture);
}
