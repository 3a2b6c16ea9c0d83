using RadioGateway.Core.Profiles;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Core.Tests.Profiles;

public sealed class ProfileLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-profiles-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RadioGateway.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("RadioGateway.sln not found above " + AppContext.BaseDirectory);
    }

    private string Write(string name, string json)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, json);
        return path;
    }

    public static TheoryData<string> ShippedProfiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "hardware-profiles"), "*.json", SearchOption.AllDirectories).Where(f => !f.Contains("schema", StringComparison.Ordinal) && !f.Contains("fleet-plans", StringComparison.Ordinal)))
        {
            data.Add(Path.GetRelativePath(RepositoryRoot(), file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedProfiles))]
    public void Every_shipped_profile_validates_clean(string relativePath)
    {
        Assert.Empty(ProfileLoader.Validate(Path.Combine(RepositoryRoot(), relativePath)));
    }

    [Fact]
    public void Every_problem_is_reported_with_its_line_and_key()
    {
        var path = Write("bad-channel.json", """
            {
              "kind": "channel",
              "id": "x",
              "rxFrequencyHz": 438.975,
              "txFrequencyHz": 438975000,
              "colorCode": 1,
              "slots": [1, 3],
              "talkGroups": [101, 16777216]
            }
            """);

        var problems = ProfileLoader.Validate(path);

        Assert.Contains(problems, p => p is { Line: 4, Key: "rxFrequencyHz" } && p.Message.Contains("integer Hz", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Line: 6, Key: "colorCode" } && p.Message.Contains("did you mean 'colourCode'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Key: "colourCode" } && p.Message == "is required");
        Assert.Contains(problems, p => p is { Line: 7, Key: "slots[1]" } && p.Message.Contains("3 is out of range 1–2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Line: 8, Key: "talkGroups[1]" } && p.Message.Contains("16777216", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.Equal(path, p.File));
    }

    [Fact]
    public void A_colour_code_out_of_range_is_named()
    {
        var path = Write("cc.json", """{ "kind": "channel", "id": "c", "rxFrequencyHz": 433450000, "txFrequencyHz": 433450000, "colourCode": 16, "slots": [2] }""");

        var problem = Assert.Single(ProfileLoader.Validate(path));

        Assert.Equal("colourCode", problem.Key);
        Assert.Equal("16 is out of range 0–15", problem.Message);
    }

    [Fact]
    public void Invalid_json_gives_the_line_of_the_syntax_error()
    {
        var path = Write("broken.json", "{\n  \"kind\": \"hardware\",\n  \"id\": \n}\n");

        var problem = Assert.Single(ProfileLoader.Validate(path));

        Assert.Equal(4, problem.Line);
        Assert.Contains("not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hardware_profile_with_two_slots_on_a_simplex_modem_is_refused()
    {
        var path = Write("hw.json", """
            { "kind": "hardware", "id": "h", "dialect": "mmdvm",
              "transport": { "kind": "serial", "baudRate": 115200, "parity": "mark" },
              "modem": { "duplex": false },
              "capabilities": { "slots": 2, "txTimeoutSeconds": 180 },
              "band": { "minHz": 430000000, "maxHz": 440000000 } }
            """);

        var problem = Assert.Single(ProfileLoader.Validate(path));

        Assert.Equal("capabilities.slots", problem.Key);
        Assert.Equal(4, problem.Line);
    }

    [Theory]
    [InlineData("", Crc9BitOrder.MsbFirst)]
    [InlineData(", \"confirmedDataCrc9Order\": \"lsb-first\"", Crc9BitOrder.LsbFirst)]
    [InlineData(", \"confirmedDataCrc9Order\": \"msb-first\"", Crc9BitOrder.MsbFirst)]
    public void The_confirmed_data_crc9_order_comes_from_the_profile_most_significant_bit_first_by_default(string key, Crc9BitOrder expected)
    {
        var path = Write("crc9.json", $$"""
            { "kind": "hardware", "id": "h", "dialect": "mmdvm", "transport": { "kind": "simulator" },
              "capabilities": { "slots": 1, "txTimeoutSeconds": 180{{key}} },
              "band": { "minHz": 430000000, "maxHz": 440000000 } }
            """);

        var hardware = ProfileLoader.LoadHardware(path, out var problems);

        Assert.Empty(problems);
        Assert.Equal(expected, hardware!.ConfirmedDataCrc9Order);
    }

    [Fact]
    public void An_unknown_crc9_order_is_refused_naming_the_choices()
    {
        var path = Write("crc9-bad.json", """
            { "kind": "hardware", "id": "h", "dialect": "mmdvm", "transport": { "kind": "simulator" },
              "capabilities": { "slots": 1, "txTimeoutSeconds": 180,
                "confirmedDataCrc9Order": "reversed" },
              "band": { "minHz": 430000000, "maxHz": 440000000 } }
            """);

        var problem = Assert.Single(ProfileLoader.Validate(path));

        Assert.Equal(("capabilities.confirmedDataCrc9Order", 3), (problem.Key, problem.Line));
        Assert.Contains("'reversed' is not one of msb-first, lsb-first", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_outside_the_hardware_band_or_slots_is_refused()
    {
        var root = RepositoryRoot();
        var hardwarePath = Path.Combine(root, "hardware-profiles", "mmdvm-hotspot-simplex.json");
        var hardware = ProfileLoader.LoadHardware(hardwarePath, out var hardwareProblems);
        var channelPath = Write("vhf.json", """{ "kind": "channel", "id": "v", "name": "کانال VHF", "rxFrequencyHz": 145500000, "txFrequencyHz": 145500000, "colourCode": 1, "slots": [1, 2] }""");
        var channel = ProfileLoader.LoadChannel(channelPath, out var channelProblems);

        Assert.Empty(hardwareProblems);
        Assert.Empty(channelProblems);
        Assert.Equal("کانال VHF", channel!.Name);
        var problems = ProfileLoader.CrossCheck(hardware!, hardwarePath, channel, channelPath);
        Assert.Contains(problems, p => p.Key == "rxFrequencyHz" && p.Message.StartsWith("145500000 Hz is outside the band 430000000–450000000 Hz", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Key == "slots");
    }

    [Fact]
    public void Loading_a_channel_file_as_hardware_says_so()
    {
        var path = Path.Combine(RepositoryRoot(), "hardware-profiles", "channel-plans", "simulator.json");

        Assert.Null(ProfileLoader.LoadHardware(path, out var problems));
        Assert.Contains(problems, p => p.Key == "kind" && p.Message.Contains("a hardware profile is expected", StringComparison.Ordinal));
    }
}
