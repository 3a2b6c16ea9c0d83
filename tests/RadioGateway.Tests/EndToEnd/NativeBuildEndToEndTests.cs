using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RadioGateway.Core.Journal;
using RadioGateway.Testing;
using RadioGateway.Tests.OperatorConsole;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// The native build (Native AOT, what <c>install.ps1 -NativeAot</c> installs and the memory soak measures) does what the
/// JIT build does: a simulated session relayed to a real mosquitto with nothing lost, health, metrics, the console's JSON
/// API both ways (sign-in, state, a Persian text command), and the CLI's JSON verbs. It has no JIT and no reflection-based
/// JSON, so a type without compile-time metadata would fail here.
/// </summary>
public sealed class NativeBuildEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-native-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Data => Path.Combine(_directory, "data");

    [Fact]
    public async Task The_native_build_relays_a_simulated_session_and_serves_the_console_and_the_cli()
    {
        var program = await NativeBuild.ProgramAsync();
        using var broker = await MosquittoBroker.StartAsync();
        using var received = broker.Subscribe("radiogw/v1/native/events/#");
        await broker.WaitForSubscriberAsync();
        await RunAsync(program, ["console", "add-user", ConsoleGateway.OperatorName, "--role", "operator", Setting("Gateway:DataDirectory", Data)], stdin: ConsoleGateway.OperatorPassword);

        var console = new Uri($"http://127.0.0.1:{ExternalTool.FreeLoopbackPort()}/");
        using var gateway = ExternalTool.Start(program, ["run", "--simulate", Setting("Mqtt:Broker", broker.Uri.ToString()), Setting("Gateway:Id", "native"), Setting("Gateway:DataDirectory", Data), Setting("Console:Urls", console.ToString().TrimEnd('/'))]);
        await gateway.WaitForLineAsync(l => l.Contains("Operator console: ", StringComparison.Ordinal), Patience);
        Assert.DoesNotContain(File.ReadLines($"/proc/{gateway.Process.Id}/maps"), l => l.EndsWith("libcoreclr.so", StringComparison.Ordinal) || l.EndsWith(".dll", StringComparison.Ordinal));
        await gateway.WaitForLineAsync(_ => gateway.Output.Split('\n').Count(l => l.Contains(" ended after ", StringComparison.Ordinal)) >= 3, Patience);

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = console, Timeout = Patience };
        using (var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using var document = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
            Assert.Equal("ready", document.RootElement.GetProperty("status").GetString());
            Assert.True(document.RootElement.GetProperty("uplink").GetProperty("connected").GetBoolean());
        }

        Assert.Contains("radiogw_calls_total", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

        // The console's JSON both ways: bodies bound from compile-time metadata, documents written by it.
        await ConsoleGateway.SignInAsync(http, ConsoleGateway.OperatorName, ConsoleGateway.OperatorPassword);
        using (var state = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/state", UriKind.Relative))))
        {
            Assert.Equal("operator", state.RootElement.GetProperty("user").GetProperty("role").GetString());
            Assert.NotEmpty(state.RootElement.GetProperty("roster").EnumerateArray());
            var call = state.RootElement.GetProperty("events").EnumerateArray().First(e => e.GetProperty("type").GetString() == "radiogw.call.ended");
            Assert.Contains(call.GetProperty("data").GetProperty("endReason").GetString(), new[] { "terminator", "timeout" });
            Assert.Contains(call.GetProperty("data").GetProperty("destination").GetProperty("type").GetString(), new[] { "group", "unit" });
        }

        using (var command = await ConsoleGateway.PostAsync(http, "/api/commands", new { action = "text", target = 3120101, targetType = "unit", text = "سلام از مرکز" }, await ConsoleGateway.AntiforgeryTokenAsync(http)))
        {
            Assert.True(command.StatusCode == HttpStatusCode.Accepted, await command.Content.ReadAsStringAsync());
            var commandId = (await command.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("commandId").GetString()!;
            await gateway.WaitForLineAsync(l => l.Contains(commandId, StringComparison.Ordinal), Patience);
        }

        var status = await RunAsync(program, ["status", "--format", "json", Setting("Gateway:DataDirectory", Data)]);
        using (var document = JsonDocument.Parse(status))
        {
            Assert.True(document.RootElement.GetProperty("healthy").GetBoolean(), status);
        }

        await GatewayProcess.StopAsync(gateway, Patience);
        Assert.True(gateway.Process.ExitCode == 0, gateway.Output);

        // Nothing lost: every journaled event reached the broker, or waits in the outbox for the next start.
        HashSet<string> expected;
        using (var journal = JournalReader.OpenDirectory(Data))
        {
            expected = [.. journal.QueryEvents(limit: 100_000).Select(e => e.Id)];
            expected.ExceptWith(journal.OldestInOutbox(100_000).Select(w => w.EventId));
        }

        Assert.True(expected.Count >= 3, gateway.Output);
        await received.WaitForLineAsync(_ => expected.IsSubsetOf(ReceivedIds(received.Output)), Patience);

        var calls = (await RunAsync(program, ["journal", "calls", "--format", "json", Setting("Gateway:DataDirectory", Data)])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(calls);
        Assert.All(calls, line => Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(line).RootElement.GetProperty("callId").GetString())));
    }

    // mosquitto_sub -v: "TOPIC PAYLOAD" per line; the CloudEvents id is the journal's event id.
    private static HashSet<string> ReceivedIds(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("radiogw/", StringComparison.Ordinal) && l.Contains(' ', StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).RootElement.GetProperty("id").GetString()!)];

    private static string Setting(string key, string value) => $"--{key}={value}";

    private static async Task<string> RunAsync(string program, string[] arguments, string? stdin = null)
    {
        using var run = ExternalTool.Start(program, arguments);
        if (stdin is not null)
        {
            await run.Process.StandardInput.WriteLineAsync(stdin);
        }

        run.Process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Patience);
        await run.Process.WaitForExitAsync(timeout.Token);
        Assert.True(run.Process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {run.Process.ExitCode.ToString(CultureInfo.InvariantCulture)}:\n{run.Output}");
        return run.Output;
    }
}

/// <summary>
/// The native <c>radiogw</c>: the one <c>test.sh</c> publishes (its folder in <c>RADIOGW_NATIVE_BUILD</c>), or else one
/// published here into a temporary folder (a few minutes; needs clang).
/// </summary>
internal static class NativeBuild
{
    private static readonly Lazy<Task<string>> Program = new(PublishAsync);

    public static Task<string> ProgramAsync() => Program.Value;

    private static async Task<string> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable("RADIOGW_NATIVE_BUILD") is { Length: > 0 } folder)
        {
            var built = Path.Combine(folder, "radiogw");
            return File.Exists(built) ? built : throw new InvalidOperationException($"RADIOGW_NATIVE_BUILD names '{folder}', which holds no radiogw: run ./test.sh, which publishes it.");
        }

        ExternalTool.Require("clang", "clang");
        var output = Directory.CreateTempSubdirectory("radiogw-native-build-").FullName;
        var runtime = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        using var publish = ExternalTool.Start("dotnet", ["publish", GatewayProcess.Repository("src", "RadioGateway", "RadioGateway.csproj"), "-c", "Release", "-r", runtime, "-p:PublishAot=true", "-o", output, "--nologo"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await publish.Process.WaitForExitAsync(timeout.Token);
        return publish.Process.ExitCode == 0 ? Path.Combine(output, "radiogw") : throw new InvalidOperationException($"dotnet publish -p:PublishAot=true failed:\n{publish.Output}");
    }
}
