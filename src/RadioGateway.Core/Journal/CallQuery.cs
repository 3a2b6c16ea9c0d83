namespace RadioGateway.Core.Journal;

/// <summary>Which calls to read from the journal.</summary>
public sealed record CallQuery
{
    /// <summary>Only calls that started at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only calls to this talk-group.</summary>
    public uint? Talkgroup { get; init; }

    /// <summary>Only calls from or to this unit.</summary>
    public uint? Unit { get; init; }

    /// <summary>At most this many (the most recent), returned oldest first.</summary>
    public int Limit { get; init; } = 1000;
}
