using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Calls;
using RadioGateway.Core.Events;

namespace RadioGateway.Hosting;

/// <summary>How to reach one base station and what to set on it.</summary>
public sealed record RadioPlan(string RadioId, MmdvmSessionSettings Session, Func<CancellationToken, ValueTask<Stream>> OpenLink);

/// <summary>
/// Runs one MMDVM base station: link supervisor → modem session → DMR decoder → call tracker → event sink.
/// On stop, running calls are closed with reason <c>shutdown</c>.
/// </summary>
public sealed class RadioWorker(RadioPlan plan, GatewaySettings settings, IEventSink sink, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var tracker = new CallTracker(settings.Gateway.Id, plan.RadioId, sink, time, loggers.CreateLogger<CallTracker>());
        var decoder = new DmrFrameDecoder(plan.RadioId, plan.Session.Config.ColourCode, tracker, sink, time, loggers.CreateLogger<DmrFrameDecoder>(), settings.Roster);
        var supervisor = new RadioLinkSupervisor(
            plan.RadioId,
            plan.OpenLink,
            (link, ct) => new MmdvmModemSession(plan.Session, decoder, sink, time, loggers.CreateLogger<MmdvmModemSession>()).RunAsync(link, ct),
            tracker.EndAll,
            sink,
            time,
            loggers.CreateLogger<RadioLinkSupervisor>());
        await supervisor.RunAsync(stoppingToken).ConfigureAwait(false);
        tracker.EndAll(CallEndReason.Shutdown);
    }
}
