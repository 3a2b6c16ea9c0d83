using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Store;

namespace RadioGateway.Hosting;

/// <summary>Runs <see cref="JournalHousekeeping"/> on its own timer, on a pool thread: never on the radio path.</summary>
public sealed class JournalHousekeepingService(GatewayStore store, GatewaySettings settings, TimeProvider time, ILogger<JournalHousekeeping> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Run(() => new JournalHousekeeping(store, settings.Journal, time, logger).RunAsync(stoppingToken), stoppingToken);
}
