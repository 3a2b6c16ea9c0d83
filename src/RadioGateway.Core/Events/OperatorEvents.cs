namespace RadioGateway.Core.Events;

/// <summary>An operator acknowledged an emergency on the console; journaled and published like every event.</summary>
public sealed record EmergencyAcknowledged : DomainEvent
{
    /// <summary>Id of the event that raised the emergency (emergency alarm, emergency CSBK or emergency call).</summary>
    public required string EmergencyId { get; init; }

    public required string User { get; init; }

    public override string Kind => "emergency";

    public override string Type => "radiogw.emergency.acknowledged";
}

/// <summary>An operator asked for a command from the console (who, what, to whom); its progress follows as command results.</summary>
public sealed record OperatorActionTaken : DomainEvent
{
    public required string User { get; init; }

    public required string CommandId { get; init; }

    /// <summary><c>text</c>, <c>announce</c>, <c>locate</c> or <c>radio-check</c>.</summary>
    public required string Action { get; init; }

    public required uint Target { get; init; }

    public required TargetType TargetType { get; init; }

    public string? Text { get; init; }

    public int? IntervalSeconds { get; init; }

    public bool? Stop { get; init; }

    public override string Kind => "operator";

    public override string Type => "radiogw.operator.action";
}
