using System.Text.Json;

namespace RadioGateway.Core.Outbox;

/// <summary>How the outbox is doing: logged periodically and carried in the <c>status</c> message.</summary>
/// <param name="Backlog">Entries waiting.</param>
/// <param name="OldestAge">Age of the oldest waiting entry, null when empty.</param>
/// <param name="DrainRatePerSecond">Acknowledged entries per second over the last <see cref="OutboxDrainerOptions.RateWindow"/>.</param>
/// <param name="Delivered">Entries acknowledged since start.</param>
/// <param name="UplinkHealthy">False from a failed publish until the next acknowledged one.</param>
/// <param name="LastError">Message of the last publish failure, or null.</param>
/// <param name="DiskSpaceLow">True while free space on the data drive is under the threshold.</param>
public sealed record OutboxStats(
    long Backlog,
    TimeSpan? OldestAge,
    double DrainRatePerSecond,
    long Delivered,
    bool UplinkHealthy,
    string? LastError,
    bool DiskSpaceLow)
{
    /// <summary>Writes these stats as the <c>outbox</c> object of the <c>status</c> message (contracts/schemas/status.json).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("backlog", Backlog);
        if (OldestAge is { } age)
        {
            writer.WriteNumber("oldestAgeSeconds", Math.Round(age.TotalSeconds, 3));
        }

        writer.WriteNumber("drainRatePerSecond", Math.Round(DrainRatePerSecond, 3));
        writer.WriteNumber("delivered", Delivered);
        writer.WriteBoolean("uplinkHealthy", UplinkHealthy);
        if (LastError is not null)
        {
            writer.WriteString("lastError", LastError);
        }

        writer.WriteBoolean("diskSpaceLow", DiskSpaceLow);
        writer.WriteEndObject();
    }
}

/// <summary>The outcome of one <see cref="OutboxDrainer.DrainOnceAsync"/> pass.</summary>
/// <param name="Delivered">Entries acknowledged and removed in this pass.</param>
/// <param name="Failure">Why the pass stopped early, or null when the outbox was drained.</param>
public sealed record DrainPassResult(int Delivered, Exception? Failure)
{
    /// <summary>True when a publish failed and the pass stopped.</summary>
    public bool Failed => Failure is not null;

    /// <summary>True when the pass stopped at its limit with entries left (start another at once).</summary>
    public bool MoreWaiting { get; init; }
}
