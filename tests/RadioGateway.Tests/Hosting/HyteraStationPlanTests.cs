using System.Net;
using Microsoft.Extensions.Configuration;
using RadioGateway.Hosting;
using RadioGateway.Hosting.ControlStations;

namespace RadioGateway.Tests.Hosting;

/// <summary>A <c>hytera-control-station</c> radio in <c>Radios</c> is planned and served (it was refused before this version).</summary>
public sealed class HyteraStationPlanTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-hytera-plan-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private GatewaySettings Load(int dispatcherId)
    {
        var profile = Path.Combine(_directory, "hytera.json");
        File.WriteAllText(profile, """
            {
              "kind": "hytera-control-station",
              "id": "desk",
              "network": { "localAddress": "192.168.10.2", "radioAddress": "192.168.10.1", "radioSubnet": 12 },
              "services": { "hrnpPort": 30007 },
              "capabilities": { "txTimeoutSeconds": 45 }
            }
            """);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(GatewayConfiguration.Defaults)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:RadioId"] = dispatcherId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Tracking:IntervalSeconds"] = "60",
                ["Radios:0:Name"] = "hy1",
                ["Radios:0:Profile"] = profile,
            })
            .Build();
        return GatewaySettingsLoader.Load(configuration, configFile: null);
    }

    [Fact]
    public void A_hytera_profile_becomes_a_station_with_its_address_port_subnet_and_watchdog()
    {
        var settings = Load(3120001);

        var plan = Assert.Single(ControlStationPlans.FromSettings(settings));
        var station = HyteraStations.Settings(plan, settings);

        Assert.Equal(("hy1", IPAddress.Parse("192.168.10.1"), 30007, (byte)12), (station.RadioId, station.RadioAddress, station.HrnpPort, station.RadioSubnet));
        Assert.Equal((3120001u, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(45)), (station.DispatcherId, station.TrackingInterval, station.TxTimeout));
    }

    [Fact]
    public void Without_a_dispatcher_radio_id_the_gateway_refuses_to_start_naming_the_key()
    {
        var problems = Assert.Throws<ConfigurationProblemException>(() => ControlStationPlans.FromSettings(Load(0))).Problems;

        var problem = Assert.Single(problems);
        Assert.Equal("Gateway:RadioId", problem.Key);
        Assert.Contains("hytera-control-station needs the dispatcher's radio id", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_simulate_radio_hytera_plans_the_loopback_station_and_kenwood_is_still_refused()
    {
        var plan = Assert.Single(SimulatedControlStations.Plans("hytera"));
        Assert.Equal((SimulatedHyteraStation.RadioId, IPAddress.Loopback, SimulatedHyteraStation.HrnpPort), (plan.Name, plan.Profile.Network!.RadioAddress, plan.Profile.Hytera!.HrnpPort));

        var refused = Assert.Throws<ConfigurationProblemException>(() => SimulatedControlStations.Plans("kenwood"));
        Assert.Contains("use mmdvm, motorola or hytera", Assert.Single(refused.Problems).Message, StringComparison.Ordinal);
    }
}
