using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Calls;
using RadioGateway.Core.Events;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Core.Radio;

namespace RadioGateway.Hosting;

/// <summary>How to reach one base station and what to set on it.</summary>
public sealed record RadioPlan(string RadioId, MmdvmSessionSettings Session, Func<CancellationToken, ValueTask<Stream>> OpenLink, Crc9BitOrder ConfirmedDataCrc9Order = Crc9BitOrder.MsbFirst)
{
    /// <summary>The hardware profile's <c>audio</c> section (recordings, announcements, CAT), if any.</summary>
    public Core.Profiles.AudioProfile? Audio { get; init; }

    /// <summary>The simulated base station's receive audio and transmitter (<c>run --simulate</c>), instead of a sound card.</summary>
    public Simulator.Modem.SimulatedAir? SimulatedAir { get; init; }
}

/// <summary>
/// Runs one MMDVM base station: link supervisor → modem session → DMR receive adapter → call tracker → event sink;
/// the answers radios send go to <paramref name="answers"/>. On stop, running calls are closed with reason <c>shutdown</c>.
/// </summary>
public sealed class RadioWorker(RadioPlan plan, GatewaySettings settings, IEventSink sink, TimeProvider time, ILoggerFactory loggers, RadioAnswerHub answers, ModemTransmitter? transmitter = null, GatewayMetrics? metrics = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var tracker = new CallTracker(settings.Gateway.Id, plan.RadioId, sink, time, loggers.CreateLogger<CallTracker>(), roster: settings.Roster);
        var receiver = new DmrReceiveAdapter(plan.RadioId, plan.Session.Config.ColourCode, tracker, sink, time, loggers.CreateLogger<DmrReceiveAdapter>());
        answers.Listen(receiver);
        receiver.Observer = metrics?.BurstObserver(plan.RadioId);

        var supervisor = new RadioLinkSupervisor(
            plan.RadioId,
            plan.OpenLink,
            (link, ct) => RunSessionAsync(new MmdvmModemSession(plan.Session, receiver, sink, time, loggers.CreateLogger<MmdvmModemSession>()), link, ct),
            tracker.EndAll,
            sink,
            time,
            loggers.CreateLogger<RadioLinkSupervisor>());
        await supervisor.RunAsync(stoppingToken).ConfigureAwait(false);
        tracker.EndAll(CallEndReason.Shutdown);
    }

    /// <summary>Runs one modem session, offering it to the command path while it lasts.</summary>
    private async Task RunSessionAsync(MmdvmModemSession session, Stream link, CancellationToken cancellationToken)
    {
        transmitter?.Attach(session);
        try
        {
            await session.RunAsync(link, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            transmitter?.Detach(session);
        }
    }
}
