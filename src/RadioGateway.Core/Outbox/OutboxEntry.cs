using RadioGateway.Core.CloudEvents;

namespace RadioGateway.Core.Outbox;

/// <summary>One event waiting to be published, as it will be sent.</summary>
/// <param name="Sequence">Insertion order; never reused.</param>
/// <param name="EventId">The CloudEvents id.</param>
/// <param name="Kind">The event kind (<c>events/{kind}</c>).</param>
/// <param name="Topic">The MQTT topic.</param>
/// <param name="Payload">The CloudEvent, not marked replayed.</param>
/// <param name="DataOffset">Offset of the <c>data</c> value in <paramref name="Payload"/> (see <see cref="CloudEventWriter.MarkReplayed"/>).</param>
/// <param name="EnqueuedAt">When it entered the outbox (UTC).</param>
public sealed record OutboxEntry(long Sequence, string EventId, string Kind, string Topic, byte[] Payload, int DataOffset, DateTimeOffset EnqueuedAt);

/// <summary>The outbox's size and the enqueue time of its oldest entry (null when empty).</summary>
public sealed record OutboxBacklog(long Count, DateTimeOffset? OldestEnqueuedAt);
