using System.Diagnostics.Metrics;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Events;
using RadioGateway.Core.Store;
using RadioGateway.Protocols.Dmr.Air;

namespace RadioGateway.Hosting;

/// <summary>
/// The gateway's metrics (System.Diagnostics.Metrics, meter <see cref="MeterName"/>), named <c>radiogw_*</c> as
/// Prometheus shows them. Counted at the existing seams: the event pipeline (calls, positions, texts, link changes),
/// the receive adapter's slot observer (bursts, FEC), the uplink (publish latency, reconnects); read from the store
/// when scraped (outbox backlog, commands by state), so they always agree with it.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "RadioGateway";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _bursts;
    private readonly Counter<long> _fecCorrectedBits;
    private readonly Counter<long> _undecodableBursts;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _positions;
    private readonly Counter<long> _texts;
    private readonly Counter<long> _uplinkReconnects;
    private readonly Counter<long> _serialReopens;
    private readonly Histogram<double> _publishLatency;
    private readonly Dictionary<string, bool> _linkUp = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _uplinkConnections;

    public GatewayMetrics(GatewayStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _bursts = _meter.CreateCounter<long>("radiogw_bursts", description: "DMR bursts received, per radio and slot");
        _fecCorrectedBits = _meter.CreateCounter<long>("radiogw_fec_corrected_bits", description: "Bit errors corrected by FEC, per radio and slot");
        _undecodableBursts = _meter.CreateCounter<long>("radiogw_undecodable_bursts", description: "Bursts FEC could not decode, per radio and slot");
        _calls = _meter.CreateCounter<long>("radiogw_calls", description: "Calls started");
        _positions = _meter.CreateCounter<long>("radiogw_positions", description: "Positions reported");
        _texts = _meter.CreateCounter<long>("radiogw_texts", description: "Text messages received");
        _uplinkReconnects = _meter.CreateCounter<long>("radiogw_uplink_reconnects", description: "Broker connections made again after the first");
        _serialReopens = _meter.CreateCounter<long>("radiogw_serial_reopens", description: "Modem links brought up again after they went down, per radio");
        _publishLatency = _meter.CreateHistogram<double>("radiogw_publish_latency", unit: "s", description: "Time from publishing an event to the broker's acknowledgement",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _meter.CreateObservableGauge("radiogw_outbox_backlog", () => store.GetBacklog().Count, description: "Events waiting in the outbox");
        _meter.CreateObservableGauge("radiogw_outbox_oldest_age", () => store.GetBacklog().OldestEnqueuedAt is { } oldest ? (time.GetUtcNow() - oldest).TotalSeconds : 0,
            unit: "s", description: "How long the oldest event in the outbox has waited");
        _meter.CreateObservableGauge("radiogw_commands", () => store.CountCommandsByState().Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key))),
            description: "Downlink commands in the store, by state");
        _meter.CreateObservableGauge("radiogw_modem_link_up", ObserveLinks, description: "1 while a radio's modem link is up");
    }

    /// <summary>Counts what the event pipeline carries.</summary>
    public void Observe(DomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case CallStarted:
                _calls.Add(1);
                break;
            case PositionReported:
                _positions.Add(1);
                break;
            case TextMessageReceived:
                _texts.Add(1);
                break;
            case ModemStatusChanged modem:
                bool reopened;
                lock (_gate)
                {
                    reopened = modem.LinkUp && _linkUp.TryGetValue(modem.RadioId, out var wasUp) && !wasUp;
                    _linkUp[modem.RadioId] = modem.LinkUp;
                }

                if (reopened)
                {
                    _serialReopens.Add(1, new KeyValuePair<string, object?>("radio", modem.RadioId));
                }

                break;
        }
    }

    /// <summary>An observer for one radio's receive adapter: bursts, corrected bits and undecodable bursts per slot.</summary>
    public SlotItemsObserver BurstObserver(string radioId) => (in SlotBurst burst, ReadOnlySpan<SlotItem> items) =>
    {
        var radio = new KeyValuePair<string, object?>("radio", radioId);
        var slot = new KeyValuePair<string, object?>("slot", burst.Slot);
        _bursts.Add(1, radio, slot);
        long corrected = 0;
        foreach (ref readonly var item in items)
        {
            if (item.Kind == SlotItemKind.Damaged)
            {
                _undecodableBursts.Add(1, radio, slot);
            }
            else if (item.BitErrors > 0)
            {
                corrected += item.BitErrors;
            }
        }

        if (corrected > 0)
        {
            _fecCorrectedBits.Add(corrected, radio, slot);
        }
    };

    /// <summary>The broker acknowledged a publish after <paramref name="latency"/>.</summary>
    public void Published(TimeSpan latency) => _publishLatency.Record(latency.TotalSeconds);

    /// <summary>The uplink connected; every connection after the first is a reconnect.</summary>
    public void UplinkConnected()
    {
        if (Interlocked.Increment(ref _uplinkConnections) > 1)
        {
            _uplinkReconnects.Add(1);
        }
    }

    private IEnumerable<Measurement<int>> ObserveLinks()
    {
        lock (_gate)
        {
            return [.. _linkUp.Select(l => new Measurement<int>(l.Value ? 1 : 0, new KeyValuePair<string, object?>("radio", l.Key)))];
        }
    }

    public void Dispose() => _meter.Dispose();
}
