using System.Text.Json;
using System.Text.Json.Serialization;
using RadioGateway.Cli;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.OperatorConsole;

namespace RadioGateway.Hosting;

/// <summary>
/// JSON of the gateway's own documents, with metadata generated at compile time so the program runs as Native AOT
/// (issue 13 #6): <see cref="Events"/> for what carries events (console API, CLI JSON lines, health), <see cref="Files"/>
/// and <see cref="Lines"/> for status, accounts and journal listings (web naming, enums as kebab-case strings).
/// </summary>
public static class GatewayJson
{
    /// <summary>The event conventions (<see cref="EventJson"/>) over the event types and the console's documents.</summary>
    public static JsonSerializerOptions Events { get; } = EventJson.CreateOptions(EventDocumentsContext.Default);

    /// <summary><c>status.json</c>, <c>console-users.json</c>, <c>radiogw status --format json</c>: indented.</summary>
    public static JsonSerializerOptions Files { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true, TypeInfoResolver = FileDocumentsContext.Default };

    /// <summary>Journal listings as JSON lines: one compact object per line.</summary>
    public static JsonSerializerOptions Lines { get; } = new(JsonSerializerDefaults.Web) { TypeInfoResolver = FileDocumentsContext.Default };
}

[JsonSerializable(typeof(ConsoleState))]
[JsonSerializable(typeof(ConsoleHistory))]
[JsonSerializable(typeof(ConsoleHealth))]
[JsonSerializable(typeof(ConsoleHeardBy))]
[JsonSerializable(typeof(ConsoleError))]
[JsonSerializable(typeof(ConsoleAntiforgeryToken))]
[JsonSerializable(typeof(ConsoleCommandAccepted))]
[JsonSerializable(typeof(ConsoleEvent))]
[JsonSerializable(typeof(ConsoleCommandRequest))]
[JsonSerializable(typeof(ConsoleEndpoints.SignInRequest))]
[JsonSerializable(typeof(ConsoleEndpoints.AcknowledgeRequest))]
[JsonSerializable(typeof(HealthDocument))]
[JsonSerializable(typeof(OfflineStatus))]
[JsonSerializable(typeof(CallRecord))]
[JsonSerializable(typeof(PositionReported))]
[JsonSerializable(typeof(TextMessageReceived))]
internal sealed partial class EventDocumentsContext : JsonSerializerContext;

[JsonSerializable(typeof(GatewayStatusDocument))]
[JsonSerializable(typeof(StatusCommand.GatewayStatusReport))]
[JsonSerializable(typeof(List<ConsoleUser>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(CommandHistoryEntry))]
[JsonSerializable(typeof(JournalEventLine))]
[JsonSerializable(typeof(OutboxReport))]
internal sealed partial class FileDocumentsContext : JsonSerializerContext;

/// <summary><c>GET /healthz</c>: <c>ready</c> or <c>not-ready</c> with the reasons, per radio link and the uplink.</summary>
public sealed record HealthDocument(string Status, IReadOnlyList<string> Reasons, IReadOnlyList<RadioLinkHealth> Radios, UplinkHealth Uplink);

/// <summary>The retained <c>status</c> message the broker publishes for a gateway that is gone (MQTT will) or stopping.</summary>
public sealed record OfflineStatus(bool Online, string GatewayId, string? Reason);

/// <summary>One journal event as a JSON line of <c>journal events --format json</c>.</summary>
public sealed record JournalEventLine(string Id, string Type, string? Subject, DateTimeOffset Time, JsonElement Data);

/// <summary><c>journal outbox --format json</c>: what waits to be sent, by kind and oldest first.</summary>
public sealed record OutboxReport(long Total, IReadOnlyList<OutboxKindBacklog> ByKind, IReadOnlyList<OutboxWaiting> Oldest);
