using RadioGateway.Core.Roster;

namespace RadioGateway.Core.Tests.DataServices;

public sealed class UnitRosterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-roster-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, "roster.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void A_roster_maps_ids_to_names_teams_and_data_protocols()
    {
        var roster = UnitRoster.Load(Write("""
            {
              // field units of the Tehran centre
              "units": [
                { "id": 3120101, "name": "تیم ۱ تهران", "team": "1", "vehicle": "ون ۳", "centre": "تهران", "dataProtocol": "motorola" },
                { "id": 3120102, "name": "Team 2 Karaj", "dataProtocol": "hytera" },
              ]
            }
            """), out var problems);

        Assert.Empty(problems);
        Assert.Equal(2, roster!.Count);
        Assert.Equal("تیم ۱ تهران", roster.Unit(3120101).Name);
        Assert.Equal(UnitDataProtocol.Hytera, roster.Find(3120102)!.DataProtocol);
        Assert.Null(roster.Unit(42).Name);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_line_and_key()
    {
        var path = Write("""
            {
              "units": [
                { "id": 3120101, "name": "A" },
                { "id": 3120101, "name": "B" },
                { "id": 16777215, "name": "all call" },
                { "id": 5, "nmae": "typo" },
                { "id": 6, "name": "C", "dataProtocol": "kenwood" }
              ]
            }
            """);

        Assert.Null(UnitRoster.Load(path, out var problems));
        var lines = problems.Select(p => p.ToString()).ToList();
        Assert.Equal(
            [
                $"{path}:4: units[1].id: radio id 3120101 is listed twice",
                $"{path}:5: units[2].id: a radio id is required, 1..16776415",
                $"{path}:6: units[3].nmae: unknown key; did you mean 'name'? (known: id, name, team, vehicle, centre, dataProtocol, callsign)",
                $"{path}:6: units[3].name: a display name is required",
                $"{path}:7: units[4].dataProtocol: \"kenwood\" is not motorola, hytera or etsi",
            ],
            lines);
    }

    [Fact]
    public void A_file_that_is_not_json_names_the_line()
    {
        Assert.Null(UnitRoster.Load(Write("{\n  \"units\": [\n    { \"id\": 1, }\n  ]\n"), out var problems));

        Assert.Contains("not valid JSON", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_of_the_wrong_json_type_are_problems_with_their_line_and_key_not_exceptions()
    {
        var path = Write("""
            {
              "units": [
                { "id": "3120101", "name": "A" },
                { "id": 3120102, "name": "B", "dataProtocol": 2 }
              ]
            }
            """);

        Assert.Null(UnitRoster.Load(path, out var problems));
        Assert.Equal(
            [
                $"{path}:3: units[0].id: a radio id is required, 1..16776415 (a number, not a string)",
                $"{path}:4: units[1].dataProtocol: 2 is not motorola, hytera or etsi",
            ],
            problems.Select(p => p.ToString()));
    }
}
