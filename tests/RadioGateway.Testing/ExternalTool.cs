using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RadioGateway.Testing;

/// <summary>
/// Finds real programs (mosquitto, socat, …) that tests drive. A missing one fails the test with a
/// message saying how to install it; tests never skip silently.
/// </summary>
public static class ExternalTool
{
    public static string Require(string name, string debianPackage)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator).Concat(["/usr/sbin", "/usr/bin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"This test needs '{name}', which is not installed. Install it with: apt-get install -y {debianPackage} (.ci/run does this).");
    }

    /// <summary>A TCP port on loopback that nothing listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A loopback address of its own (127.x.y.z; Linux answers all of 127.0.0.0/8 on lo): a server a test starts there
    /// cannot be mistaken for another test's that drew the same free port (tests run in parallel, in several processes).
    /// </summary>
    public static string UniqueLoopbackAddress() =>
        new IPAddress([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(2, 255)]).ToString();

    /// <summary>Starts a program with its output captured into <see cref="RunningProcess.Output"/>.</summary>
    /// <param name="environment">Variables set for the program on top of this process's environment.</param>
    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}");
        return new RunningProcess(process);
    }
}

/// <summary>A started program; disposing kills it and its children.</summary>
public sealed class RunningProcess : IDisposable
{
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Signal)> _waiters = [];

    internal RunningProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Completes with the first output line (past or future) that matches.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        var signal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, signal));
        }

        return signal.Task.WaitAsync(timeout);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> hit = [];
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                hit.Add(waiter.Signal);
            }
        }

        foreach (var signal in hit)
        {
            signal.TrySetResult(line);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        Process.Dispose();
    }
}
