using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Commands;
using RadioGateway.Core.ControlStations.Hytera;
using RadioGateway.Core.Events;

namespace RadioGateway.Hosting.ControlStations;

/// <summary>Builds the served Hytera control stations of <c>hytera-control-station</c> profiles.</summary>
public static class HyteraStations
{
    /// <summary>The HRNP session settings of a <c>hytera-control-station</c> profile.</summary>
    public static HyteraStationSettings Settings(ControlStationPlan plan, GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(settings);
        var hytera = plan.Profile.Hytera ?? throw new InvalidOperationException($"{plan.Name} is a {plan.Profile.Kind}, not a Hytera control station");
        return new HyteraStationSettings
        {
            RadioId = plan.Name,
            RadioAddress = plan.Profile.Network!.RadioAddress!,
            HrnpPort = hytera.HrnpPort,
            RadioSubnet = hytera.RadioSubnet,
            DispatcherId = (uint)settings.Gateway.RadioId,
            TrackingInterval = TimeSpan.FromSeconds(settings.Tracking.IntervalSeconds),
            TxTimeout = TimeSpan.FromSeconds(plan.Profile.TxTimeoutSeconds),
        };
    }

    public static ServedControlStation Serve(ControlStationPlan plan, GatewaySettings settings, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var station = new HyteraControlStation(
            Settings(plan, settings),
            settings.Roster,
            services.GetRequiredService<IEventSink>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<HyteraControlStation>>(),
            services.GetRequiredService<TransmitLimiter>());
        return new ServedControlStation(plan, new HyteraCommandEncoder(station.Settings), station, station, station.OpenAsync, station.RunAsync);
    }
}

/// <summary><c>run --simulate --radio hytera</c>: the simulated Hytera control station listens on 127.0.0.1 TCP 30007 and the gateway connects to it.</summary>
public static class SimulatedHyteraStation
{
    public const string RadioId = "sim-hytera";

    public const int HrnpPort = 30007;

    public static ControlStationPlan Plan() => new(0, RadioId, new Core.Profiles.ControlStationProfile(
        "simulated-hytera-control-station",
        Core.Profiles.ControlStationProfiles.HyteraKind,
        "Simulated",
        "Hytera control station on loopback",
        TxTimeoutSeconds: 60,
        new Core.Profiles.ControlStationNetwork(System.Net.IPAddress.Loopback, System.Net.IPAddress.Loopback),
        Motorola: null,
        new Core.Profiles.HyteraStationProfile(HrnpPort, RadioSubnet: 10),
        Kenwood: null), Port: null);
}
