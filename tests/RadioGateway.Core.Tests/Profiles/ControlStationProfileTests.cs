using System.Net;
using RadioGateway.Core.Profiles;

namespace RadioGateway.Core.Tests.Profiles;

public sealed class ControlStationProfileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-stations-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, "profile.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void A_motorola_profile_loads_with_its_networks_and_ports_and_defaults()
    {
        var path = Write("""
            {
              "kind": "motorola-control-station",
              "id": "cs",
              "network": { "localAddress": "192.168.10.2", "radioAddress": "192.168.10.1" },
              "services": { "tmsPort": 14007 }
            }
            """);

        var profile = ControlStationProfiles.Load(path, out var problems);

        Assert.Empty(problems);
        Assert.Equal(ControlStationProfiles.MotorolaKind, ControlStationProfiles.KindOf(path));
        Assert.Equal(IPAddress.Parse("192.168.10.2"), profile!.Network!.LocalAddress);
        Assert.Equal(new MotorolaStationProfile(12, 225, 4005, 4001, 14007, 0), profile.Motorola);
        Assert.Equal(60, profile.TxTimeoutSeconds);
    }

    [Fact]
    public void Every_problem_of_a_motorola_profile_is_named_by_line_and_key()
    {
        var path = Write("""
            {
              "kind": "motorola-control-station",
              "id": "cs",
              "network": { "localAddress": "192.168.10", "caiNetwork": 300, "groupNetwok": 225 },
              "services": { "arsPort": 4005, "lrrpPort": 4005, "arsRefreshMinutes": 45 }
            }
            """);

        var problems = ProfileLoader.Validate(path);

        Assert.Contains(problems, p => p is { Line: 4, Key: "network.localAddress" } && p.Message.Contains("'192.168.10' is not an IPv4 address", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Line: 4, Key: "network.caiNetwork" } && p.Message.Contains("300 is out of range 1–255", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Key: "network.groupNetwok" } && p.Message.Contains("did you mean 'groupNetwork'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Line: 5, Key: "services" } && p.Message.Contains("three different ports", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Key: "services.arsRefreshMinutes" } && p.Message.Contains("45 is not a multiple of 30", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.StartsWith(path + ":", p.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void A_hytera_profile_needs_the_radio_address_and_its_hrnp_port_and_a_kenwood_one_a_serial_line()
    {
        var hytera = ProfileLoader.Validate(Write("""{ "kind": "hytera-control-station", "id": "h", "network": { "localAddress": "192.168.10.2" } }"""));
        Assert.Contains(hytera, p => p is { Key: "network.radioAddress" });
        Assert.Contains(hytera, p => p is { Key: "services.hrnpPort", Message: "is required" });

        var kenwood = ProfileLoader.Validate(Write("""{ "kind": "kenwood-serial", "id": "k", "transport": { "kind": "tcp", "baudRate": 9600, "parity": "evn" } }"""));
        Assert.Contains(kenwood, p => p is { Key: "transport.kind" } && p.Message.Contains("'tcp' is not 'serial'", StringComparison.Ordinal));
        Assert.Contains(kenwood, p => p is { Key: "transport.parity" } && p.Message.Contains("'evn'", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_kind_lists_the_control_station_kinds()
    {
        var problem = Assert.Single(ProfileLoader.Validate(Write("""{ "kind": "motorola", "id": "x" }""")));

        Assert.Equal("kind", problem.Key);
        Assert.Contains("'motorola-control-station'", problem.Message, StringComparison.Ordinal);
        Assert.Null(ControlStationProfiles.KindOf(Path.Combine(_directory, "profile.json")));
    }
}
