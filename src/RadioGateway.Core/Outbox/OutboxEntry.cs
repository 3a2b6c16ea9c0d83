using RadioGateway.Core.CloudEvents;

namespace RadioGateway.Core.Outbox;

/// <summary>One event waiting to be published.</summary>
/// <param name="Sequence">Insertion order; never reused.</param>
/// <param name="Event">What to publish.</param>
/// <param name="EnqueuedAt">When it entered the outbox (UTC).</param>
public sealed record OutboxEntry(long Sequence, CloudEventParts Event, DateTimeOffset EnqueuedAt);

/// <summary>The outbox's size and the enqueue time of its oldest entry (null when empty).</summary>
public sealed record OutboxBacklog(long Count, DateTimeOffset? OldestEnqueuedAt);
