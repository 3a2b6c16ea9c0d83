using RadioGateway.Core.Events;

namespace RadioGateway.Core.Outbox;

/// <summary>The outbox as the <see cref="OutboxDrainer"/> sees it: entries in insertion order, removed once acknowledged.</summary>
public interface IOutboxStore
{
    /// <summary>Full path of the database file (the drainer watches free space on its drive).</summary>
    string DatabasePath { get; }

    /// <summary>Set after every commit that added outbox entries; the drainer waits on it.</summary>
    OutboxSignal OutboxChanged { get; }

    /// <summary>Oldest outbox entries with <c>seq</c> greater than <paramref name="afterSeq"/>, in insertion order, ready to send.</summary>
    IReadOnlyList<OutboxEntry> ReadOutbox(long afterSeq, int limit);

    /// <summary>Removes acknowledged entries, in one transaction.</summary>
    void RemoveFromOutbox(IReadOnlyCollection<long> sequenceNumbers);

    /// <summary>
    /// Removes every entry with <paramref name="first"/> ≤ seq ≤ <paramref name="last"/> in one statement. For a drain
    /// that read the outbox in order and had that whole run acknowledged: sequence numbers are never reused,
    /// so nothing enqueued later can fall inside the range.
    /// </summary>
    void RemoveFromOutboxRange(long first, long last);

    /// <summary>How many entries wait in the outbox and when the oldest was enqueued.</summary>
    OutboxBacklog GetBacklog();

    /// <summary>Journals the gateway's own events (the disk-space alarm) and queues them, in one transaction.</summary>
    /// <returns>How many events were new.</returns>
    int Append(IReadOnlyList<DomainEvent> events);
}
