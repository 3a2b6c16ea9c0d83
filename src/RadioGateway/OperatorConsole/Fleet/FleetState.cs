using System.Text.Json;
using RadioGateway.Core.Journal;

namespace RadioGateway.OperatorConsole.Fleet;

/// <summary>One gateway as the central broker shows it: its retained status and when it was last heard from.</summary>
public sealed record FleetGateway(string Id, bool Online, DateTimeOffset LastSeen, JsonElement? Status, long Events);

/// <summary>One event in the fleet view: as the first gateway relayed it, and every gateway that relayed the same id.</summary>
public sealed record FleetEvent(JournalEvent Event, string Gateway, IReadOnlyList<string> HeardBy);

/// <summary>What <see cref="FleetState.Receive"/> made of a message.</summary>
public enum FleetReceipt
{
    /// <summary>First time this CloudEvents id arrived: show it.</summary>
    New,

    /// <summary>Another gateway relayed an id already shown (two centres heard one beacon): counted, not shown again.</summary>
    Duplicate,

    /// <summary>Not a CloudEvents 1.0 message the view can use; the reason says what and where.</summary>
    Invalid,
}

/// <summary>
/// The fleet view's memory of what the gateways relayed through the central broker, without I/O: events kept once per
/// CloudEvents id (DESIGN.md: the id of a beacon is derived from unit, fix time and content, not from the gateway, so
/// two centres hearing it give one id), bounded by count and by age since arrival; the gateways' retained status; and which gateway
/// last heard each unit, so a command goes out where the unit can hear it.
/// </summary>
public sealed class FleetState(TimeProvider time, int capacity = FleetState.DefaultCapacity, TimeSpan? window = null)
{
    public const int DefaultCapacity = 20_000;

    /// <summary>Larger messages are refused before parsing (a gateway's largest event is a few KiB).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private const int MaxIdLength = 256;
    private readonly TimeSpan _window = window ?? TimeSpan.FromHours(24);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _events = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = [];
    private readonly Dictionary<string, FleetGateway> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, string> _lastHeardBy = [];

    /// <summary>Takes a gateway's retained <c>status</c> (birth, refresh, or the offline Will).</summary>
    public string? Status(string gatewayId, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxMessageBytes)
        {
            return $"status of '{gatewayId}': {payload.Length} bytes is more than {MaxMessageBytes}";
        }

        JsonElement status;
        try
        {
            status = JsonDocument.Parse(payload.ToArray()).RootElement.Clone();
        }
        catch (JsonException e)
        {
            return $"status of '{gatewayId}': not JSON at byte {e.BytePositionInLine}: {e.Message}";
        }

        var online = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("online", out var flag) && flag.ValueKind == JsonValueKind.True;
        lock (_gate)
        {
            var events = _gateways.TryGetValue(gatewayId, out var known) ? known.Events : 0;
            _gateways[gatewayId] = new FleetGateway(gatewayId, online, time.GetUtcNow(), status, events);
        }

        return null;
    }

    /// <summary>Takes one CloudEvents message a gateway relayed on <c>events/{kind}</c>.</summary>
    public FleetReceipt Receive(string gatewayId, string kind, ReadOnlySpan<byte> payload, out FleetEvent? shown, out string? problem)
    {
        shown = null;
        problem = null;
        if (payload.Length > MaxMessageBytes)
        {
            problem = $"events/{kind} from '{gatewayId}': {payload.Length} bytes is more than {MaxMessageBytes}";
            return FleetReceipt.Invalid;
        }

        JournalEvent parsed;
        uint? heardUnit;
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = $"events/{kind} from '{gatewayId}': not a JSON object";
                return FleetReceipt.Invalid;
            }

            var id = Text(root, "id");
            var type = Text(root, "type");
            var when = Text(root, "time");
            if (Text(root, "specversion") != "1.0" || id is not { Length: > 0 and <= MaxIdLength } || type is null
                || !DateTimeOffset.TryParse(when, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                problem = $"events/{kind} from '{gatewayId}': not a CloudEvents 1.0 event (specversion 1.0, id of 1–{MaxIdLength} characters, type, time and a data object are required)";
                return FleetReceipt.Invalid;
            }

            parsed = new JournalEvent(id, kind, type, Text(root, "subject"), at, data.GetRawText());
            heardUnit = HeardUnit(kind, data);
        }
        catch (JsonException e)
        {
            problem = $"events/{kind} from '{gatewayId}': not JSON at byte {e.BytePositionInLine}: {e.Message}";
            return FleetReceipt.Invalid;
        }

        lock (_gate)
        {
            _gateways[gatewayId] = _gateways.TryGetValue(gatewayId, out var known)
                ? known with { LastSeen = time.GetUtcNow(), Events = known.Events + 1 }
                : new FleetGateway(gatewayId, Online: true, time.GetUtcNow(), Status: null, Events: 1);
            if (heardUnit is { } unit)
            {
                _lastHeardBy[unit] = gatewayId;
            }

            return Insert(parsed, gatewayId, out shown);
        }
    }

    /// <summary>Keeps an event that happened in the fleet view itself (an operator's action or acknowledgement).</summary>
    public FleetEvent Keep(JournalEvent local, string origin)
    {
        lock (_gate)
        {
            Insert(local, origin, out var shown);
            return shown;
        }
    }

    private FleetReceipt Insert(JournalEvent journaled, string gatewayId, out FleetEvent shown)
    {
        Forget(time.GetUtcNow() - _window);
        if (_events.TryGetValue(journaled.Id, out var seen))
        {
            if (!seen.HeardBy.Contains(gatewayId, StringComparer.Ordinal))
            {
                seen.HeardBy.Add(gatewayId);
            }

            shown = seen.Snapshot();
            return FleetReceipt.Duplicate;
        }

        var entry = new Entry(journaled, gatewayId, time.GetUtcNow());
        entry.Node = _order.AddLast(entry);
        _events.Add(journaled.Id, entry);
        while (_events.Count > capacity)
        {
            Remove(_order.First!.Value);
        }

        shown = entry.Snapshot();
        return FleetReceipt.New;
    }

    public IReadOnlyList<FleetGateway> Gateways
    {
        get
        {
            lock (_gate)
            {
                return [.. _gateways.Values.OrderBy(g => g.Id, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The gateway that last relayed something from the unit, or null if none has.</summary>
    public string? LastHeardBy(uint unit)
    {
        lock (_gate)
        {
            return _lastHeardBy.GetValueOrDefault(unit);
        }
    }

    /// <summary>Kept events from <paramref name="since"/> on, oldest first, at most <paramref name="limit"/> (the newest).</summary>
    public IReadOnlyList<FleetEvent> Events(DateTimeOffset since, int limit, string? kind = null)
    {
        lock (_gate)
        {
            var selected = _order.Where(e => e.Event.Time >= since && (kind is null || e.Event.Kind == kind)).Select(e => e.Snapshot()).ToList();
            return selected.Count > limit ? selected[^limit..] : selected;
        }
    }

    /// <summary>The unit an event was heard from (source of a call, sender of a text, the positioned or registering unit).</summary>
    public static uint? HeardUnit(JournalEvent journaled)
    {
        ArgumentNullException.ThrowIfNull(journaled);
        using var document = JsonDocument.Parse(journaled.DataJson);
        return HeardUnit(journaled.Kind, document.RootElement);
    }

    private static uint? HeardUnit(string kind, JsonElement data)
    {
        var holder = kind switch
        {
            "call" => "source",
            "text" => "from",
            "position" or "registration" or "emergency" or "radio-check" => "unit",
            _ => null,
        };
        if (holder is not null && data.TryGetProperty(holder, out var unit) && unit.ValueKind == JsonValueKind.Object
            && unit.TryGetProperty("id", out var id) && id.TryGetUInt32(out var value))
        {
            return value;
        }

        return data.TryGetProperty("sourceId", out var source) && source.TryGetUInt32(out var sourceId) ? sourceId : null;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private void Forget(DateTimeOffset before)
    {
        while (_order.First is { } oldest && oldest.Value.Received < before)
        {
            Remove(oldest.Value);
        }
    }

    private void Remove(Entry entry)
    {
        _order.Remove(entry.Node!);
        _events.Remove(entry.Event.Id);
    }

    private sealed class Entry(JournalEvent journaled, string gateway, DateTimeOffset received)
    {
        public JournalEvent Event { get; } = journaled;

        /// <summary>When it arrived here (a replayed outbox brings old event times; age counts from arrival).</summary>
        public DateTimeOffset Received { get; } = received;

        public List<string> HeardBy { get; } = [gateway];

        public LinkedListNode<Entry>? Node { get; set; }

        public FleetEvent Snapshot() => new(Event, HeardBy[0], [.. HeardBy]);
    }
}
