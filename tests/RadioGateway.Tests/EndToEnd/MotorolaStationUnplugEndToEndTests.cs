using System.Net;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Testing;
using RadioGateway.Transport.Ip;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// A MOTOTRBO control station taken away and brought back, with real programs: mosquitto, <c>radiogw run</c> serving
/// the station on the PC's address on its interface (an extra address on lo, added and removed with iproute2 the way a
/// USB station's interface comes and goes), <c>radiogw simulate-station</c> as the station and its radios, and
/// <c>radiogw status</c> as the technician's check.
/// </summary>
public sealed class MotorolaStationUnplugEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-motorola-unplug-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Data => Path.Combine(_directory, "data");

    private static int[] FreeUdpPorts(IPAddress address, int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ => UdpServiceSocket.Bind(address, 0, "probe")).ToList();
        var ports = sockets.Select(s => s.LocalEndPoint.Port).ToArray();
        sockets.ForEach(s => s.Dispose());
        return ports;
    }

    private async Task<string> ScenarioAsync(string name, params ScenarioData[] data)
    {
        var path = Path.Combine(_directory, name + ".json");
        await File.WriteAllTextAsync(path, new Scenario(name, [], Data: data).ToJson());
        return path;
    }

    private static int Count(RunningProcess subscriber, string text) =>
        subscriber.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Re-reads the status file the gateway rewrites every few seconds until it holds what the test needs.</summary>
    private async Task WaitForStatusFileAsync(string text)
    {
        var path = Path.Combine(Data, "status.json");
        using var timeout = new CancellationTokenSource(Patience);
        using var period = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (!(File.Exists(path) && (await File.ReadAllTextAsync(path, timeout.Token)).Contains(text, StringComparison.Ordinal)))
        {
            await period.WaitForNextTickAsync(timeout.Token);
        }
    }

    private static async Task<(int ExitCode, string Output)> StatusAsync(string config)
    {
        using var status = GatewayProcess.Start("status", "--config", config);
        using var timeout = new CancellationTokenSource(Patience);
        await status.Process.WaitForExitAsync(timeout.Token);
        return (status.Process.ExitCode, status.Output);
    }

    [Fact]
    public async Task The_station_unplugged_is_link_down_and_plugged_back_serves_registrations_texts_and_commands_again()
    {
        using var station = await LoopbackAddress.AddAsync();
        using var broker = await MosquittoBroker.StartAsync();
        using var modem = broker.Subscribe("radiogw/v1/e2e/events/modem");
        using var registrations = broker.Subscribe("radiogw/v1/e2e/events/registration");
        using var texts = broker.Subscribe("radiogw/v1/e2e/events/text");
        await broker.WaitForSubscriberAsync();
        var ports = FreeUdpPorts(station.Address, 3);
        var profile = Path.Combine(_directory, "station.json");
        await File.WriteAllTextAsync(profile, $$"""
            {
              "kind": "motorola-control-station",
              "id": "e2e-unplug",
              "network": { "localAddress": "{{station.Address}}", "caiNetwork": 127, "groupNetwork": 127 },
              "services": { "arsPort": {{ports[0]}}, "lrrpPort": {{ports[1]}}, "tmsPort": {{ports[2]}} }
            }
            """);
        var config = Path.Combine(_directory, "radiogw.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Gateway": { "Id": "e2e", "RadioId": 3120001, "DataDirectory": "{{Data}}" },
              "Mqtt": { "Broker": "{{broker.Uri}}" },
              "Commands": { "AnswerTimeoutSeconds": 6, "DefaultLifetimeSeconds": 20 },
              "Console": { "Urls": "" },
              "Radios": [ { "Name": "cs1", "Profile": "{{profile}}" } ]
            }
            """);
        using var gateway = GatewayProcess.Start("run", "--config", config);
        await modem.WaitForLineAsync(l => l.Contains("\"radioId\":\"cs1\"", StringComparison.Ordinal) && l.Contains("\"linkUp\":true", StringComparison.Ordinal), Patience);

        // Plugged in: a radio registers through the station.
        var first = await ScenarioAsync("first", new ScenarioData(TimeSpan.FromSeconds(0.5), 1, "ars-register", 3120101, Scenario.DispatcherId));
        using (var simulated = GatewayProcess.Start("simulate-station", "--profile", profile, "--scenario", first, "--once"))
        {
            await registrations.WaitForLineAsync(l => l.Contains("\"unit\":{\"id\":3120101", StringComparison.Ordinal) && l.Contains("\"registered\":true", StringComparison.Ordinal), Patience);
            await simulated.WaitForLineAsync(l => l.Contains("Simulated radio 3120101 received ars registration accepted", StringComparison.Ordinal), Patience);
        }

        // Unplugged: the station is gone and its interface (the PC's address on it) with it.
        await station.UnplugAsync();
        var down = await modem.WaitForLineAsync(l => l.Contains("\"linkUp\":false", StringComparison.Ordinal), Patience);
        Assert.Contains("\"radioId\":\"cs1\"", down, StringComparison.Ordinal);
        Assert.Contains($"{station.Address} left its network interface: control station unplugged?", down, StringComparison.Ordinal);
        await WaitForStatusFileAsync("\"linkUp\": false");
        var unhealthy = await StatusAsync(config);
        Assert.True(unhealthy.ExitCode == 1, unhealthy.Output);
        Assert.Contains("Radio      cs1: link DOWN", unhealthy.Output, StringComparison.Ordinal);

        // Plugged back: the gateway rebinds on its own, and traffic flows both ways again.
        await station.PlugAsync();
        await modem.WaitForLineAsync(_ => Count(modem, "\"linkUp\":true") >= 2, Patience);
        var again = await ScenarioAsync(
            "again",
            new ScenarioData(TimeSpan.FromSeconds(0.5), 1, "ars-register", 3120101, Scenario.DispatcherId),
            new ScenarioData(TimeSpan.FromSeconds(0.7), 1, "tms-text", 3120102, Scenario.DispatcherId, Text: "ایستگاه دوباره وصل شد"));
        using var back = GatewayProcess.Start("simulate-station", "--profile", profile, "--scenario", again, "--once");
        await texts.WaitForLineAsync(l => l.Contains("ایستگاه دوباره وصل شد", StringComparison.Ordinal), Patience);
        await registrations.WaitForLineAsync(_ => Count(registrations, "\"registered\":true") >= 2, Patience);
        var text = await GatewayProcess.SendAsync(broker, Patience, "text", "--to", "3120101", "--text", "خوش برگشتی");
        Assert.True(text.ExitCode == 0, text.Output);
        Assert.Contains("\"state\":\"delivered\"", text.Output, StringComparison.Ordinal);
        await WaitForStatusFileAsync("\"linkUp\": true");
        var healthy = await StatusAsync(config);
        Assert.Contains("Radio      cs1: link up", healthy.Output, StringComparison.Ordinal);

        await GatewayProcess.StopAsync(gateway, Patience);
    }
}
