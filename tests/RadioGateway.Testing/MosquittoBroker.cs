namespace RadioGateway.Testing;

/// <summary>A real mosquitto on a free loopback port, with its own config and persistence folder; killed on dispose.</summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly string _directory;
    private RunningProcess? _process;

    private MosquittoBroker(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri Uri => new($"mqtt://127.0.0.1:{Port}");

    /// <summary>Starts mosquitto; <paramref name="extraConfig"/> lines are appended to its configuration.</summary>
    public static async Task<MosquittoBroker> StartAsync(params string[] extraConfig)
    {
        var directory = Directory.CreateTempSubdirectory("radiogw-mosquitto-").FullName;
        var broker = new MosquittoBroker(directory, ExternalTool.FreeLoopbackPort());
        File.WriteAllLines(Path.Combine(directory, "mosquitto.conf"), [
            $"listener {broker.Port} 127.0.0.1",
            "allow_anonymous true",
            "persistence true",
            $"persistence_location {directory}/",
            "log_dest stderr",
            // Run as whoever started it (mosquitto drops root to user "mosquitto", which cannot write our temp folder).
            $"user {Environment.UserName}",
            "log_type all",
            .. extraConfig,
        ]);
        await broker.RestartAsync();
        return broker;
    }

    /// <summary>(Re)starts the broker process on the same port and persistence.</summary>
    public async Task RestartAsync()
    {
        Stop();
        var mosquitto = ExternalTool.Require("mosquitto", "mosquitto");
        _process = ExternalTool.Start(mosquitto, ["-c", Path.Combine(_directory, "mosquitto.conf")]);
        try
        {
            await _process.WaitForLineAsync(l => l.Contains($"listen socket on port {Port}", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException("mosquitto did not start listening: " + _process.Output);
        }
    }

    /// <summary>Stops the broker with SIGTERM, so it saves its persistent sessions, and waits for it to exit.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process is null)
        {
            return;
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", _process.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.Process.WaitForExitAsync(timeout.Token);
        Stop();
    }

    /// <summary>Kills the broker (an outage); persistence stays for <see cref="RestartAsync"/>.</summary>
    public void Stop()
    {
        _process?.Dispose();
        _process = null;
    }

    public string Log => _process?.Output ?? "";

    /// <summary>Waits until the broker has logged a SUBSCRIBE (from a <see cref="Subscribe"/> process).</summary>
    public Task WaitForSubscriberAsync() =>
        _process!.WaitForLineAsync(l => l.Contains("Received SUBSCRIBE", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

    /// <summary>Starts <c>mosquitto_sub</c> on this broker printing <c>topic payload</c> lines.</summary>
    public RunningProcess Subscribe(string filter, params string[] extra) =>
        ExternalTool.Start(ExternalTool.Require("mosquitto_sub", "mosquitto-clients"), ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-v", "-q", "1", "-t", filter, .. extra]);

    public void Dispose()
    {
        Stop();
        Directory.Delete(_directory, recursive: true);
    }
}
