using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;

namespace RadioGateway.Hosting;

/// <summary>Registers the gateway's services: store, recorder, radios, uplink. Hosted services stop in reverse order.</summary>
public static class GatewayServices
{
    /// <param name="plans">One factory per base station; resolved when the host builds its services.</param>
    public static void Add(IServiceCollection services, GatewaySettings settings, IReadOnlyList<Func<IServiceProvider, RadioPlan>> plans)
    {
        services.AddSingleton(sp => GatewayStore.Open(settings.DataDirectory, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EventRecorder(
            sp.GetRequiredService<GatewayStore>(),
            sp.GetRequiredService<ILogger<EventRecorder>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<EventConsoleLog>();
        services.AddSingleton<IEventSink, GatewayEventPipeline>();
        services.AddHostedService<JournalService>();
        if (!string.IsNullOrEmpty(settings.Mqtt.Broker))
        {
            services.AddHostedService<MqttUplinkService>();
        }
        foreach (var plan in plans)
        {
            services.AddSingleton<IHostedService>(sp => new RadioWorker(
                plan(sp),
                settings,
                sp.GetRequiredService<IEventSink>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>()));
        }
    }
}
