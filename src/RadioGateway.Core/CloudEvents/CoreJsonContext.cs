using System.Text.Json;
using System.Text.Json.Serialization;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.CloudEvents;

/// <summary>
/// Serialization metadata for every event's <c>data</c> and the journal's stored command, generated at compile time:
/// no reflection or emitted code at run time, so the gateway runs as a Native AOT program (issue 13 #6). Naming,
/// null handling, encoder and time format come from <see cref="EventJson.Options"/>, not from here.
/// </summary>
[JsonSerializable(typeof(CallRecord))]
[JsonSerializable(typeof(CsbkHeard))]
[JsonSerializable(typeof(CommandResultReported))]
[JsonSerializable(typeof(DataPacketHeard))]
[JsonSerializable(typeof(EmergencyAcknowledged))]
[JsonSerializable(typeof(EmergencyRaised))]
[JsonSerializable(typeof(GatewayAlarmRaised))]
[JsonSerializable(typeof(ModemStatusChanged))]
[JsonSerializable(typeof(OperatorActionTaken))]
[JsonSerializable(typeof(PositionReported))]
[JsonSerializable(typeof(RegistrationChanged))]
[JsonSerializable(typeof(TalkerAliasHeard))]
[JsonSerializable(typeof(TextMessageReceived))]
[JsonSerializable(typeof(CommandRequest))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;

/// <summary>Enum values as kebab-case strings (<c>link-lost</c>), without reflection: put on each enum that travels in JSON.</summary>
public sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower)
    where TEnum : struct, Enum;
