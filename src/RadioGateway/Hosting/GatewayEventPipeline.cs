using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;

namespace RadioGateway.Hosting;

/// <summary>
/// The one <see cref="IEventSink"/> radio adapters publish to: a console line for the operator, then the
/// recorder, which journals the event and queues it in the outbox in one transaction, then the open console pages;
/// metrics and health count what passes.
/// </summary>
public sealed class GatewayEventPipeline(EventConsoleLog console, EventRecorder recorder, OperatorConsole.ConsoleEventHub pages, GatewayMetrics metrics, GatewayHealth health) : IEventSink
{
    public void Publish(DomainEvent domainEvent)
    {
        metrics.Observe(domainEvent);
        health.Observe(domainEvent);
        console.Write(domainEvent);
        recorder.Publish(domainEvent);
        pages.Publish(domainEvent);
    }
}
