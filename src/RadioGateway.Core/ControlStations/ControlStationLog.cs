using Microsoft.Extensions.Logging;

namespace RadioGateway.Core.ControlStations;

/// <summary>The log lines every control-station kind writes about the services it carries (ARS/RRS, LRRP/LP, TMS/TMP).</summary>
internal static partial class ControlStationLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {Service} to {Destination} through the control station")]
    public static partial void Sent(this ILogger logger, string service, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} from radio {Unit} does not decode: {Problem}")]
    public static partial void Undecodable(this ILogger logger, string service, uint unit, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Service} {What} from radio {Unit} needs no action")]
    public static partial void Ignored(this ILogger logger, string service, uint unit, string what);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Service} answer from radio {Unit}: {What}")]
    public static partial void Answer(this ILogger logger, string service, uint unit, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tracking of radio {Unit} {What} (interval {IntervalSeconds} s)")]
    public static partial void Tracking(this ILogger logger, uint unit, string what, int intervalSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} to radio {Unit} not sent: transmit limit ({Limit}) for {RetrySeconds:0.0} s")]
    public static partial void ReplyHeld(this ILogger logger, string service, uint unit, string limit, double retrySeconds);
}
