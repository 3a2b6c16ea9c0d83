using System.Text.Json;
using System.Threading.Channels;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;

namespace RadioGateway.OperatorConsole;

/// <summary>
/// One event as the console page receives it: the journal's envelope fields and the CloudEvents data; in the fleet
/// view also the gateway that relayed it first and every gateway that relayed the same id.
/// </summary>
public sealed record ConsoleEvent(string Id, string Kind, string Type, DateTimeOffset Time, JsonElement Data, string? Gateway = null, IReadOnlyList<string>? HeardBy = null)
{
    public static ConsoleEvent From(DomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return new(domainEvent.Id, domainEvent.Kind, domainEvent.Type, domainEvent.Time, JsonSerializer.SerializeToElement(EventJson.DataOf(domainEvent), EventJson.Options.GetTypeInfo(EventJson.DataOf(domainEvent).GetType())));
    }

    public static ConsoleEvent From(JournalEvent journaled)
    {
        ArgumentNullException.ThrowIfNull(journaled);
        using var document = JsonDocument.Parse(journaled.DataJson);
        return new(journaled.Id, journaled.Kind, journaled.Type, journaled.Time, document.RootElement.Clone());
    }
}

/// <summary>
/// Fans the gateway's events out to every open console page. Never blocks the radio path: each page has a bounded
/// queue that drops its oldest entry when the page falls behind (it reloads the journal when it reconnects).
/// </summary>
public sealed class ConsoleEventHub
{
    private const int QueuePerPage = 2048;
    private readonly Lock _gate = new();
    private readonly HashSet<Channel<ConsoleEvent>> _pages = [];

    public int Pages
    {
        get
        {
            lock (_gate)
            {
                return _pages.Count;
            }
        }
    }

    /// <summary>Queues an event for every open page; undecoded data packets are left to the journal (the page shows none).</summary>
    public void Publish(DomainEvent domainEvent)
    {
        Channel<ConsoleEvent>[] pages;
        lock (_gate)
        {
            if (_pages.Count == 0 || domainEvent is DataPacketHeard)
            {
                return;
            }

            pages = [.. _pages];
        }

        var message = ConsoleEvent.From(domainEvent);
        foreach (var page in pages)
        {
            page.Writer.TryWrite(message);
        }
    }

    public void Publish(ConsoleEvent message)
    {
        Channel<ConsoleEvent>[] pages;
        lock (_gate)
        {
            pages = [.. _pages];
        }

        foreach (var page in pages)
        {
            page.Writer.TryWrite(message);
        }
    }

    /// <summary>A queue of everything published from now on, until the subscription is disposed.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<ConsoleEvent>(new BoundedChannelOptions(QueuePerPage) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _pages.Add(channel);
        }

        return new Subscription(this, channel);
    }

    public sealed class Subscription(ConsoleEventHub hub, Channel<ConsoleEvent> channel) : IDisposable
    {
        public ChannelReader<ConsoleEvent> Reader => channel.Reader;

        public void Dispose()
        {
            lock (hub._gate)
            {
                hub._pages.Remove(channel);
            }

            channel.Writer.TryComplete();
        }
    }
}
