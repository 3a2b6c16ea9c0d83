using RadioGateway.Core.Events;

namespace RadioGateway.Benchmarks;

/// <summary>The events the benchmarks send: ordinary call ends and position reports, one per index.</summary>
public static class BenchEvents
{
    /// <summary>The observation time of every backlog event, so each round and each path sends the same bytes.</summary>
    public static readonly DateTimeOffset FixedTime = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The end of call <paramref name="index"/> (topic kind <c>call</c>), with a Persian alias as the field sends them.</summary>
    public static CallEnded CallEnded(int index, DateTimeOffset time) => new()
    {
        Id = $"bench.{index}/ended",
        Time = time,
        Call = new CallRecord
        {
            CallId = $"bench.{index}",
            RadioId = "bs1",
            Slot = 1 + (index % 2),
            Source = new RadioUnit((uint)(3120101 + (index % 32)), Alias: "تیم ۱۲ تهران"),
            Destination = new CallTarget(101, TargetType.Group),
            Start = time.AddSeconds(-3),
            End = time,
            EndReason = CallEndReason.Terminator,
        },
    };

    /// <summary>A GPS fix from unit <c>3120101 + index % 32</c> (topic kind <c>position</c>).</summary>
    public static PositionReported Position(int index, DateTimeOffset time) => new()
    {
        Id = $"bench.{index}/position",
        Time = time,
        Unit = new RadioUnit((uint)(3120101 + (index % 32))),
        Lat = 35.6892 + (index % 100) * 1e-4,
        Lon = 51.3890 - (index % 100) * 1e-4,
        SpeedKmh = 42.5,
        HeadingDeg = 270,
        FixTime = time.AddSeconds(-1),
        ReceivedTime = time,
        Via = "lrrp",
    };
}
