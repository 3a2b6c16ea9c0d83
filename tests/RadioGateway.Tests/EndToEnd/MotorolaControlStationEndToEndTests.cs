using System.Net;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Testing;
using RadioGateway.Transport.Ip;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// A MOTOTRBO control station end to end with real programs: mosquitto, <c>radiogw run</c> serving a
/// motorola-control-station profile on 127.0.0.1, <c>radiogw simulate-station</c> with the same profile (its radios on
/// CAI network 127), and <c>radiogw send</c> as the central system.
/// </summary>
public sealed class MotorolaControlStationEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-motorola-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<(int ExitCode, string Output)> SendAsync(MosquittoBroker broker, params string[] arguments) =>
        GatewayProcess.SendAsync(broker, Patience, arguments);

    private static int[] FreeUdpPorts(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ => UdpServiceSocket.Bind(IPAddress.Loopback, 0, "probe")).ToList();
        var ports = sockets.Select(s => s.LocalEndPoint.Port).ToArray();
        sockets.ForEach(s => s.Dispose());
        return ports;
    }

    [Fact]
    public async Task Registrations_positions_texts_and_commands_flow_through_a_simulated_control_station()
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var registrations = broker.Subscribe("radiogw/v1/e2e/events/registration");
        using var positions = broker.Subscribe("radiogw/v1/e2e/events/position");
        using var texts = broker.Subscribe("radiogw/v1/e2e/events/text");
        await broker.WaitForSubscriberAsync();
        var ports = FreeUdpPorts(3);
        var profile = Path.Combine(_directory, "station.json");
        await File.WriteAllTextAsync(profile, $$"""
            {
              "kind": "motorola-control-station",
              "id": "e2e-loopback",
              "network": { "localAddress": "127.0.0.1", "caiNetwork": 127, "groupNetwork": 127 },
              "services": { "arsPort": {{ports[0]}}, "lrrpPort": {{ports[1]}}, "tmsPort": {{ports[2]}} }
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
              "Radios": [ { "Name": "cs1", "Profile": "{{profile}}" } ]
            }
            """);
        using var gateway = GatewayProcess.Start("run", "--config", config);
        await gateway.WaitForLineAsync(l => l.Contains("MOTOTRBO control station served on 127.0.0.1", StringComparison.Ordinal), Patience);

        // Two radios register, four report positions (one in each hemisphere), one sends a Persian text, one leaves.
        var second = TimeSpan.FromSeconds(1);
        var scenario = Path.Combine(_directory, "scenario.json");
        await File.WriteAllTextAsync(scenario, new Scenario("control-station", [], Data:
        [
            new ScenarioData(second, 1, "ars-register", 3120101, Scenario.DispatcherId),
            new ScenarioData(second * 1.2, 1, "ars-register", 3120102, Scenario.DispatcherId),
            new ScenarioData(second * 1.4, 1, "lrrp-position", 3120101, Scenario.DispatcherId, Latitude: 35.6892, Longitude: 51.389),
            new ScenarioData(second * 1.6, 1, "lrrp-position", 3120105, Scenario.DispatcherId, Latitude: -34.6037, Longitude: -58.3816),
            new ScenarioData(second * 1.8, 1, "lrrp-position", 3120106, Scenario.DispatcherId, Latitude: 38.7223, Longitude: -9.1393),
            new ScenarioData(second * 2.0, 1, "lrrp-position", 3120104, Scenario.DispatcherId, Latitude: -33.8688, Longitude: 151.2093),
            new ScenarioData(second * 2.2, 1, "tms-text", 3120103, Scenario.DispatcherId, Text: "درخواست نیروی کمکی در خیابان ولیعصر"),
            new ScenarioData(second * 2.4, 1, "ars-deregister", 3120102, Scenario.DispatcherId),
        ]).ToJson());
        using var station = GatewayProcess.Start("simulate-station", "--profile", profile, "--scenario", scenario, "--once");

        await registrations.WaitForLineAsync(l => l.Contains("\"unit\":{\"id\":3120101", StringComparison.Ordinal) && l.Contains("\"registered\":true", StringComparison.Ordinal), Patience);
        await registrations.WaitForLineAsync(l => l.Contains("\"unit\":{\"id\":3120102", StringComparison.Ordinal) && l.Contains("\"registered\":false", StringComparison.Ordinal), Patience);
        foreach (var (unit, lat, lon) in new[] { (3120101, "35.68", "51.38"), (3120105, "-34.60", "-58.38"), (3120106, "38.72", "-9.13"), (3120104, "-33.86", "151.20") })
        {
            await positions.WaitForLineAsync(l => l.Contains($"\"unit\":{{\"id\":{unit}", StringComparison.Ordinal) && l.Contains($"\"lat\":{lat}", StringComparison.Ordinal) && l.Contains($"\"lon\":{lon}", StringComparison.Ordinal), Patience);
        }

        await texts.WaitForLineAsync(l => l.Contains("درخواست نیروی کمکی در خیابان ولیعصر", StringComparison.Ordinal), Patience);
        // The gateway answered as the ARS server, acknowledged the text, and tracked the radio that registered until it left.
        await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120101 received ars registration accepted", StringComparison.Ordinal), Patience);
        await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120101 received lrrp TriggeredRequest", StringComparison.Ordinal), Patience);
        await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120102 received lrrp StopRequest", StringComparison.Ordinal), Patience);

        // A Persian text to a radio ends delivered on its TMS acknowledgement.
        var text = await SendAsync(broker, "text", "--to", "3120101", "--text", "به مرکز برگردید، تیم ۱");
        Assert.True(text.ExitCode == 0, text.Output);
        Assert.Contains("\"state\":\"delivered\"", text.Output, StringComparison.Ordinal);
        await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120101 received tms text به مرکز برگردید، تیم ۱", StringComparison.Ordinal), Patience);

        // Locate once, then periodically and stop: each answered by the radio.
        var locate = await SendAsync(broker, "locate", "--unit", "3120104");
        Assert.True(locate.ExitCode == 0, locate.Output);
        await positions.WaitForLineAsync(l => l.Contains("\"unit\":{\"id\":3120104", StringComparison.Ordinal) && l.Contains("\"lat\":35.72", StringComparison.Ordinal), Patience);
        var periodic = await SendAsync(broker, "locate", "--unit", "3120105", "--interval", "30");
        Assert.True(periodic.ExitCode == 0, periodic.Output);
        await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120105 reports its position every 30 s", StringComparison.Ordinal), Patience);
        var stop = await SendAsync(broker, "locate", "--unit", "3120105", "--stop");
        Assert.True(stop.ExitCode == 0, stop.Output);
        await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120105 received lrrp StopRequest", StringComparison.Ordinal), Patience);

        // A silent radio hears the text but never acknowledges it: failed with timeout.
        var silent = await SendAsync(broker, "text", "--to", "3120132", "--text", "سلام");
        Assert.Equal(1, silent.ExitCode);
        Assert.Contains("\"reason\":\"timeout:", silent.Output, StringComparison.Ordinal);
        await station.WaitForLineAsync(l => l.Contains("Simulated radio 3120132 received tms text (silent) سلام", StringComparison.Ordinal), Patience);

        // A radio check is no data service: refused before anything goes out.
        var check = await SendAsync(broker, "radio-check", "--unit", "3120101");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("rejected: a radio check", check.Output, StringComparison.Ordinal);

        await GatewayProcess.StopAsync(gateway, Patience);
    }
}
