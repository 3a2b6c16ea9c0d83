using System.Globalization;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.Journal;

/// <summary>Text codes used in journal columns (same spelling as the JSON payloads).</summary>
public static class JournalCodes
{
    public static string Write(TargetType type) => type == TargetType.Group ? "group" : "unit";

    public static TargetType ReadTargetType(string text) => text == "unit" ? TargetType.Unit : TargetType.Group;

    public static string Write(CallEndReason reason) => reason switch
    {
        CallEndReason.Terminator => "terminator",
        CallEndReason.Timeout => "timeout",
        CallEndReason.LinkLost => "link-lost",
        CallEndReason.Shutdown => "shutdown",
        CallEndReason.GatewayRestart => "gateway-restart",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static CallEndReason ReadEndReason(string text) => text switch
    {
        "terminator" => CallEndReason.Terminator,
        "timeout" => CallEndReason.Timeout,
        "link-lost" => CallEndReason.LinkLost,
        "shutdown" => CallEndReason.Shutdown,
        "gateway-restart" => CallEndReason.GatewayRestart,
        _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Unknown end reason '{text}' in the journal.")),
    };
}
