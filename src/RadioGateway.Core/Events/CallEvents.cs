namespace RadioGateway.Core.Events;

/// <summary>Why a call record was closed.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(RadioGateway.Core.CloudEvents.KebabCaseEnumConverter<CallEndReason>))]
public enum CallEndReason
{
    /// <summary>Voice terminator with LC received (TS 102 361-1 §7.1.3).</summary>
    Terminator,

    /// <summary>Frames stopped arriving without a terminator.</summary>
    Timeout,

    /// <summary>The link to the base station was lost mid-call.</summary>
    LinkLost,

    /// <summary>The gateway stopped while the call was up.</summary>
    Shutdown,

    /// <summary>The gateway process ended mid-call without closing it (crash, power cut); closed at the next start, at its last-heard time.</summary>
    GatewayRestart,
}

/// <summary>The recording of a call's receive audio (issue 15), on <c>call.ended</c> and in the journal.</summary>
/// <param name="File">Path of the Ogg Opus or WAV file relative to the recordings directory (<c>{DataDirectory}/recordings</c>), '/' separated.</param>
/// <param name="Start">When its first sample was captured (within one 20 ms capture block before the call's start).</param>
public sealed record CallRecording(string File, long DurationMs, long Bytes, DateTimeOffset Start);

/// <summary>The state of one talk-group or private call on one slot, as the journal keeps it.</summary>
public sealed record CallRecord
{
    /// <summary>Stable call id (also the CloudEvents id stem).</summary>
    public required string CallId { get; init; }

    public required string RadioId { get; init; }

    public required int Slot { get; init; }

    public required RadioUnit Source { get; init; }

    public required CallTarget Destination { get; init; }

    public required DateTimeOffset Start { get; init; }

    public DateTimeOffset? End { get; init; }

    public long? DurationMs => End is { } end ? (long)(end - Start).TotalMilliseconds : null;

    public bool Emergency { get; init; }

    public bool Privacy { get; init; }

    /// <summary>Feature set id of the link control (0 = ETSI standard, 0x10 = Motorola, 0x68 = Hytera …).</summary>
    public byte FeatureSetId { get; init; }

    /// <summary>True when the call was joined from embedded LC, without a voice LC header.</summary>
    public bool LateEntry { get; init; }

    public CallEndReason? EndReason { get; init; }

    /// <summary>Bit error rate in percent, averaged over the call, where the modem reports it.</summary>
    public double? Ber { get; init; }

    /// <summary>Received signal strength in dBm, where the modem reports it.</summary>
    public int? Rssi { get; init; }

    public int LostFrames { get; init; }

    public int Frames { get; init; }

    /// <summary>The call's recording, on <c>call.ended</c> when the radio's profile has <c>audio.recording</c>.</summary>
    public CallRecording? Recording { get; init; }
}

/// <summary>A call began (voice LC header, or late entry from embedded LC).</summary>
public sealed record CallStarted : DomainEvent
{
    public required CallRecord Call { get; init; }

    public override string Kind => "call";

    public override string Type => "radiogw.call.started";
}

/// <summary>A call ended; carries the whole record.</summary>
public sealed record CallEnded : DomainEvent
{
    public required CallRecord Call { get; init; }

    public override string Kind => "call";

    public override string Type => "radiogw.call.ended";
}

/// <summary>The talker alias of a running call became known.</summary>
public sealed record TalkerAliasHeard : DomainEvent
{
    public required string CallId { get; init; }

    public required uint SourceId { get; init; }

    public required string Alias { get; init; }

    public override string Kind => "call";

    public override string Type => "radiogw.call.alias";
}

/// <summary>A control signalling block (TS 102 361-2 §7.1), decoded or not.</summary>
public sealed record CsbkHeard : DomainEvent
{
    public required string RadioId { get; init; }

    public required int Slot { get; init; }

    public required byte Opcode { get; init; }

    public required byte FeatureSetId { get; init; }

    /// <summary>Readable name: <c>preamble</c>, <c>radio-check</c>, <c>call-alert</c>, <c>emergency</c>, … or <c>unknown</c>.</summary>
    public required string Name { get; init; }

    public uint SourceId { get; init; }

    public uint DestinationId { get; init; }

    public bool GroupDestination { get; init; }

    /// <summary>The 10 payload bytes as hex, for opcodes we do not interpret.</summary>
    public required string RawHex { get; init; }

    public override string Kind => "csbk";

    public override string Type => "radiogw.csbk";
}

/// <summary>The base station's modem changed state (link up/down, version, mode).</summary>
public sealed record ModemStatusChanged : DomainEvent
{
    public required string RadioId { get; init; }

    public required bool LinkUp { get; init; }

    public string? Description { get; init; }

    public string? Detail { get; init; }

    public override string Kind => "modem";

    public override string Type => "radiogw.modem.status";
}
