namespace RadioGateway.Core.Events;

/// <summary>
/// Where radio adapters hand their events. Implementations must not block the radio path:
/// <see cref="Publish"/> only queues.
/// </summary>
public interface IEventSink
{
    void Publish(DomainEvent domainEvent);
}
