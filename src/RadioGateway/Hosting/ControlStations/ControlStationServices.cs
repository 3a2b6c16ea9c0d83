using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Commands;
using RadioGateway.Core.ControlStations.Motorola;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;

namespace RadioGateway.Hosting.ControlStations;

/// <summary>The control stations of this gateway, built once so the command path and their workers share them.</summary>
public sealed class ControlStationHub(IReadOnlyList<(ControlStationPlan Plan, MotorolaControlStation Station)> stations)
{
    public IReadOnlyList<(ControlStationPlan Plan, MotorolaControlStation Station)> Stations => stations;

    /// <summary>The station commands go through: the one that is <c>Radios:0</c>, or the first when no modem is configured.</summary>
    public MotorolaControlStation? CommandStation(int modemCount) =>
        stations.FirstOrDefault(s => s.Plan.Index == 0).Station ?? (modemCount == 0 ? stations.FirstOrDefault().Station : null);
}

/// <summary>Registers the control stations and one supervised worker per station.</summary>
public static class ControlStationServices
{
    /// <param name="simulated">The plans are simulated stations: run the simulated radios beside them.</param>
    public static void Add(IServiceCollection services, GatewaySettings settings, IReadOnlyList<ControlStationPlan> plans, bool simulated = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(plans);
        if (simulated && plans.Count > 0)
        {
            SimulatedControlStations.AddMotorola(services);
        }

        services.AddSingleton(new ControlStationRadios([.. plans.Select(p => p.Name)]));
        var kenwood = plans.Where(p => p.Profile.Kenwood is not null).ToList();
        plans = plans.Where(p => p.Profile.Motorola is not null).ToList();
        foreach (var radio in kenwood)
        {
            services.AddSingleton<IHostedService>(sp => new KenwoodWorker(radio, settings, sp.GetRequiredService<IEventSink>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        }

        services.AddSingleton(sp => new ControlStationHub(plans.Select(plan => (plan, new MotorolaControlStation(
            plan.MotorolaSettings(settings),
            settings.Roster,
            sp.GetRequiredService<IEventSink>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MotorolaControlStation>>(),
            sp.GetRequiredService<TransmitLimiter>()))).ToList()));
        for (var index = 0; index < plans.Count; index++)
        {
            var station = index;
            services.AddSingleton<IHostedService>(sp => new ControlStationWorker(
                sp.GetRequiredService<ControlStationHub>().Stations[station].Station,
                sp.GetRequiredService<IEventSink>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<RadioAnswerHub>()));
        }
    }
}

/// <summary>Keeps a Kenwood base radio's serial line open (reopened with backoff when it fails) and reads its positions.</summary>
public sealed class KenwoodWorker(ControlStationPlan plan, GatewaySettings settings, IEventSink sink, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var serial = ControlStationPlans.KenwoodSerial(plan.Port!, plan.Profile.Kenwood!);
        var session = new Core.ControlStations.Kenwood.KenwoodSerialSession(plan.Name, settings.Roster, sink, time, loggers.CreateLogger<Core.ControlStations.Kenwood.KenwoodSerialSession>());
        var supervisor = new RadioLinkSupervisor(
            plan.Name,
            _ => ValueTask.FromResult(Transport.Serial.SerialPortFactory.Open(serial)),
            session.RunAsync,
            _ => { },
            sink,
            time,
            loggers.CreateLogger<RadioLinkSupervisor>());
        await supervisor.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}

/// <summary>Keeps one control station served: binds its ports, serves them, and on failure marks the link down and rebinds with backoff.</summary>
public sealed class ControlStationWorker(MotorolaControlStation station, IEventSink sink, TimeProvider time, ILoggerFactory loggers, RadioAnswerHub answers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        answers.Listen(station);
        var supervisor = new RadioLinkSupervisor(
            station.Settings.RadioId,
            station.OpenAsync,
            station.RunAsync,
            // A control station reports data services only: no calls to end.
            _ => { },
            sink,
            time,
            loggers.CreateLogger<RadioLinkSupervisor>());
        await supervisor.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
