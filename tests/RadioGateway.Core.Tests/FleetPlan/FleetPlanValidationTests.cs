using System.Text.Json;
using RadioGateway.Core.FleetPlan;
using RadioGateway.Core.Profiles;
using RadioGateway.Core.Tests.CloudEvents;

namespace RadioGateway.Core.Tests.FleetPlan;

/// <summary>One vector per rule of <see cref="FleetPlanValidator"/>: the problem is reported at the line and key of what breaks it.</summary>
public sealed class FleetPlanValidationTests : IDisposable
{
    private readonly PlanFiles _plan = new();

    public void Dispose() => _plan.Dispose();

    [Fact]
    public void The_shipped_two_centre_example_validates_clean()
    {
        var plan = FleetPlanLoader.Load(PlanFiles.ExamplePath, out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.NotNull(plan);
        Assert.Equal(["tehran", "isfahan"], plan.Centres.Select(c => c.Id));
        Assert.Equal(5, plan.Roster.Count);
    }

    [Fact]
    public void The_shipped_example_keeps_the_fleet_plan_schema()
    {
        var schema = ContractSchema.Load(Path.Combine(PlanFiles.RepositoryRoot, "hardware-profiles", "schema", "fleet-plan.schema.json"));
        using var document = JsonDocument.Parse(File.ReadAllText(PlanFiles.ExamplePath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        Assert.Empty(schema.Validate(document.RootElement));
    }

    [Fact]
    public void A_frequency_outside_the_band_is_reported_at_its_line()
    {
        _plan.Edit("\"id\": \"thr-fm\", \"name\": \"تهران آنالوگ\", \"mode\": \"analog\", \"rxFrequencyHz\": 433500000", "\"id\": \"thr-fm\", \"name\": \"تهران آنالوگ\", \"mode\": \"analog\", \"rxFrequencyHz\": 145500000");

        AssertProblem("\"id\": \"thr-fm\"", "centres[0].channels[3].rxFrequencyHz", "145500000 Hz is outside the band 400000000–470000000 Hz");
    }

    [Fact]
    public void A_frequency_off_the_channel_raster_is_reported_with_the_nearest_ones()
    {
        _plan.Edit("\"id\": \"isf-local\", \"name\": \"اصفهان محلی\", \"rxFrequencyHz\": 433450000", "\"id\": \"isf-local\", \"name\": \"اصفهان محلی\", \"rxFrequencyHz\": 433456250");

        AssertProblem("\"id\": \"isf-local\"", "centres[1].channels[1].rxFrequencyHz", "433456250 Hz is not on the 12500 Hz channel raster (nearest 433450000 or 433462500 Hz)");
    }

    [Fact]
    public void A_6250_hz_raster_accepts_a_frequency_the_12500_hz_raster_refuses()
    {
        _plan.Edit("\"rasterHz\": 12500", "\"rasterHz\": 6250")
            .Edit("\"id\": \"thr-fm\", \"name\": \"تهران آنالوگ\", \"mode\": \"analog\", \"rxFrequencyHz\": 433500000, \"txFrequencyHz\": 433500000", "\"id\": \"thr-fm\", \"name\": \"تهران آنالوگ\", \"mode\": \"analog\", \"rxFrequencyHz\": 433506250, \"txFrequencyHz\": 433506250");

        Assert.NotNull(FleetPlanLoader.Load(_plan.Write(), out var diagnostics));
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void A_duplicate_channel_id_is_reported_at_the_second_one()
    {
        _plan.Edit("\"id\": \"isf-local\"", "\"id\": \"isf-ops\"");

        AssertProblem("\"id\": \"isf-ops\", \"name\": \"اصفهان محلی\"", "centres[1].channels[1].id", "duplicate channel id 'isf-ops' (first at centres[1].channels[0].id)");
    }

    [Fact]
    public void A_duplicate_talk_group_is_reported()
    {
        _plan.Edit("{ \"id\": 9, \"name\": \"محلی\" }", "{ \"id\": 102, \"name\": \"محلی\" }");

        AssertProblem("{ \"id\": 102, \"name\": \"محلی\" }", "talkGroups[4].id", "talk-group 102 is listed twice");
    }

    [Fact]
    public void A_talk_group_on_a_slot_the_repeater_does_not_carry_it_on_is_reported()
    {
        _plan.Edit("\"slot\": 1, \"talkGroup\": 102", "\"slot\": 1, \"talkGroup\": 103");

        AssertProblem("\"id\": \"thr-relief\"", "centres[0].channels[1].talkGroup", "talk-group 103 is used on slot 1 but the base station does not carry it there (it carries it on slot 2)");
    }

    [Fact]
    public void A_slot_the_base_station_does_not_carry_is_reported()
    {
        _plan.Edit("\"colourCode\": 1, \"slot\": 2, \"talkGroup\": 9 }", "\"colourCode\": 1, \"slot\": 1, \"talkGroup\": 9 }");

        AssertProblem("\"id\": \"isf-local\"", "centres[1].channels[1].slot", "slot 1 is not carried by centre 'isfahan''s base station (slots 2)");
    }

    [Fact]
    public void A_team_radio_lacking_a_channel_of_its_own_centre_is_reported()
    {
        _plan.Edit("\"radio\": \"md380\", \"channels\": [\"thr-ops\", \"thr-relief\", \"thr-support\"]", "\"radio\": \"md380\", \"channels\": [\"thr-ops\", \"thr-support\"]");

        AssertProblem("\"id\": \"tehran-2\"", "centres[0].teams[1].channels", "team 'tehran-2' lacks channel 'thr-relief' of its own centre 'tehran'");
    }

    [Fact]
    public void A_colour_code_differing_from_the_base_stations_channel_profile_is_reported()
    {
        _plan.Edit("\"colourCode\": 1, \"slot\": 2, \"talkGroup\": 103", "\"colourCode\": 2, \"slot\": 2, \"talkGroup\": 103");

        AssertProblem("\"id\": \"thr-support\"", "centres[0].channels[2].colourCode", "colour code 2 differs from its base station's channel profile repeater-duplex.json (colour code 1)");
    }

    [Fact]
    public void A_base_station_differing_from_its_channel_profile_is_reported()
    {
        _plan.Edit("\"rxFrequencyHz\": 433450000,\n        \"txFrequencyHz\": 433450000,\n        \"colourCode\": 1,", "\"rxFrequencyHz\": 433450000,\n        \"txFrequencyHz\": 433450000,\n        \"colourCode\": 3,");

        AssertProblem("\"colourCode\": 3", "centres[1].baseStation.colourCode", "colour code 3 differs from the base station's channel profile hotspot-simplex.json (colour code 1)");
    }

    [Fact]
    public void Contacts_beyond_a_radio_familys_limit_are_reported_with_the_limits_source()
    {
        _plan.WriteRoster(300);
        _plan.Edit("\"radio\": \"md380\"", "\"radio\": \"rd5r\"");

        AssertProblem("\"radio\": \"rd5r\"", "centres[0].teams[1].radio", "Radioddity RD-5R holds at most 256 contacts (qdmr 0.11.2 lib/rd5r_limits.cc) but the plan gives it 305 (5 talk-groups + 300 roster units)");
    }

    [Fact]
    public void The_same_roster_fits_a_radio_with_room_for_it()
    {
        _plan.WriteRoster(300);

        Assert.NotNull(FleetPlanLoader.Load(_plan.Write(), out var diagnostics));
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void An_unknown_radio_model_names_the_known_ones()
    {
        _plan.Edit("\"radio\": \"uv390\"", "\"radio\": \"uv999\"");

        AssertProblem("\"radio\": \"uv999\"", "centres[1].teams[0].radio", "'uv999' is not a known radio model; known: d878uv");
    }

    [Fact]
    public void A_reference_to_a_missing_channel_is_reported_at_its_item()
    {
        _plan.Edit("\"channels\": [\"isf-ops\", \"isf-local\"] },\n        { \"id\": \"isfahan-2\"", "\"channels\": [\"isf-ops\", \"isf-lcl\"] },\n        { \"id\": \"isfahan-2\"");

        AssertProblem("\"isf-lcl\"", "centres[1].teams[0].channels[1]", "no channel has id 'isf-lcl'");
    }

    [Fact]
    public void A_misspelt_key_is_reported_with_the_key_it_most_likely_meant()
    {
        _plan.Edit("\"colourCode\": 1, \"slot\": 1, \"talkGroup\": 101", "\"colorCode\": 1, \"slot\": 1, \"talkGroup\": 101");

        AssertProblem("\"colorCode\": 1, \"slot\": 1, \"talkGroup\": 101", "centres[0].channels[0].colorCode", "unknown key");
    }

    [Fact]
    public void A_decimal_frequency_is_refused_with_the_integer_hz_hint()
    {
        _plan.Edit("\"rxFrequencyHz\": 437975000, \"txFrequencyHz\": 430375000, \"colourCode\": 1, \"slot\": 1, \"talkGroup\": 101", "\"rxFrequencyHz\": 437.975, \"txFrequencyHz\": 430375000, \"colourCode\": 1, \"slot\": 1, \"talkGroup\": 101");

        AssertProblem("437.975", "centres[0].channels[0].rxFrequencyHz", "437.975 is not a whole number (frequencies are integer Hz");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        _plan.Edit("\"slot\": 1, \"talkGroup\": 102", "\"slot\": 1, \"talkGroup\": 103")
            .Edit("\"mode\": \"analog\", \"rxFrequencyHz\": 433500000", "\"mode\": \"analog\", \"rxFrequencyHz\": 433506250");

        Assert.Null(FleetPlanLoader.Load(_plan.Write(), out var diagnostics));
        Assert.Equal(["centres[0].channels[1].talkGroup", "centres[0].channels[3].rxFrequencyHz"], diagnostics.Select(d => d.Key));
    }

    private void AssertProblem(string lineFragment, string key, string message)
    {
        var path = _plan.Write();
        var plan = FleetPlanLoader.Load(path, out var diagnostics);

        Assert.Null(plan);
        var expected = $"{path}:{_plan.LineOf(lineFragment)}: {key}: {message}";
        Assert.True(diagnostics.Any(d => d.ToString().StartsWith(expected, StringComparison.Ordinal)), $"expected '{expected}' among:\n{string.Join('\n', diagnostics)}");
    }
}
