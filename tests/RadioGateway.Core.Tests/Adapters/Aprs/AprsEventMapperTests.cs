using RadioGateway.Core.Adapters.Aprs;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Aprs;

namespace RadioGateway.Core.Tests.Adapters.Aprs;

public sealed class AprsEventMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 22, 10, 0, TimeSpan.Zero);

    private static readonly UnitRoster Roster = UnitRoster.From(
    [
        new RosterUnit(3120101, "تیم ۱", null, null, null, UnitDataProtocol.Motorola) { Callsign = "EP2AAA" },
        new RosterUnit(3120109, "Team 9", null, null, null, UnitDataProtocol.Motorola) { Callsign = "EP2AAA-9" },
    ]);

    private static IReadOnlyList<DomainEvent> Map(string source, string destination, string info) =>
        new AprsEventMapper(Roster).Map(new Ax25UiFrame(new Ax25Address(destination, 0), Parse(source), [], Ax25.NoLayer3, System.Text.Encoding.UTF8.GetBytes(info)), Now, out _);

    private static Ax25Address Parse(string call) => call.Split('-') is [var c, var ssid] ? new Ax25Address(c, int.Parse(ssid, System.Globalization.CultureInfo.InvariantCulture)) : new Ax25Address(call, 0);

    [Fact]
    public void An_exact_callsign_wins_over_a_roster_callsign_without_ssid_which_matches_every_other_ssid()
    {
        Assert.Equal(3120109u, Assert.IsType<PositionReported>(Assert.Single(Map("EP2AAA-9", "APRS", "!3541.20N/05124.60E>"))).Unit.Id);
        Assert.Equal(new RadioUnit(3120101, "تیم ۱", Callsign: "EP2AAA-7"), Assert.IsType<PositionReported>(Assert.Single(Map("EP2AAA-7", "APRS", "!3541.20N/05124.60E>"))).Unit);
        Assert.Equal(new RadioUnit(0, Callsign: "EP2ZZZ"), Assert.IsType<PositionReported>(Assert.Single(Map("EP2ZZZ", "APRS", "!3541.20N/05124.60E>"))).Unit);
    }

    [Fact]
    public void A_position_id_depends_on_station_fix_time_and_place_not_on_when_or_where_it_was_heard()
    {
        var position = Assert.IsType<PositionReported>(Assert.Single(Map("EP2AAA-9", "APRS", "@291805z3541.20N/05124.60E>")));

        Assert.Equal("position.aprs.EP2AAA-9.20261129T180500.000Z.35.686667.51.410000", position.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 18, 5, 0, TimeSpan.Zero), position.FixTime);
        Assert.Equal(Now, position.ReceivedTime);
    }

    [Theory]
    [InlineData(29, 22, 10, "2026-11-29T22:10:00Z")] // this minute
    [InlineData(30, 8, 0, "2026-10-30T08:00:00Z")] // day 30 has not come this month: last month
    [InlineData(31, 8, 0, "2026-10-31T08:00:00Z")]
    public void A_zulu_day_hour_minute_is_the_latest_such_moment_not_in_the_future(int day, int hour, int minute, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), AprsEventMapper.FixTime(new AprsTimestamp(day, hour, minute, null, Zulu: true), Now));
    }

    [Fact]
    public void Hms_times_fall_within_the_last_day_and_local_times_are_not_guessed()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 23, 0, 0, TimeSpan.Zero), AprsEventMapper.FixTime(new AprsTimestamp(null, 23, 0, 0, Zulu: true), Now));
        Assert.Null(AprsEventMapper.FixTime(new AprsTimestamp(29, 22, 0, null, Zulu: false), Now));
    }

    [Fact]
    public void Messages_become_text_events_and_acknowledgements_and_other_types_become_nothing()
    {
        var text = Assert.IsType<TextMessageReceived>(Assert.Single(Map("EP2ZZZ", "APRS", ":EP2AAA-9 :سلام{12")));
        Assert.Equal(("سلام", true, new CallTarget(3120109, TargetType.Unit, "EP2AAA-9")), (text.Text, text.AckRequested, text.To));
        Assert.Equal(TargetType.Group, Assert.IsType<TextMessageReceived>(Assert.Single(Map("EP2ZZZ", "APRS", ":BLN1     :Road closed"))).To.Type);

        Assert.Empty(Map("EP2AAA-9", "APRS", ":EP2ZZZ   :ack12"));
        Assert.Empty(Map("EP2AAA-9", "APRS", ">status text"));
    }
}

public sealed class RosterCallsignTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-roster-aprs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_roster_file_gives_units_their_aprs_callsign_matched_without_regard_to_case()
    {
        var path = Path.Combine(_directory, "roster.json");
        File.WriteAllText(path, """{ "units": [ { "id": 3120101, "name": "تیم ۱", "callsign": " ep2abc-9 " }, { "id": 3120102, "name": "Team 2" } ] }""");

        var roster = UnitRoster.Load(path, out var problems);

        Assert.Empty(problems);
        Assert.Equal("EP2ABC-9", roster!.Find(3120101)!.Callsign);
        Assert.Equal(3120101u, roster.FindByCallsign("Ep2Abc-9")!.Id);
        Assert.Null(roster.FindByCallsign("EP2ABC-7"));
        Assert.Null(roster.Find(3120102)!.Callsign);
    }
}
