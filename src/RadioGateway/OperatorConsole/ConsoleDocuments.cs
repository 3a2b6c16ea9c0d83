using System.Text.Json;
using RadioGateway.Core.Events;

namespace RadioGateway.OperatorConsole;

/// <summary>What a page needs on (re)load (<c>GET /api/state</c>).</summary>
public sealed record ConsoleState(
    ConsoleSignedInUser User,
    string GatewayId,
    bool Fleet,
    DateTimeOffset Now,
    bool Map,
    IReadOnlyList<string> Canned,
    IReadOnlyList<ConsoleRosterUnit> Roster,
    IReadOnlyList<ConsoleEvent> Events,
    ConsoleHealth Health);

public sealed record ConsoleSignedInUser(string? Name, string Role, bool CanAct);

public sealed record ConsoleRosterUnit(uint Id, string Name, string? Team, string? Vehicle, string? Centre);

/// <summary>
/// The health line of the page: one gateway's uplink, outbox and disk; or, in the fleet view, the broker link and
/// every gateway heard (fields a view does not have are left out).
/// </summary>
public sealed record ConsoleHealth(
    string Uplink,
    string Broker,
    long? OutboxCount = null,
    DateTimeOffset? OutboxOldest = null,
    long? DiskFreeBytes = null,
    long? DiskTotalBytes = null,
    IReadOnlyList<ConsoleFleetGateway>? Gateways = null);

public sealed record ConsoleFleetGateway(string Id, bool Online, DateTimeOffset LastSeen, long Events, JsonElement? Outbox);

/// <summary>Calls, texts and positions in a time range (<c>GET /api/history</c>).</summary>
public sealed record ConsoleHistory(IReadOnlyList<CallRecord> Calls, IReadOnlyList<ConsoleText> Texts, IReadOnlyList<ConsolePosition> Positions)
{
    public static ConsoleHistory Of(IEnumerable<CallRecord> calls, IEnumerable<TextMessageReceived> texts, IEnumerable<PositionReported> positions) => new(
        [.. calls],
        [.. texts.Select(t => new ConsoleText(t.Time, t.From, t.To, t.Text, t.Protocol))],
        [.. positions.Select(p => new ConsolePosition(p.Time, p.Unit, p.Lat, p.Lon, p.FixTime, p.Via))]);
}

public sealed record ConsoleText(DateTimeOffset Time, RadioUnit From, CallTarget To, string Text, string Protocol);

public sealed record ConsolePosition(DateTimeOffset Time, RadioUnit Unit, double Lat, double Lon, DateTimeOffset? FixTime, string Via);

/// <summary>The fleet view's note that another gateway relayed an event already shown.</summary>
public sealed record ConsoleHeardBy(string Id, uint? Unit, IReadOnlyList<string> HeardBy);

/// <summary>An API refusal: <c>{"error": "…"}</c> with a 4xx status.</summary>
public sealed record ConsoleError(string Error);

public sealed record ConsoleAntiforgeryToken(string? Token);

public sealed record ConsoleCommandAccepted(string? CommandId);
