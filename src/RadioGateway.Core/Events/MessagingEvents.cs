namespace RadioGateway.Core.Events;

/// <summary>A text message heard on the air (or sent by the gateway and confirmed).</summary>
public sealed record TextMessageReceived : DomainEvent
{
    public required RadioUnit From { get; init; }

    public required CallTarget To { get; init; }

    /// <summary>The message text, Unicode as decoded (often Persian).</summary>
    public required string Text { get; init; }

    /// <summary><c>tms</c>, <c>hytera-tmp</c>, <c>etsi</c>, …</summary>
    public required string Protocol { get; init; }

    public override string Kind => "text";

    public override string Type => "radiogw.text";
}

/// <summary>A radio registered with or left the system (Motorola ARS, Hytera RRS).</summary>
public sealed record RegistrationChanged : DomainEvent
{
    public required RadioUnit Unit { get; init; }

    public required bool Registered { get; init; }

    /// <summary><c>ars</c>, <c>hytera-rrs</c>, …</summary>
    public required string Protocol { get; init; }

    public override string Kind => "registration";

    public override string Type => "radiogw.registration";
}

/// <summary>A unit raised (or cleared) an emergency alarm.</summary>
public sealed record EmergencyRaised : DomainEvent
{
    public required RadioUnit Unit { get; init; }

    public CallTarget? Destination { get; init; }

    /// <summary>False when the alarm was cleared or cancelled.</summary>
    public bool Active { get; init; } = true;

    /// <summary>What carried it: <c>csbk</c>, <c>voice-lc</c>, <c>hytera-rcp</c>, …</summary>
    public required string Via { get; init; }

    public override string Kind => "emergency";

    public override string Type => "radiogw.emergency";
}

/// <summary>Where a downlink command stands.</summary>
public enum CommandState
{
    Accepted,
    Transmitted,
    Delivered,
    Failed,
}

/// <summary>Progress of a command from <c>commands/{kind}</c>, answered on <c>events/command-result</c>.</summary>
public sealed record CommandResultReported : DomainEvent
{
    /// <summary>The command's CloudEvents id.</summary>
    public required string CommandId { get; init; }

    public required CommandState State { get; init; }

    public string? Reason { get; init; }

    public override string Kind => "command-result";

    public override string Type => "radiogw.command.result";
}
