using RadioGateway.Simulator.Scenarios;
using RadioGateway.Testing;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// A Kenwood base radio on serial end to end with real programs: mosquitto, a socat pty pair as the data cable,
/// <c>radiogw simulate-station</c> writing FleetSync <c>$PKLSH</c> sentences, and <c>radiogw run</c> with a
/// kenwood-serial profile; the cable is pulled and plugged back.
/// </summary>
public sealed class KenwoodSerialEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-kenwood-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> ScenarioAsync(string name, params (uint Unit, double Latitude, double Longitude)[] positions)
    {
        var path = Path.Combine(_directory, name + ".json");
        await File.WriteAllTextAsync(path, new Scenario(name, [], Data: positions.Select((p, i) =>
            new ScenarioData(TimeSpan.FromSeconds(0.5 + (i * 0.2)), 1, "lrrp-position", p.Unit, Scenario.DispatcherId, Latitude: p.Latitude, Longitude: p.Longitude)).ToList()).ToJson());
        return path;
    }

    [Fact]
    public async Task Positions_in_every_hemisphere_arrive_and_the_line_recovers_after_the_cable_is_pulled()
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var positions = broker.Subscribe("radiogw/v1/e2e/events/position");
        using var modem = broker.Subscribe("radiogw/v1/e2e/events/modem");
        await broker.WaitForSubscriberAsync();
        var cable = Path.Combine(_directory, "cable");
        Directory.CreateDirectory(cable);
        var pair = await SocatPtyPair.StartAsync(cable);
        try
        {
            var profile = Path.Combine(_directory, "kenwood.json");
            await File.WriteAllTextAsync(profile, """
                { "kind": "kenwood-serial", "id": "kw", "transport": { "kind": "serial", "baudRate": 9600 } }
                """);
            var config = Path.Combine(_directory, "radiogw.json");
            await File.WriteAllTextAsync(config, $$"""
                {
                  "Gateway": { "Id": "e2e", "DataDirectory": "{{Path.Combine(_directory, "data")}}" },
                  "Mqtt": { "Broker": "{{broker.Uri}}" },
                  "Console": { "Urls": "" },
                  "Radios": [ { "Name": "kw1", "Profile": "{{profile}}", "Port": "{{pair.GatewayEnd}}" } ]
                }
                """);
            using var gateway = GatewayProcess.Start("run", "--config", config);
            await modem.WaitForLineAsync(l => l.Contains("\"linkUp\":true", StringComparison.Ordinal), Patience);

            var first = await ScenarioAsync("first", (3120101, 35.6892, 51.389), (3120105, -34.6037, -58.3816), (3120106, 38.7223, -9.1393), (3120104, -33.8688, 151.2093));
            using (var radio = GatewayProcess.Start("simulate-station", "--profile", profile, "--serial", pair.DeviceEnd, "--scenario", first, "--once"))
            {
                foreach (var (unit, lat, lon) in new[] { (3120101, "35.68", "51.38"), (3120105, "-34.60", "-58.38"), (3120106, "38.72", "-9.13"), (3120104, "-33.86", "151.20") })
                {
                    await positions.WaitForLineAsync(l => l.Contains($"\"unit\":{{\"id\":{unit}", StringComparison.Ordinal) && l.Contains($"\"lat\":{lat}", StringComparison.Ordinal) && l.Contains($"\"lon\":{lon}", StringComparison.Ordinal) && l.Contains("\"via\":\"kenwood-nmea\"", StringComparison.Ordinal), Patience);
                }

                // The cable is pulled: the gateway marks the link down.
                pair.Cut();
                await modem.WaitForLineAsync(l => l.Contains("\"linkUp\":false", StringComparison.Ordinal), Patience);
            }

            // Plugged back at the same device path: the gateway reopens it and reads again.
            pair.Dispose();
            pair = await SocatPtyPair.StartAsync(cable);
            var again = await ScenarioAsync("again", (3120102, 36.2605, 59.6168));
            using var back = GatewayProcess.Start("simulate-station", "--profile", profile, "--serial", pair.DeviceEnd, "--scenario", again);
            await positions.WaitForLineAsync(l => l.Contains("\"unit\":{\"id\":3120102", StringComparison.Ordinal) && l.Contains("\"lat\":36.26", StringComparison.Ordinal), Patience);
            await GatewayProcess.StopAsync(gateway, Patience);
        }
        finally
        {
            pair.Dispose();
        }
    }
}
