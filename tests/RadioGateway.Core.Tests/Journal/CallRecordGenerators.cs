using FsCheck;
using FsCheck.Fluent;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.Tests.Journal;

/// <summary>Random call records whose text mixes Persian, ASCII, CSV/JSON specials, bidi controls and emoji.</summary>
public static class CallRecordGenerators
{
    private static readonly string[] Pieces =
    [
        "a", "Z", "7", " ", ",", "\"", "'", "\r", "\n", "\t", "\\", "\u0000", "\u0007",
        "ت", "ی", "م", "۱", "۲", "،", "\u200C", "\u202E", "\u2066", "\u2069", "😀", "é", "\uFEFF",
    ];

    public static Gen<string> Text { get; } =
        Gen.Elements(Pieces).ArrayOf().Select(parts => string.Concat(parts));

    private static Gen<DateTimeOffset> Time(int fractionDigits) =>
        from ticks in Gen.Choose(0, int.MaxValue).Select(t => (long)t * 1_000_000 / 7)
        from offsetMinutes in Gen.Choose(-12 * 60, 14 * 60)
        let rounded = fractionDigits == 3 ? ticks - (ticks % TimeSpan.TicksPerMillisecond) : ticks
        select new DateTimeOffset(new DateTime(2000, 1, 1).Ticks + rounded + (offsetMinutes * TimeSpan.TicksPerMinute), TimeSpan.FromMinutes(offsetMinutes));

    /// <param name="fractionDigits">7 for full tick precision (journal), 3 for millisecond precision (JSON).</param>
    public static Gen<CallRecord> Calls(int fractionDigits) =>
        from callId in Text.Where(t => t.Length > 0)
        from radioId in Text
        from slot in Gen.Choose(1, 2)
        from sourceId in Gen.Choose(0, 16777215)
        from name in Text.OrNull()
        from alias in Text.OrNull()
        from destinationId in Gen.Choose(0, 16777215)
        from toGroup in Gen.Elements(true, false)
        from start in Time(fractionDigits)
        from lengthMs in OrNone(Gen.Choose(0, 3_600_000))
        from flags in Gen.Choose(0, 7)
        from featureSetId in Gen.Choose(0, 255)
        from reason in Gen.Elements<CallEndReason?>(null, CallEndReason.Terminator, CallEndReason.Timeout, CallEndReason.LinkLost, CallEndReason.Shutdown)
        from berHundredths in OrNone(Gen.Choose(0, 10_000))
        from rssi in OrNone(Gen.Choose(-140, 0))
        from lost in Gen.Choose(0, 100_000)
        from frames in Gen.Choose(0, 100_000)
        select new CallRecord
        {
            CallId = callId,
            RadioId = radioId,
            Slot = slot,
            Source = new RadioUnit((uint)sourceId, name, alias),
            Destination = new CallTarget((uint)destinationId, toGroup ? TargetType.Group : TargetType.Unit),
            Start = start,
            End = lengthMs is { } ms ? start.AddMilliseconds(ms) : null,
            Emergency = (flags & 1) != 0,
            Privacy = (flags & 2) != 0,
            LateEntry = (flags & 4) != 0,
            FeatureSetId = (byte)featureSetId,
            EndReason = reason,
            Ber = berHundredths / 100.0,
            Rssi = rssi,
            LostFrames = lost,
            Frames = frames,
        };

    private static Gen<int?> OrNone(Gen<int> values) => Gen.Frequency((1, Gen.Constant<int?>(null)), (3, values.Select(v => (int?)v)));

    /// <summary>The same instant and fields with times in UTC, as the journal and JSON give them back.</summary>
    public static CallRecord InUtc(CallRecord call) => call with { Start = call.Start.ToUniversalTime(), End = call.End?.ToUniversalTime() };
}
