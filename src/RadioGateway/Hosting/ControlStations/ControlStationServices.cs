using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Commands;
using RadioGateway.Core.ControlStations;
using RadioGateway.Core.ControlStations.Motorola;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;

namespace RadioGateway.Hosting.ControlStations;

/// <summary>One served control station, whatever its kind: how commands are encoded and sent through it, where its answers are heard, and how its link is opened and served.</summary>
public sealed record ServedControlStation(
    ControlStationPlan Plan,
    ICommandEncoder Encoder,
    IDatagramTransmitter Transmitter,
    IRadioAnswers Answers,
    Func<CancellationToken, ValueTask<IAsyncDisposable>> Open,
    Func<IAsyncDisposable, CancellationToken, Task> Run);

/// <summary>The control stations of this gateway, built once so the command path and their workers share them.</summary>
public sealed class ControlStationHub(IReadOnlyList<ServedControlStation> stations)
{
    public IReadOnlyList<ServedControlStation> Stations => stations;

    /// <summary>The station commands go through: the one that is <c>Radios:0</c>, or the first when no modem is configured.</summary>
    public ServedControlStation? CommandStation(int modemCount) =>
        stations.FirstOrDefault(s => s.Plan.Index == 0) ?? (modemCount == 0 ? stations.FirstOrDefault() : null);
}

/// <summary>Registers the control stations and one supervised worker per station.</summary>
public static class ControlStationServices
{
    /// <param name="simulated">The plans are simulated stations: run the simulated radios beside them.</param>
    public static void Add(IServiceCollection services, GatewaySettings settings, IReadOnlyList<ControlStationPlan> plans, bool simulated = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(plans);
        if (simulated && plans.Any(p => p.Profile.Motorola is not null))
        {
            SimulatedControlStations.AddMotorola(services);
        }

        if (simulated && plans.Any(p => p.Profile.Hytera is not null))
        {
            SimulatedControlStations.AddHytera(services);
        }

        services.AddSingleton(new ControlStationRadios([.. plans.Select(p => p.Name)]));
        var kenwood = plans.Where(p => p.Profile.Kenwood is not null).ToList();
        plans = plans.Where(p => p.Profile.Motorola is not null || p.Profile.Hytera is not null).ToList();
        foreach (var radio in kenwood)
        {
            services.AddSingleton<IHostedService>(sp => new KenwoodWorker(radio, settings, sp.GetRequiredService<IEventSink>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        }

        services.AddSingleton(sp => new ControlStationHub(plans.Select(plan => plan.Profile.Hytera is not null
            ? HyteraStations.Serve(plan, settings, sp)
            : Motorola(plan, new MotorolaControlStation(
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
                sp.GetRequiredService<ControlStationHub>().Stations[station],
                sp.GetRequiredService<IEventSink>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<RadioAnswerHub>()));
        }
    }

    internal static ServedControlStation Motorola(ControlStationPlan plan, MotorolaControlStation station) =>
        new(plan, new MotorolaCommandEncoder(station.Settings), station, station, station.OpenAsync, station.RunAsync);
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
public sealed class ControlStationWorker(ServedControlStation station, IEventSink sink, TimeProvider time, ILoggerFactory loggers, RadioAnswerHub answers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        answers.Listen(station.Answers);
        var supervisor = new RadioLinkSupervisor(
            station.Plan.Name,
            station.Open,
            station.Run,
            // A control station reports data services only: no calls to end.
            _ => { },
            sink,
            time,
            loggers.CreateLogger<RadioLinkSupervisor>());
        await supervisor.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
