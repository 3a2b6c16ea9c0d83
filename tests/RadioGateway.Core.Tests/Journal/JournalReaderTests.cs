using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;

namespace RadioGateway.Core.Tests.Journal;

public sealed class JournalReaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(SampleEvents.Start);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_unit_filter_is_applied_before_the_limit_for_positions_and_texts()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        // Unit 2001 reported early; 50 later reports of unit 2002 push it out of the 20 most recent of all units.
        var events = new List<DomainEvent>();
        for (var i = 0; i < 3; i++)
        {
            events.Add(SampleEvents.Position($"old-{i}", SampleEvents.Start.AddSeconds(i), unit: 2001));
            events.Add(Text($"old-text-{i}", SampleEvents.Start.AddSeconds(i), from: 2001, to: 2003));
        }

        events.Add(Text("to-2001", SampleEvents.Start.AddSeconds(5), from: 2003, to: 2001));
        for (var i = 0; i < 50; i++)
        {
            events.Add(SampleEvents.Position($"new-{i}", SampleEvents.Start.AddMinutes(1 + i), unit: 2002));
            events.Add(Text($"new-text-{i}", SampleEvents.Start.AddMinutes(1 + i), from: 2002, to: 2003));
        }

        store.Append(events);
        using var reader = store.OpenReader();

        Assert.Equal(["old-0", "old-1", "old-2"], reader.ReadEvents(new EventQuery { Kind = "position", Unit = 2001, Limit = 20 }).Select(e => e.Id));
        Assert.Equal(["old-2"], reader.ReadEvents(new EventQuery { Kind = "position", Unit = 2001, Limit = 1 }).Select(e => e.Id));
        Assert.Equal(
            ["old-text-0", "old-text-1", "old-text-2", "to-2001"],
            reader.ReadEvents(new EventQuery { Kind = "text", Unit = 2001, Limit = 20 }).Select(e => e.Id));
        Assert.Equal(["new-48", "new-49"], reader.ReadEvents(new EventQuery { Kind = "position", Limit = 2 }).Select(e => e.Id));
    }

    [Fact]
    public void The_kind_query_uses_the_kind_and_time_index()
    {
        using (GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time))
        {
        }

        using var reader = JournalReader.OpenDirectory(_directory.Path);
        var plan = string.Join(" | ", reader.ExplainEvents(new EventQuery { Kind = "position", Since = SampleEvents.Start, Limit = 10 }));

        Assert.Contains("events_kind_time", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN events", plan, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_stream_from_an_open_reader_instead_of_being_collected_first()
    {
        using var store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        store.Append([.. Enumerable.Range(0, 10).Select(i => SampleEvents.Started(SampleEvents.OpenCall($"call-{i}") with { Start = SampleEvents.Start.AddSeconds(i) }))]);
        using var reader = store.OpenReader();

        var calls = reader.ReadCalls(new CallQuery { Limit = 5 });
        var events = reader.ReadEvents(new EventQuery { Kind = "call", Limit = 5 });

        Assert.IsNotAssignableFrom<System.Collections.ICollection>(calls);
        Assert.IsNotAssignableFrom<System.Collections.ICollection>(events);
        Assert.Equal(["call-5", "call-6", "call-7", "call-8", "call-9"], calls.Select(c => c.CallId));
        Assert.Equal(5, events.Count());
    }

    private static TextMessageReceived Text(string id, DateTimeOffset time, uint from, uint to) => new()
    {
        Id = id,
        Time = time,
        From = new RadioUnit(from),
        To = new CallTarget(to, TargetType.Unit),
        Text = "salam",
        Protocol = "tms",
    };
}
