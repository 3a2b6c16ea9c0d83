using System.Net;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Testing;
using RadioGateway.Transport.Ip;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// Three radios of different kinds in one <c>radiogw run</c>, with real programs: an MMDVM modem (<c>radiogw simulate</c>
/// on a socat pty pair), a MOTOTRBO control station on loopback (<c>radiogw simulate-station</c>) and a Kenwood base
/// radio's data port (<c>radiogw simulate-station --serial</c> on a second pty pair), all to one mosquitto. Each radio's
/// link, and what each hears, is named by its radio.
/// </summary>
public sealed class MixedRadiosEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-mixed-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Data => Path.Combine(_directory, "data");

    private static int[] FreeUdpPorts(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ => UdpServiceSocket.Bind(IPAddress.Loopback, 0, "probe")).ToList();
        var ports = sockets.Select(s => s.LocalEndPoint.Port).ToArray();
        sockets.ForEach(s => s.Dispose());
        return ports;
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private static bool Has(string line, params string[] parts) => parts.All(p => line.Contains(p, StringComparison.Ordinal));

    [Fact]
    public async Task An_mmdvm_modem_a_motorola_control_station_and_a_kenwood_radio_serve_one_gateway_each_named_in_its_events()
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var modem = broker.Subscribe("radiogw/v1/e2e/events/modem");
        using var positions = broker.Subscribe("radiogw/v1/e2e/events/position");
        using var calls = broker.Subscribe("radiogw/v1/e2e/events/call");
        using var registrations = broker.Subscribe("radiogw/v1/e2e/events/registration");
        await broker.WaitForSubscriberAsync();
        using var modemCable = await SocatPtyPair.StartAsync();
        using var kenwoodCable = await SocatPtyPair.StartAsync();

        // The MMDVM modem's field radios: a group call and an LRRP position over DMR.
        var dmr = await WriteAsync("dmr.json", new Scenario(
            "mixed-dmr",
            [new ScenarioCall(TimeSpan.FromSeconds(1.5), 1, 3120103, 101, Group: true, TimeSpan.FromMilliseconds(720))],
            Data: [new ScenarioData(TimeSpan.FromSeconds(0.5), 2, "lrrp-position", 3120107, Scenario.DispatcherId, Latitude: 35.6892, Longitude: 51.389)]).ToJson());
        using var simulatedModem = GatewayProcess.Start("simulate", "--serial", modemCable.DeviceEnd, "--scenario", dmr, "--once");
        await simulatedModem.WaitForLineAsync(l => l.Contains("Simulated base station on", StringComparison.Ordinal), Patience);

        var ports = FreeUdpPorts(3);
        var motorola = await WriteAsync("motorola.json", $$"""
            {
              "kind": "motorola-control-station",
              "id": "mixed-motorola",
              "network": { "localAddress": "127.0.0.1", "caiNetwork": 127, "groupNetwork": 127 },
              "services": { "arsPort": {{ports[0]}}, "lrrpPort": {{ports[1]}}, "tmsPort": {{ports[2]}} }
            }
            """);
        var kenwood = await WriteAsync("kenwood.json", """
            { "kind": "kenwood-serial", "id": "mixed-kenwood", "transport": { "kind": "serial", "baudRate": 9600 } }
            """);
        var config = await WriteAsync("radiogw.json", $$"""
            {
              "Gateway": { "Id": "e2e", "RadioId": 3120001, "DataDirectory": "{{Data}}" },
              "Mqtt": { "Broker": "{{broker.Uri}}" },
              "Console": { "Urls": "" },
              "Radios": [
                { "Name": "bs1", "Profile": "{{GatewayProcess.Repository("hardware-profiles", "simulator.json")}}", "Port": "{{modemCable.GatewayEnd}}",
                  "ChannelProfile": "{{GatewayProcess.Repository("hardware-profiles", "channel-plans", "simulator.json")}}" },
                { "Name": "cs1", "Profile": "{{motorola}}" },
                { "Name": "kw1", "Profile": "{{kenwood}}", "Port": "{{kenwoodCable.GatewayEnd}}" }
              ]
            }
            """);
        using var gateway = GatewayProcess.Start("run", "--config", config);
        foreach (var radio in new[] { "bs1", "cs1", "kw1" })
        {
            await modem.WaitForLineAsync(l => Has(l, $"\"radioId\":\"{radio}\"", "\"linkUp\":true"), Patience);
        }

        // The control station's radio registers and reports; the Kenwood radio's unit reports on the serial line.
        var station = await WriteAsync("station.json", new Scenario("mixed-station", [], Data:
        [
            new ScenarioData(TimeSpan.FromSeconds(0.5), 1, "ars-register", 3120101, Scenario.DispatcherId),
            new ScenarioData(TimeSpan.FromSeconds(0.7), 1, "lrrp-position", 3120101, Scenario.DispatcherId, Latitude: -34.6037, Longitude: -58.3816),
        ]).ToJson());
        var serial = await WriteAsync("serial.json", new Scenario("mixed-kenwood", [], Data:
            [new ScenarioData(TimeSpan.FromSeconds(0.5), 1, "lrrp-position", 3120105, Scenario.DispatcherId, Latitude: -33.8688, Longitude: 151.2093)]).ToJson());
        using var simulatedStation = GatewayProcess.Start("simulate-station", "--profile", motorola, "--scenario", station, "--once");
        using var simulatedKenwood = GatewayProcess.Start("simulate-station", "--profile", kenwood, "--serial", kenwoodCable.DeviceEnd, "--scenario", serial, "--once");

        await positions.WaitForLineAsync(l => Has(l, "\"unit\":{\"id\":3120107", "\"lat\":35.68", "\"via\":\"lrrp\"", "\"radioId\":\"bs1\""), Patience);
        await positions.WaitForLineAsync(l => Has(l, "\"unit\":{\"id\":3120101", "\"lat\":-34.60", "\"via\":\"lrrp\"", "\"radioId\":\"cs1\""), Patience);
        await positions.WaitForLineAsync(l => Has(l, "\"unit\":{\"id\":3120105", "\"lat\":-33.86", "\"via\":\"kenwood-nmea\"", "\"radioId\":\"kw1\""), Patience);
        await calls.WaitForLineAsync(l => Has(l, "\"radioId\":\"bs1\"", "3120103"), Patience);
        await registrations.WaitForLineAsync(l => Has(l, "\"unit\":{\"id\":3120101", "\"registered\":true"), Patience);

        await GatewayProcess.StopAsync(gateway, Patience);
        Assert.Equal(0, gateway.Process.ExitCode);
    }
}
