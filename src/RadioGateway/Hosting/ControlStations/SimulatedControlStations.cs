using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Profiles;
using RadioGateway.Simulator.ControlStations;
using RadioGateway.Simulator.Scenarios;

namespace RadioGateway.Hosting.ControlStations;

/// <summary>
/// <c>run --simulate --radio motorola</c>: the gateway serves 127.0.0.1 (ARS 4005, LRRP 4001, TMS 4007) and the
/// simulated control station's radios live at their CAI addresses on network 127 (127.47.155.229 is radio 3120101),
/// so the whole loop runs on loopback without routes.
/// </summary>
public static class SimulatedControlStations
{
    public const string RadioId = "sim-motorola";

    /// <summary>The radio kinds <c>--radio</c> accepts.</summary>
    public static IReadOnlyList<string> RadioKinds { get; } = ["mmdvm", "motorola", "hytera", "kenwood"];

    /// <summary>The simulated control stations <c>--radio</c> asks for (none for <c>mmdvm</c>).</summary>
    /// <exception cref="ConfigurationProblemException">A kind this version does not simulate.</exception>
    public static IReadOnlyList<ControlStationPlan> Plans(string radio) => radio switch
    {
        "mmdvm" => [],
        "motorola" => [MotorolaPlan()],
        "hytera" => [SimulatedHyteraStation.Plan()],
        _ => throw new ConfigurationProblemException([new ConfigurationProblem("--radio", $"'{radio}' is not simulated by this version; use mmdvm, motorola or hytera")]),
    };

    public static ControlStationPlan MotorolaPlan() => new(0, RadioId, new ControlStationProfile(
        "simulated-motorola-control-station",
        ControlStationProfiles.MotorolaKind,
        "Simulated",
        "MOTOTRBO control station on loopback",
        TxTimeoutSeconds: 60,
        new ControlStationNetwork(IPAddress.Loopback, null),
        new MotorolaStationProfile(CaiNetwork: 127, GroupNetwork: 127, ArsPort: 4005, LrrpPort: 4001, TmsPort: 4007, ArsRefreshMinutes: 0),
        Hytera: null,
        Kenwood: null), Port: null);

    /// <summary>Runs the simulated station (the default busy-hour scenario's data, looping) beside the gateway.</summary>
    public static void AddMotorola(IServiceCollection services) =>
        services.AddSingleton<IHostedService>(sp => new SimulatedStationService(new SimulatedMotorolaControlStation(
            Scenario.Default(seed: Environment.TickCount),
            new SimulatedMotorolaOptions(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SimulatedMotorolaControlStation>>())));

    /// <summary>Runs the simulated Hytera station (the default busy-hour scenario's data, looping) beside the gateway.</summary>
    public static void AddHytera(IServiceCollection services) =>
        services.AddSingleton<IHostedService>(sp => new SimulatedStationService(new SimulatedHyteraControlStation(
            Scenario.Default(seed: Environment.TickCount),
            new SimulatedHyteraOptions { HrnpPort = SimulatedHyteraStation.HrnpPort },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SimulatedHyteraControlStation>>()).RunAsync));

    private sealed class SimulatedStationService(Func<CancellationToken, Task> run) : BackgroundService
    {
        public SimulatedStationService(SimulatedMotorolaControlStation station)
            : this(station.RunAsync)
        {
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await run(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // stopping
            }
        }
    }
}
