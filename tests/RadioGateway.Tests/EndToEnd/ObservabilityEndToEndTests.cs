using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RadioGateway.Core.Journal;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Testing;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// What a monitoring system sees of a running gateway: <c>/metrics</c> and <c>/healthz</c> on its web host,
/// <c>radiogw status</c> (with its exit code), and the systemd watchdog pings; driven through real processes,
/// a socat pty pair with the simulator on the far end, and a port where no broker listens.
/// </summary>
public sealed class ObservabilityEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-observe-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string Data => Path.Combine(_directory, "data");

    [Fact]
    public async Task Metrics_after_a_session_match_the_journal_and_health_and_status_turn_unhealthy_when_the_modem_link_drops()
    {
        var scenario = new Scenario(
            "observe",
            [
                new ScenarioCall(TimeSpan.FromSeconds(0.5), 1, 3120101, 101, Group: true, TimeSpan.FromMilliseconds(1440), BitErrors: 2),
                new ScenarioCall(TimeSpan.FromSeconds(0.7), 2, 3120102, 3120001, Group: false, TimeSpan.FromMilliseconds(1080)),
                // After the data: when it has ended, everything before it has been decoded.
                new ScenarioCall(TimeSpan.FromSeconds(5), 1, 3120103, 9, Group: true, TimeSpan.FromMilliseconds(720)),
            ],
            Data:
            [
                new ScenarioData(TimeSpan.FromSeconds(2.5), 1, "lrrp-position", 3120101, Scenario.DispatcherId, Latitude: 35.6892, Longitude: 51.389),
                new ScenarioData(TimeSpan.FromSeconds(2.5), 2, "tms-text", 3120102, Scenario.DispatcherId, Text: "salam"),
            ]);
        var scenarioFile = Path.Combine(_directory, "scenario.json");
        File.WriteAllText(scenarioFile, scenario.ToJson());
        var pair = await SocatPtyPair.StartAsync();
        try
        {
            using var simulator = GatewayProcess.Start("simulate", "--serial", pair.DeviceEnd, "--scenario", scenarioFile, "--once");
            await simulator.WaitForLineAsync(l => l.Contains("Simulated base station on", StringComparison.Ordinal), Patience);
            var port = ExternalTool.FreeLoopbackPort();
            var config = WriteConfig(pair.GatewayEnd, port);
            using var gateway = GatewayProcess.Start("run", "--config", config);
            await gateway.WaitForLineAsync(l => l.Contains("Operator console: ", StringComparison.Ordinal), Patience);
            await gateway.WaitForLineAsync(_ => gateway.Output.Split('\n').Count(l => l.Contains(" ended after ", StringComparison.Ordinal)) >= 3, Patience);
            var baseUri = new Uri($"http://127.0.0.1:{port}");

            // The journal commits in groups, behind the pipeline that counts: wait until it holds what was counted.
            var metrics = await _http.GetStringAsync(new Uri(baseUri, "/metrics"));
            var counted = (Calls: Sum(metrics, "radiogw_calls_total"), Positions: Sum(metrics, "radiogw_positions_total"), Texts: Sum(metrics, "radiogw_texts_total"));
            Assert.True(counted == (3, 1, 1), $"counted {counted}\n{metrics}");
            var journaled = await WaitForAsync(() =>
            {
                using var journal = JournalReader.OpenDirectory(Data);
                var kinds = journal.CountEventsByKind();
                return (Calls: (double)journal.QueryCalls(new CallQuery()).Count, Positions: (double)kinds.GetValueOrDefault("position"), Texts: (double)kinds.GetValueOrDefault("text"));
            }, found => found == counted);
            Assert.Equal(counted, journaled);

            Assert.True(Sum(metrics, "radiogw_bursts_total", "slot=\"1\"") > 0, metrics);
            Assert.True(Sum(metrics, "radiogw_bursts_total", "slot=\"2\"") > 0, metrics);
            Assert.True(Sum(metrics, "radiogw_fec_corrected_bits_total", "slot=\"1\"") > 0, metrics);
            Assert.Equal(1, Sum(metrics, "radiogw_modem_link_up", "radio=\"bs1\""));
            Assert.True(Sum(metrics, "radiogw_outbox_backlog") >= 3, metrics); // no broker: everything waits
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _http.PostAsync(new Uri(baseUri, "/healthz"), null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsync(new Uri(baseUri, "/metrics"), null)).StatusCode);

            using (var ready = await _http.GetAsync(new Uri(baseUri, "/healthz")))
            {
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                Assert.Contains("\"status\":\"ready\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            await WaitForStatusFileAsync(s => s.Contains("\"linkUp\": true", StringComparison.Ordinal));
            var healthy = await StatusAsync(config);
            Assert.True(healthy.ExitCode == 0, healthy.Output);
            Assert.Contains("HEALTHY", healthy.Output, StringComparison.Ordinal);
            Assert.Contains("Radio      bs1: link up", healthy.Output, StringComparison.Ordinal);
            Assert.Contains("Uplink     not configured", healthy.Output, StringComparison.Ordinal);

            // The modem goes away: socat ends, the gateway's end of the pty is gone.
            pair.Dispose();
            var notReady = await WaitForAsync(async () =>
            {
                using var response = await _http.GetAsync(new Uri(baseUri, "/healthz"));
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }, r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
            Assert.Contains("\"status\":\"not-ready\"", notReady.Body, StringComparison.Ordinal);
            Assert.Contains("modem link of radio bs1 is down", notReady.Body, StringComparison.Ordinal);

            await WaitForStatusFileAsync(s => s.Contains("\"linkUp\": false", StringComparison.Ordinal));
            var unhealthy = await StatusAsync(config, "--format", "json");
            Assert.True(unhealthy.ExitCode == 1, unhealthy.Output);
            using var json = JsonDocument.Parse(unhealthy.Output);
            Assert.False(json.RootElement.GetProperty("healthy").GetBoolean());
            Assert.Contains(json.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("modem link of radio bs1 is down", StringComparison.Ordinal));
            Assert.True(json.RootElement.GetProperty("outboxByKind").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "call").GetProperty("count").GetInt64() >= 6, unhealthy.Output);
            Assert.NotEqual(JsonValueKind.Null, json.RootElement.GetProperty("lastPosition").ValueKind);

            await GatewayProcess.StopAsync(gateway, Patience);
        }
        finally
        {
            pair.Dispose();
        }
    }

    [Fact]
    public async Task Status_and_healthz_are_unhealthy_while_the_configured_broker_is_down_and_status_says_when_the_gateway_stopped()
    {
        var port = ExternalTool.FreeLoopbackPort();
        var deadBroker = $"mqtt://127.0.0.1:{ExternalTool.FreeLoopbackPort()}";
        string[] overrides = [$"--Gateway:DataDirectory={Data}", $"--Console:Urls=http://127.0.0.1:{port}"];
        using var gateway = GatewayProcess.Start(["run", "--simulate", "--Gateway:Id=observe", $"--Mqtt:Broker={deadBroker}", .. overrides]);
        await gateway.WaitForLineAsync(l => l.Contains("Operator console: ", StringComparison.Ordinal), Patience);
        await WaitForStatusFileAsync(s => s.Contains("\"linkUp\": true", StringComparison.Ordinal));

        var status = await StatusAsync(null, overrides[0]);

        Assert.True(status.ExitCode == 1, status.Output);
        Assert.Contains($"PROBLEM    uplink to {deadBroker} is not connected", status.Output, StringComparison.Ordinal);
        Assert.Contains($"Uplink     {deadBroker}: NOT CONNECTED", status.Output, StringComparison.Ordinal);
        using (var health = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains($"uplink to {deadBroker} is not connected", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await GatewayProcess.StopAsync(gateway, Patience);
        var stopped = await StatusAsync(null, overrides[0]);

        Assert.True(stopped.ExitCode == 1, stopped.Output);
        Assert.Contains("PROBLEM    the gateway is not running (stopped at", stopped.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_broker_metrics_time_each_publish_and_count_the_reconnect_after_an_outage()
    {
        using var broker = await MosquittoBroker.StartAsync();
        var port = ExternalTool.FreeLoopbackPort();
        using var gateway = GatewayProcess.Start(["run", "--simulate", "--Gateway:Id=observe", $"--Gateway:DataDirectory={Data}", $"--Mqtt:Broker={broker.Uri}", $"--Console:Urls=http://127.0.0.1:{port}"]);
        await gateway.WaitForLineAsync(l => l.Contains("Operator console: ", StringComparison.Ordinal), Patience);
        var metricsUri = new Uri($"http://127.0.0.1:{port}/metrics");

        // Scrapes until the numbers are there; a refused connection reads as empty and is tried again.
        async Task<string> Scrape()
        {
            try
            {
                return await _http.GetStringAsync(metricsUri);
            }
            catch (HttpRequestException e)
            {
                return $"(no answer: {e.Message})\n{gateway.Output}";
            }
        }

        var published = await WaitForAsync(Scrape, m => Sum(m, "radiogw_publish_latency_seconds_count") >= 2);
        Assert.True(Sum(published, "radiogw_publish_latency_seconds_bucket", "le=\"+Inf\"") >= 2, published);
        Assert.Equal(0, Sum(published, "radiogw_uplink_reconnects_total"));

        await broker.StopGracefullyAsync();
        await broker.RestartAsync();

        await WaitForAsync(Scrape, m => Sum(m, "radiogw_uplink_reconnects_total") == 1);
        await GatewayProcess.StopAsync(gateway, Patience);
    }

    [Fact]
    public async Task Under_systemd_the_gateway_pings_the_watchdog_and_logs_for_the_journal_without_categories()
    {
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var notifyPath = Path.Combine(_directory, "notify");
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        using var gateway = ExternalTool.Start(
            GatewayProcess.CommandLine()[0],
            [.. GatewayProcess.CommandLine("run", "--simulate", $"--Gateway:DataDirectory={Data}", "--Console:Urls=").Skip(1)],
            environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath, ["WATCHDOG_USEC"] = "400000", ["INVOCATION_ID"] = "0123456789abcdef" });

        // Two pings: the first at start, the next a watchdog half-period later.
        Assert.Equal("WATCHDOG=1", await ReceiveAsync(notify));
        Assert.Equal("WATCHDOG=1", await ReceiveAsync(notify));

        var started = await gateway.WaitForLineAsync(l => l.Contains("Log files in ", StringComparison.Ordinal), Patience);
        Assert.StartsWith("<6>Log files in " + Path.Combine(Data, "logs"), started, StringComparison.Ordinal);
        await GatewayProcess.StopAsync(gateway, Patience);
        Assert.All(gateway.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches("^<[2-7]>", line));
        Assert.DoesNotContain("RadioGateway.Hosting.", gateway.Output, StringComparison.Ordinal);
    }

    private string WriteConfig(string port, int consolePort)
    {
        var path = Path.Combine(_directory, "radiogw.json");
        File.WriteAllText(path, $$"""
            {
              "Gateway": { "Id": "observe", "DataDirectory": "{{Data}}" },
              "Console": { "Urls": "http://127.0.0.1:{{consolePort}}" },
              "Radios": [ { "Name": "bs1", "Profile": "{{GatewayProcess.Repository("hardware-profiles", "simulator.json")}}", "Port": "{{port}}",
                            "ChannelProfile": "{{GatewayProcess.Repository("hardware-profiles", "channel-plans", "simulator.json")}}" } ]
            }
            """);
        return path;
    }

    private static async Task<(int ExitCode, string Output)> StatusAsync(string? config, params string[] arguments)
    {
        using var status = GatewayProcess.Start(["status", .. config is null ? Array.Empty<string>() : ["--config", config], .. arguments]);
        using var timeout = new CancellationTokenSource(Patience);
        await status.Process.WaitForExitAsync(timeout.Token);
        return (status.Process.ExitCode, status.Output);
    }

    // The status file is rewritten every few seconds; wait for the state the test needs.
    private Task WaitForStatusFileAsync(Func<string, bool> holds) =>
        WaitForAsync(() =>
        {
            var path = Path.Combine(Data, "status.json");
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }, holds);

    private static Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> holds) => WaitForAsync(() => Task.FromResult(read()), holds);

    /// <summary>Reads until <paramref name="holds"/>, re-reading on a short period, failing after <see cref="Patience"/> with the last value.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> holds)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var period = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var value = await read();
        while (!holds(value))
        {
            if (!await period.WaitForNextTickAsync(CancellationToken.None) || timeout.IsCancellationRequested)
            {
                Assert.Fail($"still {value} after {Patience.TotalSeconds} s");
            }

            value = await read();
        }

        return value;
    }

    /// <summary>The sum of a Prometheus metric's samples (<c>name{labels} value [timestamp]</c>), of those whose labels contain <paramref name="label"/> when given.</summary>
    private static double Sum(string exposition, string metric, string? label = null) =>
        exposition.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Select(l => l.Contains('}', StringComparison.Ordinal) ? (Labels: l[..(l.LastIndexOf('}') + 1)], Value: l[(l.LastIndexOf('}') + 1)..]) : (Labels: "", Value: l[metric.Length..]))
            .Where(sample => label is null || sample.Labels.Contains(label, StringComparison.Ordinal))
            .Sum(sample => double.Parse(sample.Value.Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture));

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
