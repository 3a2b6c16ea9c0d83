using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Outbox;
using RadioGateway.Core.Store;
using RadioGateway.Core.Radio;

namespace RadioGateway.Hosting;

/// <summary>Registers the gateway's services: store, recorder, commands, uplink, radios. Hosted services stop in reverse order.</summary>
public static class GatewayServices
{
    /// <param name="plans">One factory per base station; resolved when the host builds its services.</param>
    public static void Add(IServiceCollection services, GatewaySettings settings, IReadOnlyList<Func<IServiceProvider, RadioPlan>> plans)
    {
        services.TryAddSingleton(sp => GatewayStore.Open(settings.DataDirectory, new CloudEventWriter(settings.Gateway.Id, settings.TopicPrefix), sp.GetRequiredService<TimeProvider>()));
        // One database; each user sees the part it owns.
        services.AddSingleton<IJournalWriter>(sp => sp.GetRequiredService<GatewayStore>());
        services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<GatewayStore>());
        services.AddSingleton<ICommandStore>(sp => sp.GetRequiredService<GatewayStore>());
        services.AddSingleton(sp => new EventRecorder(
            sp.GetRequiredService<IJournalWriter>(),
            sp.GetRequiredService<ILogger<EventRecorder>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<EventConsoleLog>();
        services.AddSingleton<OperatorConsole.ConsoleEventHub>();
        // The meter provider listens before the first measurement, so /metrics counts from the start.
        services.AddSingleton(_ => HealthEndpoints.CreateMeterProvider());
        services.AddSingleton(sp =>
        {
            _ = sp.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>();
            return new GatewayMetrics(sp.GetRequiredService<GatewayStore>(), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<GatewayHealth>();
        services.AddSingleton<IEventSink, GatewayEventPipeline>();
        services.AddHostedService<JournalService>();
        services.AddHostedService<JournalHousekeepingService>();
        services.AddHostedService<GatewayStatusFile>();
        services.AddHostedService<SystemdWatchdog>();
        services.AddSingleton<IReadOnlyList<RadioPlan>>(sp => plans.Select(plan => plan(sp)).ToList());
        services.AddSingleton<ModemTransmitter>();
        services.AddSingleton<RadioAnswerHub>();
        // The one limiter of every transmission: data commands, announcements, and a control station's own answers and tracking requests.
        services.AddSingleton(sp => new TransmitLimiter(
            new TransmitLimits { MaxPerUnitPerMinute = settings.Commands.MaxPerUnitPerMinute, MaxPerMinute = settings.Commands.MaxPerMinute, MaxDutyCycle = settings.Commands.MaxDutyCyclePercent / 100.0 },
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AnnouncementService>();
        services.AddSingleton<CommandService>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandService>());
        if (!string.IsNullOrEmpty(settings.Mqtt.Broker))
        {
            services.AddHostedService<MqttUplinkService>();
        }

        OperatorConsole.ConsoleWebService.Add(services, settings);
        AudioServices.Add(services, settings);
        for (var index = 0; index < plans.Count; index++)
        {
            var radio = index;
            services.AddSingleton<IHostedService>(sp => new RadioWorker(
                sp.GetRequiredService<IReadOnlyList<RadioPlan>>()[radio],
                settings,
                sp.GetRequiredService<IEventSink>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<RadioAnswerHub>(),
                radio == 0 ? sp.GetRequiredService<ModemTransmitter>() : null,
                sp.GetRequiredService<GatewayMetrics>()));
        }
    }
}
