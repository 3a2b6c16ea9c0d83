using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;

namespace RadioGateway.Hosting;

/// <summary>Writes one readable log line per event for the operator watching the console.</summary>
public sealed partial class EventConsoleLog(ILogger<EventConsoleLog> logger)
{
    public void Write(DomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case CallStarted { Call: var call }:
                LogCallStarted(call.RadioId, call.Slot, call.Source.Id, call.Source.Alias ?? "", DescribeTarget(call.Destination), call.Emergency ? " EMERGENCY" : "", call.LateEntry ? " (late entry)" : "");
                break;
            case CallEnded { Call: var call }:
                LogCallEnded(call.RadioId, call.Slot, call.Source.Id, call.Source.Alias ?? "", DescribeTarget(call.Destination), call.DurationMs ?? 0, call.EndReason?.ToString() ?? "", call.LostFrames);
                break;
            case TalkerAliasHeard alias:
                LogAlias(alias.SourceId, alias.Alias);
                break;
            case CsbkHeard csbk:
                LogCsbk(csbk.RadioId, csbk.Slot, csbk.Name, csbk.Opcode, csbk.FeatureSetId, csbk.SourceId, csbk.DestinationId);
                break;
            case ModemStatusChanged modem:
                LogModem(modem.RadioId, modem.LinkUp ? "up" : "down", modem.Description ?? "", modem.Detail ?? "");
                break;
            case PositionReported position:
                LogPosition(position.Unit.Id, position.Unit.Name ?? "", position.Lat, position.Lon, position.SpeedKmh ?? 0, position.Via, position.FixTime is null ? " (no fix time)" : "");
                break;
            case TextMessageReceived text:
                LogText(text.From.Id, text.From.Name ?? "", DescribeTarget(text.To), text.Protocol, text.Text);
                break;
            case RegistrationChanged registration:
                LogRegistration(registration.Unit.Id, registration.Unit.Name ?? "", registration.Registered ? "online" : "offline", registration.Protocol);
                break;
            case EmergencyRaised emergency:
                LogEmergency(emergency.Unit.Id, emergency.Unit.Name ?? "", emergency.Via);
                break;
            case CommandResultReported result:
                LogCommand(result.CommandId, result.State.ToString().ToLowerInvariant(), result.Reason ?? "");
                break;
            case DataPacketHeard data:
                LogData(data.RadioId, data.Slot, data.Source.Id, data.Summary, data.Problem ?? "");
                break;
            default:
                LogOther(domainEvent.Type, domainEvent.Id);
                break;
        }
    }

    private static string DescribeTarget(CallTarget target) => target.Type == TargetType.Group ? $"TG {target.Id}" : $"unit {target.Id}";

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio} TS{Slot} call from {SourceId} {Alias} to {Destination}{Emergency}{LateEntry}")]
    private partial void LogCallStarted(string radio, int slot, uint sourceId, string alias, string destination, string emergency, string lateEntry);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio} TS{Slot} call from {SourceId} {Alias} to {Destination} ended after {DurationMs} ms ({EndReason}, {LostFrames} lost frames)")]
    private partial void LogCallEnded(string radio, int slot, uint sourceId, string alias, string destination, long durationMs, string endReason, int lostFrames);

    [LoggerMessage(Level = LogLevel.Information, Message = "Talker alias of {SourceId}: {Alias}")]
    private partial void LogAlias(uint sourceId, string alias);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio} TS{Slot} CSBK {Name} (opcode 0x{Opcode:X2}, FID 0x{FeatureSetId:X2}) {SourceId} → {DestinationId}")]
    private partial void LogCsbk(string radio, int slot, string name, byte opcode, byte featureSetId, uint sourceId, uint destinationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio} modem link {State} {Description} {Detail}")]
    private partial void LogModem(string radio, string state, string description, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Position of {UnitId} {Name}: {Lat:0.00000}, {Lon:0.00000} at {SpeedKmh:0} km/h via {Via}{NoFixTime}")]
    private partial void LogPosition(uint unitId, string name, double lat, double lon, double speedKmh, string via, string noFixTime);

    [LoggerMessage(Level = LogLevel.Information, Message = "Text from {UnitId} {Name} to {Destination} ({Protocol}): {Text}")]
    private partial void LogText(uint unitId, string name, string destination, string protocol, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {UnitId} {Name} is {State} ({Protocol})")]
    private partial void LogRegistration(uint unitId, string name, string state, string protocol);

    [LoggerMessage(Level = LogLevel.Warning, Message = "EMERGENCY from {UnitId} {Name} ({Via})")]
    private partial void LogEmergency(uint unitId, string name, string via);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId}: {State} {Reason}")]
    private partial void LogCommand(string commandId, string state, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio} TS{Slot} data from {SourceId}: {Summary} {Problem}")]
    private partial void LogData(string radio, int slot, uint sourceId, string summary, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Type} {Id}")]
    private partial void LogOther(string type, string id);
}
