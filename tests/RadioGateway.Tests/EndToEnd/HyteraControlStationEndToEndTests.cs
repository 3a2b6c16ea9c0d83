using System.Net;
using System.Net.Sockets;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Testing;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// A Hytera control station end to end with real programs: mosquitto, <c>radiogw run</c> with a
/// hytera-control-station profile connecting to 127.0.0.1, <c>radiogw simulate-station</c> with the same profile
/// (the HRNP listener and its radios), and <c>radiogw send</c> as the central system.
/// </summary>
public sealed class HyteraControlStationEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-hytera-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<(int ExitCode, string Output)> SendAsync(MosquittoBroker broker, params string[] arguments) =>
        GatewayProcess.SendAsync(broker, Patience, arguments);

    private static int FreeTcpPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Fact]
    public async Task Registrations_positions_texts_and_commands_flow_through_a_simulated_hytera_station_which_is_unplugged_and_back()
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var registrations = broker.Subscribe("radiogw/v1/e2e/events/registration");
        using var positions = broker.Subscribe("radiogw/v1/e2e/events/position");
        using var texts = broker.Subscribe("radiogw/v1/e2e/events/text");
        using var modem = broker.Subscribe("radiogw/v1/e2e/events/modem");
        await broker.WaitForSubscriberAsync();
        var profile = Path.Combine(_directory, "station.json");
        await File.WriteAllTextAsync(profile, $$"""
            {
              "kind": "hytera-control-station",
              "id": "e2e-loopback",
              "network": { "localAddress": "127.0.0.1", "radioAddress": "127.0.0.1", "radioSubnet": 10 },
              "services": { "hrnpPort": {{FreeTcpPort()}} }
            }
            """);
        var config = Path.Combine(_directory, "radiogw.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Gateway": { "Id": "e2e", "RadioId": 3120001, "DataDirectory": "{{Path.Combine(_directory, "data")}}" },
              "Mqtt": { "Broker": "{{broker.Uri}}" },
              "Commands": { "AnswerTimeoutSeconds": 6, "DefaultLifetimeSeconds": 20 },
              "Tracking": { "IntervalSeconds": 30 },
              "Console": { "Urls": "" },
              "Radios": [ { "Name": "hy1", "Profile": "{{profile}}" } ]
            }
            """);

        // Two radios register, four report positions (one in each hemisphere), one sends a Persian text, one goes offline.
        var second = TimeSpan.FromSeconds(1);
        var scenario = Path.Combine(_directory, "scenario.json");
        await File.WriteAllTextAsync(scenario, new Scenario("hytera-control-station", [], Data:
        [
            new ScenarioData(second * 0.5, 1, "hytera-rrs-register", 3120101, 3120001),
            new ScenarioData(second * 0.7, 1, "hytera-rrs-register", 3120102, 3120001),
            new ScenarioData(second * 0.9, 1, "hytera-lp-position", 3120101, 3120001, Latitude: 35.6892, Longitude: 51.389),
            new ScenarioData(second * 1.1, 1, "hytera-lp-position", 3120105, 3120001, Latitude: -34.6037, Longitude: -58.3816),
            new ScenarioData(second * 1.3, 1, "hytera-lp-position", 3120106, 3120001, Latitude: 38.7223, Longitude: -9.1393),
            new ScenarioData(second * 1.5, 1, "hytera-lp-position", 3120104, 3120001, Latitude: -33.8688, Longitude: 151.2093),
            new ScenarioData(second * 1.7, 1, "hytera-tmp-text", 3120103, 3120001, Text: "درخواست نیروی کمکی در خیابان ولیعصر"),
            new ScenarioData(second * 1.9, 1, "hytera-rrs-offline", 3120102, 3120001),
        ]).ToJson());
        var station = GatewayProcess.Start("simulate-station", "--profile", profile, "--scenario", scenario, "--once");
        try
        {
            await station.WaitForLineAsync(l => l.Contains("Simulated Hytera control station listening", StringComparison.Ordinal), Patience);
            using var gateway = GatewayProcess.Start("run", "--config", config);
            await gateway.WaitForLineAsync(l => l.Contains("Hytera control station HRNP session open with 127.0.0.1", StringComparison.Ordinal), Patience);
            await modem.WaitForLineAsync(l => l.Contains("\"linkUp\":true", StringComparison.Ordinal), Patience);

            await registrations.WaitForLineAsync(l => l.Contains("\"unit\":{\"id\":3120101", StringComparison.Ordinal) && l.Contains("\"registered\":true", StringComparison.Ordinal) && l.Contains("hytera-rrs", StringComparison.Ordinal), Patience);
            await registrations.WaitForLineAsync(l => l.Contains("\"unit\":{\"id\":3120102", StringComparison.Ordinal) && l.Contains("\"registered\":false", StringComparison.Ordinal), Patience);
            foreach (var (unit, lat, lon) in new[] { (3120101, "35.68", "51.38"), (3120105, "-34.60", "-58.38"), (3120106, "38.72", "-9.13"), (3120104, "-33.86", "151.20") })
            {
                await positions.WaitForLineAsync(l => l.Contains($"\"unit\":{{\"id\":{unit}", StringComparison.Ordinal) && l.Contains($"\"lat\":{lat}", StringComparison.Ordinal) && l.Contains($"\"lon\":{lon}", StringComparison.Ordinal) && l.Contains("\"via\":\"hytera-lp\"", StringComparison.Ordinal), Patience);
            }

            await texts.WaitForLineAsync(l => l.Contains("درخواست نیروی کمکی در خیابان ولیعصر", StringComparison.Ordinal) && l.Contains("hytera-tmp", StringComparison.Ordinal), Patience);
            // The gateway answered as the RRS server, acknowledged the text, and tracked the radio that registered until it went offline.
            await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120101 received rrs registration answer (result 0)", StringComparison.Ordinal), Patience);
            await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120103 received tmp ack of request", StringComparison.Ordinal), Patience);
            await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120101 received lp triggered request", StringComparison.Ordinal), Patience);
            await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120102 received lp stop request", StringComparison.Ordinal), Patience);

            // A Persian text to a radio ends delivered on its TMP acknowledgement.
            var text = await SendAsync(broker, "text", "--to", "3120101", "--text", "به مرکز برگردید، تیم ۱");
            Assert.True(text.ExitCode == 0, text.Output);
            Assert.Contains("\"state\":\"delivered\"", text.Output, StringComparison.Ordinal);
            await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120101 received tmp text به مرکز برگردید، تیم ۱", StringComparison.Ordinal), Patience);

            // Locate once, then periodically and stop: each answered by the radio.
            var locate = await SendAsync(broker, "locate", "--unit", "3120104");
            Assert.True(locate.ExitCode == 0, locate.Output);
            await positions.WaitForLineAsync(l => l.Contains("\"unit\":{\"id\":3120104", StringComparison.Ordinal) && l.Contains("\"lat\":35.72", StringComparison.Ordinal), Patience);
            var periodic = await SendAsync(broker, "locate", "--unit", "3120105", "--interval", "30");
            Assert.True(periodic.ExitCode == 0, periodic.Output);
            await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120105 reports its position every 30 s", StringComparison.Ordinal), Patience);
            var stop = await SendAsync(broker, "locate", "--unit", "3120105", "--stop");
            Assert.True(stop.ExitCode == 0, stop.Output);
            await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120105 received lp stop request", StringComparison.Ordinal), Patience);

            // A silent radio hears the text (the station acknowledges the frame) but never acknowledges it: failed with timeout.
            var silent = await SendAsync(broker, "text", "--to", "3120132", "--text", "سلام");
            Assert.Equal(1, silent.ExitCode);
            Assert.Contains("\"reason\":\"timeout:", silent.Output, StringComparison.Ordinal);
            await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120132 received tmp text (silent) سلام", StringComparison.Ordinal), Patience);

            // The control station is unplugged: link down; plugged back: the gateway reconnects and the link is up again.
            await GatewayProcess.StopAsync(station, Patience);
            station.Dispose();
            await modem.WaitForLineAsync(l => l.Contains("\"linkUp\":false", StringComparison.Ordinal), Patience);
            station = GatewayProcess.Start("simulate-station", "--profile", profile, "--once");
            await station.WaitForLineAsync(l => l.Contains("gateway connected, HRNP session accepted", StringComparison.Ordinal), Patience);
            // The second session's link-up event (its id counts the sessions).
            await modem.WaitForLineAsync(l => l.Contains("\"linkUp\":true", StringComparison.Ordinal) && l.Contains(".up.2\"", StringComparison.Ordinal), Patience);
            var after = await SendAsync(broker, "text", "--to", "3120102", "--text", "دوباره وصل شد");
            Assert.True(after.ExitCode == 0, after.Output);
            Assert.Contains("\"state\":\"delivered\"", after.Output, StringComparison.Ordinal);

            await GatewayProcess.StopAsync(gateway, Patience);
        }
        finally
        {
            station.Dispose();
        }
    }
}
