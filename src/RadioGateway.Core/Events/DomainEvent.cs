namespace RadioGateway.Core.Events;

/// <summary>
/// Something the gateway heard or did, in the one model every stage after decoding shares.
/// <see cref="Id"/> is stable: the same event keeps the same id across retries and restarts.
/// </summary>
public abstract record DomainEvent
{
    /// <summary>Stable id (the CloudEvents <c>id</c>).</summary>
    public required string Id { get; init; }

    /// <summary>When the gateway observed it (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Topic kind under <c>events/{kind}</c>: <c>call</c>, <c>csbk</c>, <c>position</c>, …</summary>
    public abstract string Kind { get; }

    /// <summary>CloudEvents <c>type</c>, e.g. <c>radiogw.call.ended</c>.</summary>
    public abstract string Type { get; }
}

[System.Text.Json.Serialization.JsonConverter(typeof(RadioGateway.Core.CloudEvents.KebabCaseEnumConverter<TargetType>))]
public enum TargetType
{
    Group,
    Unit,
}

/// <summary>A radio, by its 24-bit DMR id, with the names we know for it; an APRS station also by its callsign (id 0 when the roster does not know it).</summary>
public sealed record RadioUnit(uint Id, string? Name = null, string? Alias = null, string? Callsign = null);

/// <summary>Where a call or message goes: a talk-group or a single unit (an APRS addressee also by callsign).</summary>
public sealed record CallTarget(uint Id, TargetType Type, string? Callsign = null);
