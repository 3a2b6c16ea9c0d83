using RadioGateway.Testing;
using RadioGateway.Tests.EndToEnd;

namespace RadioGateway.Tests.Cli;

/// <summary>
/// Every verb given bad arguments, files or settings answers with one line naming what is wrong and exits 2;
/// no stack trace reaches the user.
/// </summary>
public sealed class BadArgumentsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-badargs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, string[], string> Cases => new()
    {
        // case name, arguments ({dir} = a fresh temporary directory), text the one line must contain
        { "config not JSON", ["run", "--config", "{dir}/bad.json"], "bad.json:2:3: not valid JSON" },
        { "config empty", ["run", "--config", "{dir}/empty.json"], "empty.json:1:1: not valid JSON" },
        { "config top-level array", ["journal", "calls", "--config", "{dir}/array.json"], "array.json: Top-level JSON element must be an object" },
        { "config missing", ["send", "radio-check", "--unit", "1", "--config", "{dir}/none.json"], "none.json' does not exist" },
        { "broker not a URI", ["send", "radio-check", "--unit", "1", "--broker", "notaurl"], "Mqtt:Broker: 'notaurl' is not of the form" },
        { "broker plain TCP to another host", ["send", "radio-check", "--unit", "1", "--broker", "mqtt://192.0.2.1:1883"], "refusing plain TCP to '192.0.2.1'" },
        { "broker URI with a password", ["send", "radio-check", "--unit", "1", "--broker", "mqtt://user:hunter2@127.0.0.1:1883"], "mqtt://***@127.0.0.1:1883' carries a user name or password" },
        { "data directory cannot be created", ["run", "--simulate", "--Gateway:DataDirectory={dir}/file.json/data"], "Gateway:DataDirectory: '{dir}/file.json/data' cannot be created" },
        { "simulate on a missing serial device", ["simulate", "--serial", "{dir}/no-such-tty"], "--serial {dir}/no-such-tty" },
        { "decode a missing file", ["decode", "--format", "mmdvm", "{dir}/no-such-capture.hex"], "decode: cannot read '{dir}/no-such-capture.hex': it does not exist" },
        { "decode a directory", ["decode", "--format", "burst", "{dir}"], "decode: cannot read '{dir}': it is a directory" },
        { "roster id is a string", ["journal", "calls", "--Gateway:DataDirectory={dir}/data", "--Gateway:RosterFile={dir}/roster.json"], "roster.json:1: units[0].id: a radio id is required" },
        { "simulate on port 99999", ["simulate", "--tcp", "99999"], "--tcp must be a port 1–65535" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Answers_with_one_line_and_exit_2(string name, string[] arguments, string expected)
    {
        File.WriteAllText(Path.Combine(_directory, "bad.json"), "{ \"Gateway\": { \"Id\": \"x\", }\n  \"b\": 1 }");
        File.WriteAllText(Path.Combine(_directory, "empty.json"), "");
        File.WriteAllText(Path.Combine(_directory, "array.json"), "[1, 2]");
        File.WriteAllText(Path.Combine(_directory, "file.json"), "{}");
        File.WriteAllText(Path.Combine(_directory, "roster.json"), "{ \"units\": [ { \"id\": \"3120101\", \"name\": \"A\" } ] }");

        var (exitCode, output) = await RunAsync(arguments.Select(a => a.Replace("{dir}", _directory, StringComparison.Ordinal)).ToArray());

        Assert.True(exitCode == 2, $"{name}: exit {exitCode}\n{output}");
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        Assert.Contains(expected.Replace("{dir}", _directory, StringComparison.Ordinal), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_gateway_on_the_same_data_directory_refuses_to_start_naming_the_first()
    {
        var data = Path.Combine(_directory, "data");
        using var first = GatewayProcess.Start("run", "--simulate", $"--Gateway:DataDirectory={data}");
        await first.WaitForLineAsync(l => l.Contains("Journal ", StringComparison.Ordinal) && l.Contains(" open;", StringComparison.Ordinal), Patience);

        var (exitCode, output) = await RunAsync("run", "--simulate", $"--Gateway:DataDirectory={data}");

        Assert.True(exitCode == 2, output);
        Assert.Contains($"is in use by another gateway (process {first.Process.Id})", output, StringComparison.Ordinal);
        Assert.False(first.Process.HasExited, "the first gateway must keep running");
    }

    [Fact]
    public async Task The_data_directory_and_the_journal_are_not_readable_by_others()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // ACLs of the service account; install.ps1 sets them
        }

        var data = Path.Combine(_directory, "data");
        using var gateway = GatewayProcess.Start("run", "--simulate", $"--Gateway:DataDirectory={data}");
        await gateway.WaitForLineAsync(l => l.Contains("Journal ", StringComparison.Ordinal) && l.Contains(" open;", StringComparison.Ordinal), Patience);

        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(data) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            Assert.True((File.GetUnixFileMode(file) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) == UnixFileMode.None, $"{file} is {File.GetUnixFileMode(file)}");
        }

        await GatewayProcess.StopAsync(gateway, Patience);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using var process = GatewayProcess.Start(arguments);
        using var timeout = new CancellationTokenSource(Patience);
        await process.Process.WaitForExitAsync(timeout.Token);
        return (process.Process.ExitCode, process.Output);
    }
}
