namespace RadioGateway.Core.Outbox;

/// <summary>Tuning of <see cref="OutboxDrainer"/> (configuration section <c>Outbox</c>).</summary>
public sealed record OutboxDrainerOptions
{
    /// <summary>Publishes in flight at once (awaiting PUBACK). 1 gives strict order even across failures.</summary>
    public int Window { get; init; } = 16;

    /// <summary>Most entries one drain pass publishes, so stats and disk checks run between passes even under a large backlog.</summary>
    public int PassLimit { get; init; } = 4096;

    /// <summary>Entries read from the store at once, ahead of the window (two chunks are buffered).</summary>
    public int ReadChunk { get; init; } = 256;

    /// <summary>Acknowledged entries removed per delete transaction.</summary>
    public int DeleteBatch { get; init; } = 64;

    /// <summary>An entry older than this when it is sent is marked <c>replayed</c>.</summary>
    public TimeSpan ReplayAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Ceiling of the first wait after a failed pass (the shared jittered backoff, doubling up to <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts while the uplink is down.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often stats are logged and disk space is checked.</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Span over which the drain rate is averaged.</summary>
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Free bytes on the data drive below which the disk-space alarm is raised.</summary>
    public long MinFreeDiskBytes { get; init; } = 512L * 1024 * 1024;
}
