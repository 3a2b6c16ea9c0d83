using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;

namespace RadioGateway.Hosting;

/// <summary>Registers the gateway's services: store, recorder, radios, uplink. Hosted services stop in reverse order.</summary>
public static class GatewayServices
{
    public static void Add(IServiceCollection services, GatewaySettings settings, bool simulate)
    {
        services.AddSingleton(sp => GatewayStore.Open(settings.DataDirectory, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EventRecorder(
            sp.GetRequiredService<GatewayStore>(),
            sp.GetRequiredService<ILogger<EventRecorder>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<EventConsoleLog>();
        services.AddSingleton<IEventSink, GatewayEventPipeline>();
        services.AddHostedService<JournalService>();
        if (simulate)
        {
            services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => new RadioWorker(
                SimulatedBaseStation.Plan(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()),
                settings,
                sp.GetRequiredService<IEventSink>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>()));
        }
    }
}
