using RadioGateway.Core.Events;

namespace RadioGateway.Core.Tests.Journal;

/// <summary>Events with every field set, for round trips.</summary>
public static class SampleEvents
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 15, 30, 250, TimeSpan.Zero);

    public const string PersianAlias = "تیم ۱۲ مشهد";

    public static CallRecord OpenCall(string callId = "gw1-1-20260301T081530250-2001", uint source = 2001, uint talkgroup = 91) => new()
    {
        CallId = callId,
        RadioId = "bs-mashhad",
        Slot = 1,
        Source = new RadioUnit(source, "Team 12"),
        Destination = new CallTarget(talkgroup, TargetType.Group),
        Start = Start,
        Emergency = true,
        Privacy = false,
        FeatureSetId = 0x10,
        LateEntry = true,
        Frames = 3,
    };

    public static CallRecord EndedCall(CallRecord open) => open with
    {
        Source = open.Source with { Alias = PersianAlias },
        End = open.Start.AddMilliseconds(4_560),
        EndReason = CallEndReason.LinkLost,
        Ber = 1.25,
        Rssi = -97,
        LostFrames = 2,
        Frames = 76,
    };

    public static CallStarted Started(CallRecord call) => new() { Id = call.CallId + "-start", Time = call.Start, Call = call };

    public static CallEnded Ended(CallRecord call) => new() { Id = call.CallId + "-end", Time = call.End!.Value, Call = call };

    public static TalkerAliasHeard Alias(CallRecord call, string alias) =>
        new() { Id = call.CallId + "-alias", Time = call.Start.AddSeconds(1), CallId = call.CallId, SourceId = call.Source.Id, Alias = alias };

    public static CsbkHeard Csbk(string id, DateTimeOffset time) => new()
    {
        Id = id,
        Time = time,
        RadioId = "bs-mashhad",
        Slot = 2,
        Opcode = 0x24,
        FeatureSetId = 0,
        Name = "radio-check",
        SourceId = 2001,
        DestinationId = 2002,
        GroupDestination = false,
        RawHex = "A4000000000007D1000007D2",
    };

    public static PositionReported Position(string id, DateTimeOffset fixTime, uint unit = 2001) => new()
    {
        Id = id,
        Time = fixTime.AddSeconds(3),
        Unit = new RadioUnit(unit, "تیم ۱۲"),
        Lat = 36.2972,
        Lon = 59.6067,
        SpeedKmh = 42.5,
        FixTime = fixTime,
        ReceivedTime = fixTime.AddSeconds(3),
        Via = "lrrp",
    };
}
