namespace RadioGateway.Core.Events;

/// <summary>The gateway itself needs attention (e.g. the data disk is nearly full).</summary>
public sealed record GatewayAlarmRaised : DomainEvent
{
    /// <summary>Machine-readable alarm name, e.g. <c>disk-space-low</c>.</summary>
    public required string Alarm { get; init; }

    /// <summary>True while the condition holds; false when it has cleared.</summary>
    public required bool Active { get; init; }

    public required string Message { get; init; }

    public long? FreeBytes { get; init; }

    public override string Kind => "alarm";

    public override string Type => "radiogw.gateway.alarm";
}
