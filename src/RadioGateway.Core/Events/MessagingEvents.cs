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

    /// <summary>The sender asked for an acknowledgement (the radio shows "delivered" only when it gets one).</summary>
    public bool AckRequested { get; init; }

    /// <summary>The protocol's message sequence number, when it has one.</summary>
    public int? SequenceNumber { get; init; }

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
[System.Text.Json.Serialization.JsonConverter(typeof(RadioGateway.Core.CloudEvents.KebabCaseEnumConverter<CommandState>))]
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

/// <summary>
/// A data packet the gateway heard but did not turn into a position, text or registration: damaged ones (a block
/// beyond FEC, CRC-9/CRC-32 mismatch, blocks missing), services it does not decode, and protocol answers
/// (TMS acknowledgements, LRRP results, ARS answers) — so nothing on the data channel goes unrecorded.
/// </summary>
public sealed record DataPacketHeard : DomainEvent
{
    public required string RadioId { get; init; }

    public required int Slot { get; init; }

    public required RadioUnit Source { get; init; }

    public required CallTarget Destination { get; init; }

    /// <summary><c>lrrp</c>, <c>ars</c>, <c>tms</c>, <c>udp</c> (other ports), <c>packet</c> (not UDP or damaged).</summary>
    public required string Service { get; init; }

    /// <summary>One line for operators: what the packet was.</summary>
    public required string Summary { get; init; }

    public required bool Intact { get; init; }

    /// <summary>Why the packet is damaged or did not decode; null when it did.</summary>
    public string? Problem { get; init; }

    public int? Port { get; init; }

    /// <summary>The user data (or UDP payload) as hex, at most 512 octets.</summary>
    public string? PayloadHex { get; init; }

    public override string Kind => "data";

    public override string Type => "radiogw.data";
}
