namespace RadioGateway.Simulator.Scenarios;

/// <summary>What one planned burst carries.</summary>
public enum PlannedBurstKind
{
    /// <summary>Voice LC header, data sync (TS 102 361-1 §7.1.1).</summary>
    VoiceLcHeader,

    /// <summary>Voice burst A–F; A carries voice sync, B–F carry EMB.</summary>
    Voice,

    /// <summary>Terminator with LC (§7.1.2).</summary>
    Terminator,

    /// <summary>The modem lost this burst (MMDVM DMR_LOST).</summary>
    Lost,
}

/// <summary>Which link control a voice superframe's embedded signalling (bursts B–E) carries.</summary>
public enum EmbeddedContent
{
    None,
    VoiceLinkControl,
    TalkerAliasHeader,
    TalkerAliasBlock1,
    TalkerAliasBlock2,
    TalkerAliasBlock3,
}

/// <summary>One burst of a call, at its time from the start of the scenario.</summary>
/// <param name="VoiceSequence">0 = burst A … 5 = burst F; 0 for non-voice bursts.</param>
/// <param name="BitErrors">Bits to flip in this burst's FEC-protected fields.</param>
public readonly record struct PlannedBurst(TimeSpan At, int Slot, PlannedBurstKind Kind, int VoiceSequence, EmbeddedContent Embedded, int BitErrors);

/// <summary>
/// Lays a scenario call out in bursts as a radio transmits it: LC headers, voice superframes of six bursts
/// (360 ms), a terminator. Bursts on one slot are 60 ms apart (TS 102 361-1 §4.2: 30 ms timeslots, two slots).
/// </summary>
public static class CallPlayout
{
    public static readonly TimeSpan BurstInterval = TimeSpan.FromMilliseconds(60);
    public static readonly TimeSpan SuperframeLength = BurstInterval * 6;
    public const int HeaderBursts = 3;

    /// <summary>The bursts of <paramref name="call"/>; <paramref name="aliasBlocks"/> is how many talker alias blocks (after the header) its alias needs.</summary>
    public static IReadOnlyList<PlannedBurst> Plan(ScenarioCall call, int aliasBlocks)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfNegative(aliasBlocks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(aliasBlocks, 3);
        var bursts = new List<PlannedBurst>();
        var at = call.At;

        void Add(PlannedBurstKind kind, int sequence = 0, EmbeddedContent embedded = EmbeddedContent.None)
        {
            bursts.Add(new PlannedBurst(at, call.Slot, kind, sequence, embedded, call.BitErrors));
            at += BurstInterval;
        }

        if (!call.LateEntry)
        {
            for (var i = 0; i < HeaderBursts; i++)
            {
                Add(PlannedBurstKind.VoiceLcHeader);
            }
        }

        EmbeddedContent[] aliasCycle = call.Alias is null
            ? []
            : [EmbeddedContent.TalkerAliasHeader, .. Enumerable.Range(0, aliasBlocks).Select(b => EmbeddedContent.TalkerAliasBlock1 + b)];
        var superframes = Math.Max(1, (int)Math.Ceiling(call.Duration / SuperframeLength));
        var aliasIndex = 0;
        for (var superframe = 0; superframe < superframes; superframe++)
        {
            // Even superframes repeat the voice LC (late entry needs it); odd ones carry the talker alias.
            var embedded = superframe % 2 == 1 && aliasCycle.Length > 0
                ? aliasCycle[aliasIndex++ % aliasCycle.Length]
                : EmbeddedContent.VoiceLinkControl;
            for (var sequence = 0; sequence < 6; sequence++)
            {
                Add(PlannedBurstKind.Voice, sequence, sequence is >= 1 and <= 4 ? embedded : EmbeddedContent.None);
            }
        }

        MarkLost(bursts, call.LostFrames);
        if (call.EndWithTerminator)
        {
            Add(PlannedBurstKind.Terminator);
        }

        return bursts;
    }

    /// <summary>Replaces burst F of the last superframes (never A, whose sync the modem needs) with lost frames.</summary>
    private static void MarkLost(List<PlannedBurst> bursts, int count)
    {
        for (var i = bursts.Count - 1; i >= 0 && count > 0; i--)
        {
            if (bursts[i] is { Kind: PlannedBurstKind.Voice, VoiceSequence: 5 } burst)
            {
                bursts[i] = burst with { Kind = PlannedBurstKind.Lost, Embedded = EmbeddedContent.None };
                count--;
            }
        }
    }
}
