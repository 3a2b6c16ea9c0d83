using RadioGateway.Core.Events;

namespace RadioGateway.Core.Journal;

/// <summary>What the <see cref="EventRecorder"/> writes to: the journal, which queues every new event for the uplink in the same transaction.</summary>
public interface IJournalWriter
{
    /// <summary>
    /// Writes the events to the journal and the outbox in one transaction: all of them or none.
    /// An event whose id is already stored is skipped (same id = same event).
    /// </summary>
    /// <returns>How many events were new.</returns>
    int Append(IReadOnlyList<DomainEvent> events);
}
