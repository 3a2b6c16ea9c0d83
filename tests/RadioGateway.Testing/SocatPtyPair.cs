namespace RadioGateway.Testing;

/// <summary>
/// Two pseudo-terminals joined by a real <c>socat</c>, standing in for a serial cable between the gateway
/// and a base station. Dispose (or <see cref="Cut"/>) kills socat, which hangs up both ends.
/// </summary>
public sealed class SocatPtyPair : IDisposable
{
    private readonly string _directory;
    private RunningProcess? _socat;

    private SocatPtyPair(string directory, RunningProcess socat)
    {
        _directory = directory;
        _socat = socat;
        GatewayEnd = Path.Combine(directory, "gateway");
        DeviceEnd = Path.Combine(directory, "device");
    }

    /// <summary>The pty the gateway opens.</summary>
    public string GatewayEnd { get; }

    /// <summary>The pty the (simulated) base station opens.</summary>
    public string DeviceEnd { get; }

    /// <param name="directory">Where the pty links go; reuse a cut pair's folder to bring a "cable" back at the same paths.</param>
    public static async Task<SocatPtyPair> StartAsync(string? directory = null)
    {
        var socat = ExternalTool.Require("socat", "socat");
        directory ??= Path.Combine(Path.GetTempPath(), "radiogw-pty-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var process = ExternalTool.Start(socat, ["-d", "-d", $"pty,raw,echo=0,link={Path.Combine(directory, "gateway")}", $"pty,raw,echo=0,link={Path.Combine(directory, "device")}"]);
        try
        {
            await process.WaitForLineAsync(l => l.Contains("starting data transfer loop", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            process.Dispose();
            throw new InvalidOperationException("socat did not set up the pty pair within 10 s: " + process.Output);
        }

        return new SocatPtyPair(directory, process);
    }

    /// <summary>
    /// Kills socat: both ptys hang up, as when a USB serial adapter is pulled, and the links go, as udev removes
    /// the adapter's device node (a killed socat leaves them pointing at freed ptys that another test may get).
    /// </summary>
    public void Cut()
    {
        if (_socat is null)
        {
            return;
        }

        _socat.Dispose();
        _socat = null;
        try
        {
            File.Delete(GatewayEnd);
            File.Delete(DeviceEnd);
        }
        catch (DirectoryNotFoundException)
        {
            // another pair started in this folder was disposed first and took the folder with it
        }
    }

    public void Dispose()
    {
        Cut();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // links vanish with socat
        }
    }
}
