using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Adapters.Aprs;
using RadioGateway.Core.Events;

namespace RadioGateway.Hosting;

/// <summary>
/// Keeps a KISS TCP connection to Direwolf (<c>Aprs:KissTcp</c>) and turns what it hears into position and text
/// events; reconnects with the link supervisor's backoff, reporting the link as radio <c>aprs</c>.
/// </summary>
public sealed class AprsService(GatewaySettings settings, IEventSink sink, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    public const string RadioId = "aprs";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (host, port) = settings.Audio.Aprs.KissEndpoint ?? throw new InvalidOperationException("Aprs:KissTcp is not set");
        var logger = loggers.CreateLogger<AprsService>();
        var session = new AprsKissSession(new AprsEventMapper(settings.Roster), sink, time, logger);
        var supervisor = new RadioLinkSupervisor(
            RadioId,
            async cancellationToken =>
            {
                var client = new TcpClient { NoDelay = true };
                try
                {
                    await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    client.Dispose();
                    throw;
                }

                // The stream owns the socket: disposing it closes the connection.
                return client.GetStream();
            },
            session.RunAsync,
            _ => { },
            sink,
            time,
            logger);
        return supervisor.RunAsync(stoppingToken);
    }
}

/// <summary>Registers the issue-15 services that the settings turn on.</summary>
public static class AudioServices
{
    public static void Add(IServiceCollection services, GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton<CatStatus>();
        services.AddHostedService(sp => sp.GetRequiredService<AnnouncementService>());
        // Recordings stop after the radios (registered later), so the calls they close at stop are recorded.
        services.AddSingleton<CallRecordingService>();
        services.AddHostedService(sp => sp.GetRequiredService<CallRecordingService>());
        services.Replace(ServiceDescriptor.Singleton<IEventSink>(sp => new RecordingEventSink(ActivatorUtilities.CreateInstance<GatewayEventPipeline>(sp), sp.GetRequiredService<CallRecordingService>())));
        if (settings.Audio.Aprs.KissEndpoint is not null)
        {
            services.AddHostedService<AprsService>();
        }
    }
}
