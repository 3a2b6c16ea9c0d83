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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Type} {Id}")]
    private partial void LogOther(string type, string id);
}
