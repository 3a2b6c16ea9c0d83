using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;

namespace RadioGateway.Hosting;

/// <summary>One radio's modem link as the gateway last saw it.</summary>
public sealed record RadioLinkHealth(string Radio, bool LinkUp, DateTimeOffset? Since, string? Detail);

/// <summary>The uplink: configured or not, connected or not.</summary>
public sealed record UplinkHealth(bool Configured, bool Connected, string Broker);

/// <summary>Ready when every radio's link is up, the uplink (if configured) is connected and the journal writes.</summary>
/// <param name="Reasons">Why it is not ready; empty when it is.</param>
public sealed record HealthReport(bool Ready, IReadOnlyList<string> Reasons, IReadOnlyList<RadioLinkHealth> Radios, UplinkHealth Uplink);

/// <summary>
/// The gateway's health, from the modem link events on the event pipeline and the live services; shared by
/// <c>/healthz</c>, the status file <c>radiogw status</c> reads, and the systemd watchdog.
/// </summary>
public sealed class GatewayHealth(GatewaySettings settings, IReadOnlyList<RadioPlan> plans, EventRecorder recorder, IServiceProvider services)
{
    private readonly Dictionary<string, RadioLinkHealth> _links = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Follows modem link changes.</summary>
    public void Observe(DomainEvent domainEvent)
    {
        if (domainEvent is ModemStatusChanged modem)
        {
            lock (_gate)
            {
                _links[modem.RadioId] = new RadioLinkHealth(modem.RadioId, modem.LinkUp, modem.Time, modem.Description ?? modem.Detail);
            }
        }
    }

    public HealthReport Evaluate()
    {
        var reasons = new List<string>();
        var radios = new List<RadioLinkHealth>();
        lock (_gate)
        {
            // Control stations report their links with the same modem events.
            var controlStations = services.GetService<ControlStations.ControlStationRadios>()?.Names ?? [];
            foreach (var radioId in plans.Select(p => p.RadioId).Concat(controlStations))
            {
                var link = _links.GetValueOrDefault(radioId) ?? new RadioLinkHealth(radioId, false, null, "not up yet");
                radios.Add(link);
                if (!link.LinkUp)
                {
                    reasons.Add($"modem link of radio {radioId} is down ({link.Detail})");
                }
            }
        }

        var uplinkService = services.GetServices<IHostedService>().OfType<MqttUplinkService>().FirstOrDefault();
        var uplink = new UplinkHealth(uplinkService is not null, uplinkService?.IsConnected ?? false, settings.Mqtt.Broker);
        if (uplink.Configured && !uplink.Connected)
        {
            reasons.Add($"uplink to {settings.Mqtt.Broker} is not connected");
        }

        if (recorder.PersistentFailure.IsCompleted)
        {
            reasons.Add("journal writes are failing");
        }

        return new HealthReport(reasons.Count == 0, reasons, radios, uplink);
    }

    /// <summary>
    /// True while the loops the gateway lives by still run: every radio worker and the journal's writer. A link that
    /// is down but being reopened is alive; a loop that ended or a journal that refuses writes is not.
    /// </summary>
    public bool LoopsAlive(out string? reason)
    {
        foreach (var worker in services.GetServices<IHostedService>().OfType<BackgroundService>().Where(w => w is RadioWorker or ControlStations.ControlStationWorker or ControlStations.KenwoodWorker))
        {
            if (worker.ExecuteTask is { IsCompleted: true })
            {
                reason = "a radio loop has ended";
                return false;
            }
        }

        if (recorder.PersistentFailure.IsCompleted)
        {
            reason = "journal writes are failing";
            return false;
        }

        reason = null;
        return true;
    }
}
