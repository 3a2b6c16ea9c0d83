using System.Text;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.OperatorConsole.Fleet;

namespace RadioGateway.Tests.OperatorConsole;

/// <summary>The fleet view's memory: one event per CloudEvents id, which gateways heard it, where a command goes.</summary>
public sealed class FleetStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    internal static PositionReported Beacon(uint unit, double lat, double lon, DateTimeOffset fix) => new()
    {
        Id = $"position.{unit}.{fix.ToUnixTimeMilliseconds()}",
        Time = fix,
        Unit = new RadioUnit(unit),
        Lat = lat,
        Lon = lon,
        FixTime = fix,
        ReceivedTime = fix,
        Via = "lrrp",
    };

    private static byte[] As(string gateway, DomainEvent domainEvent) => new CloudEventWriter(gateway).Serialize(domainEvent);

    [Fact]
    public void A_beacon_relayed_by_two_gateways_is_shown_once_and_remembers_both()
    {
        var fleet = new FleetState(new FakeTimeProvider(Start));
        var beacon = Beacon(3120101, 35.7, 51.4, Start);

        Assert.Equal(FleetReceipt.New, fleet.Receive("tehran-1", "position", As("tehran-1", beacon), out var first, out _));
        Assert.Equal(FleetReceipt.Duplicate, fleet.Receive("karaj-1", "position", As("karaj-1", beacon), out var second, out _));
        Assert.Equal(FleetReceipt.Duplicate, fleet.Receive("karaj-1", "position", As("karaj-1", beacon), out _, out _));

        Assert.Equal(["tehran-1"], first!.HeardBy);
        Assert.Equal(["tehran-1", "karaj-1"], second!.HeardBy);
        var shown = Assert.Single(fleet.Events(Start.AddHours(-1), 100));
        Assert.Equal(beacon.Id, shown.Event.Id);
        Assert.Equal("tehran-1", shown.Gateway);
        Assert.Equal(["tehran-1", "karaj-1"], shown.HeardBy);
        Assert.Equal(["karaj-1", "tehran-1"], fleet.Gateways.Select(g => g.Id));
        Assert.Equal(2, fleet.Gateways.Single(g => g.Id == "karaj-1").Events);
    }

    [Fact]
    public void A_command_goes_to_the_gateway_that_last_heard_the_unit()
    {
        var fleet = new FleetState(new FakeTimeProvider(Start));
        Assert.Null(fleet.LastHeardBy(3120101));
        fleet.Receive("tehran-1", "position", As("tehran-1", Beacon(3120101, 35.7, 51.4, Start)), out _, out _);
        Assert.Equal("tehran-1", fleet.LastHeardBy(3120101));
        var text = new TextMessageReceived { Id = "text.1", Time = Start.AddMinutes(1), From = new RadioUnit(3120101), To = new CallTarget(9, TargetType.Group), Text = "در مسیر هستیم", Protocol = "tms" };
        fleet.Receive("shiraz-1", "text", As("shiraz-1", text), out _, out _);
        Assert.Equal("shiraz-1", fleet.LastHeardBy(3120101));
    }

    [Fact]
    public void Retained_status_and_the_offline_will_set_each_gateway_online_or_not()
    {
        var fleet = new FleetState(new FakeTimeProvider(Start));
        Assert.Null(fleet.Status("tehran-1", Encoding.UTF8.GetBytes("""{"online":true,"gatewayId":"tehran-1","outbox":{"count":3}}""")));
        Assert.True(fleet.Gateways.Single().Online);
        Assert.Null(fleet.Status("tehran-1", Encoding.UTF8.GetBytes("""{"online":false,"gatewayId":"tehran-1"}""")));
        Assert.False(fleet.Gateways.Single().Online);
        Assert.Contains("not JSON at byte", fleet.Status("tehran-1", Encoding.UTF8.GetBytes("{\"online\":")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "not a CloudEvents 1.0 event")]
    [InlineData("""{"specversion":"1.0","id":"x","type":"radiogw.position","time":"2026-11-29T08:00:00Z"}""", "not a CloudEvents 1.0 event")]
    [InlineData("""{"specversion":"0.3","id":"x","type":"t","time":"2026-11-29T08:00:00Z","data":{}}""", "not a CloudEvents 1.0 event")]
    [InlineData("""{"specversion":"1.0","id":"","type":"t","time":"2026-11-29T08:00:00Z","data":{}}""", "id of 1–256 characters")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"id\":", "not JSON at byte")]
    public void Unusable_messages_are_refused_with_the_reason_and_the_gateway(string payload, string reason)
    {
        var fleet = new FleetState(new FakeTimeProvider(Start));
        Assert.Equal(FleetReceipt.Invalid, fleet.Receive("tehran-1", "position", Encoding.UTF8.GetBytes(payload), out var shown, out var problem));
        Assert.Null(shown);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Contains("'tehran-1'", problem, StringComparison.Ordinal);
        Assert.Empty(fleet.Events(DateTimeOffset.MinValue, 10));
    }

    [Fact]
    public void Oversized_and_random_messages_never_throw_and_never_grow_the_view_past_its_bound()
    {
        var time = new FakeTimeProvider(Start);
        var fleet = new FleetState(time, capacity: 50, window: TimeSpan.FromMinutes(10));
        Assert.Equal(FleetReceipt.Invalid, fleet.Receive("a", "text", new byte[FleetState.MaxMessageBytes + 1], out _, out var problem));
        Assert.Contains("more than", problem, StringComparison.Ordinal);
        var random = new Random(29);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            fleet.Receive("a", "text", bytes, out _, out _);
            fleet.Status("a", bytes);
        }

        for (var i = 0; i < 200; i++)
        {
            fleet.Receive("a", "position", As("a", Beacon(3120101, 1, 1, Start.AddSeconds(i))), out _, out _);
        }

        Assert.Equal(50, fleet.Events(DateTimeOffset.MinValue, 1000).Count);
        time.Advance(TimeSpan.FromMinutes(11));
        fleet.Receive("a", "position", As("a", Beacon(3120101, 1, 1, Start.AddHours(1))), out _, out _);
        Assert.Single(fleet.Events(DateTimeOffset.MinValue, 1000));
    }

    [Theory]
    [InlineData("radiogw/v1/tehran-1/status", FleetTopicKind.Status, "tehran-1", "")]
    [InlineData("radiogw/v1/tehran-1/events/position", FleetTopicKind.Event, "tehran-1", "position")]
    [InlineData("radiogw/v1/tehran-1/events/", FleetTopicKind.Other, "", "")]
    [InlineData("radiogw/v1/tehran-1/commands/text", FleetTopicKind.Other, "", "")]
    [InlineData("radiogw/v2/tehran-1/status", FleetTopicKind.Other, "", "")]
    [InlineData("radiogw/v1/a b/status", FleetTopicKind.Other, "", "")]
    [InlineData("radiogw/v1/tehran-1/events/position/extra", FleetTopicKind.Other, "", "")]
    public void Topics_name_the_gateway_and_the_event_kind(string topic, FleetTopicKind kind, string gateway, string eventKind)
    {
        var topics = new FleetTopics("radiogw/v1/{gatewayId}/");
        Assert.Equal((kind, gateway, eventKind), topics.Parse(topic));
        Assert.Equal("radiogw/v1/+/status", topics.StatusFilter);
        Assert.Equal("radiogw/v1/+/events/+", topics.EventsFilter);
        Assert.Equal("radiogw/v1/karaj-1/commands/locate", topics.CommandTopic("karaj-1", "locate"));
    }

    [Theory]
    [InlineData("radiogw/v1/")]
    [InlineData("radiogw/{gatewayId}x/")]
    [InlineData("{gatewayId}/{gatewayId}/")]
    public void A_prefix_without_the_gateway_as_one_whole_level_cannot_serve_the_fleet_view(string template) =>
        Assert.Contains("{gatewayId} once, as a whole topic level", FleetTopics.Problem(template), StringComparison.Ordinal);
}
