using RadioGateway.Cli;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Testing;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// The simulator on one end of a real socat pty pair, <c>radiogw run</c> on the other: what the scenario
/// played must be in the journal, field for field.
/// </summary>
public sealed class PtyEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-e2e-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteConfig(string port)
    {
        var path = Path.Combine(_directory, "radiogw.json");
        File.WriteAllText(path, $$"""
            {
              "Gateway": { "Id": "e2e", "DataDirectory": "{{Path.Combine(_directory, "data")}}" },
              "Radios": [ { "Name": "bs1", "Profile": "{{GatewayProcess.Repository("hardware-profiles", "simulator.json")}}", "Port": "{{port}}",
                            "ChannelProfile": "{{GatewayProcess.Repository("hardware-profiles", "channel-plans", "simulator.json")}}" } ]
            }
            """);
        return path;
    }

    private string WriteScenario(Scenario scenario)
    {
        var path = Path.Combine(_directory, "scenario.json");
        File.WriteAllText(path, scenario.ToJson());
        return path;
    }

    private static async Task WaitForCallsEndedAsync(RunningProcess gateway, int count)
    {
        try
        {
            await gateway.WaitForLineAsync(_ => gateway.Output.Split('\n').Count(l => l.Contains(" ended after ", StringComparison.Ordinal)) >= count, Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the gateway did not log {count} ended calls within {Patience}; its output:\n{gateway.Output}");
        }
    }

    [Fact]
    public async Task The_journal_holds_every_call_the_simulator_played_field_for_field()
    {
        var scenario = new Scenario("e2e", [
            new ScenarioCall(TimeSpan.FromSeconds(0.5), 1, 3120101, 101, Group: true, TimeSpan.FromMilliseconds(3240), Alias: "تیم ۱ تهران", BitErrors: 1),
            new ScenarioCall(TimeSpan.FromSeconds(0.7), 2, 3120102, 3120001, Group: false, TimeSpan.FromMilliseconds(1800), LateEntry: true, Alias: "Team 2 Karaj"),
            new ScenarioCall(TimeSpan.FromSeconds(5), 1, 3120103, 9, Group: true, TimeSpan.FromMilliseconds(1440), Emergency: true, LostFrames: 2, EndWithTerminator: false),
        ], [new ScenarioSignal(TimeSpan.FromSeconds(3), 2, "radio-check", 3120001, 3120104)]);
        using var pair = await SocatPtyPair.StartAsync();
        using var simulator = GatewayProcess.Start("simulate", "--serial", pair.DeviceEnd, "--scenario", WriteScenario(scenario), "--once");
        await simulator.WaitForLineAsync(l => l.Contains("Simulated base station on", StringComparison.Ordinal), Patience);
        var config = WriteConfig(pair.GatewayEnd);
        using var gateway = GatewayProcess.Start("run", "--config", config);

        await WaitForCallsEndedAsync(gateway, 3);
        await GatewayProcess.StopAsync(gateway, Patience);

        using var journal = JournalReader.OpenDirectory(Path.Combine(_directory, "data"));
        var calls = journal.QueryCalls(new CallQuery()).OrderBy(c => c.Start).ToList();
        Assert.Equal(3, calls.Count);

        Assert.Equal((3120101u, new CallTarget(101, TargetType.Group), 1), (calls[0].Source.Id, calls[0].Destination, calls[0].Slot));
        Assert.Equal("تیم ۱ تهران", calls[0].Source.Alias);
        Assert.Equal(CallEndReason.Terminator, calls[0].EndReason);
        Assert.False(calls[0].LateEntry);
        Assert.False(calls[0].Emergency);
        // Nine superframes of six voice bursts after the headers, all heard; the duration is the gateway's wall
        // clock, which a loaded machine stretches or (reading a backlog at once) shrinks, so it is not asserted.
        Assert.InRange(calls[0].Frames, 54, 60);
        Assert.Equal(0, calls[0].LostFrames);
        Assert.True(calls[0].DurationMs > 0);

        Assert.Equal((3120102u, new CallTarget(3120001, TargetType.Unit), 2), (calls[1].Source.Id, calls[1].Destination, calls[1].Slot));
        Assert.True(calls[1].LateEntry);
        Assert.Equal("Team 2 Karaj", calls[1].Source.Alias);
        Assert.Equal(CallEndReason.Terminator, calls[1].EndReason);

        Assert.Equal((3120103u, new CallTarget(9, TargetType.Group), 1), (calls[2].Source.Id, calls[2].Destination, calls[2].Slot));
        Assert.True(calls[2].Emergency);
        Assert.Equal(CallEndReason.Timeout, calls[2].EndReason);
        Assert.Equal(2, calls[2].LostFrames);
        Assert.All(calls, c => Assert.Equal(TimeSpan.Zero, c.Start.Offset));
        Assert.All(calls, c => Assert.Equal("bs1", c.RadioId));

        var csbk = Assert.Single(journal.QueryEvents("csbk"));
        Assert.Equal("radiogw.csbk", csbk.Type);
        Assert.Contains("\"radio-check\"", csbk.DataJson, StringComparison.Ordinal);
        Assert.Contains("3120104", csbk.DataJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Positions_texts_and_registrations_sent_by_simulated_radios_reach_the_journal_with_their_values()
    {
        var scenario = new Scenario(
            "e2e-data",
            // A voice call after the data: when it has ended, everything before it has been decoded.
            [new ScenarioCall(TimeSpan.FromSeconds(8), 1, 3120101, 101, Group: true, TimeSpan.FromMilliseconds(720))],
            Data:
            [
                new ScenarioData(TimeSpan.FromSeconds(0.5), 1, "ars-register", 3120105, Scenario.DispatcherId),
                new ScenarioData(TimeSpan.FromSeconds(0.5), 2, "lrrp-position", 3120105, Scenario.DispatcherId, Latitude: -34.6037, Longitude: -58.3816, SpeedKmh: 42.5, HeadingDeg: 270),
                new ScenarioData(TimeSpan.FromSeconds(2), 1, "lrrp-position", 3120101, Scenario.DispatcherId, Latitude: 35.6892, Longitude: 51.389),
                new ScenarioData(TimeSpan.FromSeconds(2), 2, "tms-text", 3120102, Scenario.DispatcherId, Text: "تیم در محل حادثه است، وضعیت پایدار"),
                new ScenarioData(TimeSpan.FromSeconds(3.5), 2, "ars-deregister", 3120105, Scenario.DispatcherId),
                new ScenarioData(TimeSpan.FromSeconds(3.5), 1, "hytera-rrs-register", 3120106, Scenario.DispatcherId),
                new ScenarioData(TimeSpan.FromSeconds(6.5), 1, "hytera-lp-position", 3120106, Scenario.DispatcherId, Latitude: -33.8688, Longitude: -151.2093, SpeedKmh: 37.04, HeadingDeg: 45),
                new ScenarioData(TimeSpan.FromSeconds(6.5), 2, "hytera-tmp-text", 3120106, 101, GroupTarget: true, Text: "نیاز به پشتیبانی در میدان آزادی"),
            ]);
        var roster = Path.Combine(_directory, "roster.json");
        File.WriteAllText(roster, """{ "units": [ { "id": 3120105, "name": "آموزش بوئنوس آیرس", "centre": "training" } ] }""");
        using var pair = await SocatPtyPair.StartAsync();
        using var simulator = GatewayProcess.Start("simulate", "--serial", pair.DeviceEnd, "--scenario", WriteScenario(scenario), "--once");
        await simulator.WaitForLineAsync(l => l.Contains("Simulated base station on", StringComparison.Ordinal), Patience);
        using var gateway = GatewayProcess.Start("run", "--config", WriteConfig(pair.GatewayEnd), "--Gateway:RosterFile=" + roster);

        await WaitForCallsEndedAsync(gateway, 1);
        await GatewayProcess.StopAsync(gateway, Patience);

        using var journal = JournalReader.OpenDirectory(Path.Combine(_directory, "data"));
        var positions = MessageFormatter.Positions(journal.QueryEvents("position")).OrderBy(p => p.Unit.Id).ToList();
        Assert.Equal(3, positions.Count);
        var hytera = positions[2];
        Assert.Equal((-33.8688, -151.2093, "hytera-lp"), (Math.Round(hytera.Lat, 4), Math.Round(hytera.Lon, 4), hytera.Via));
        Assert.Equal((37.04, 45.0), (hytera.SpeedKmh, hytera.HeadingDeg));
        Assert.Equal((35.6892, 51.389, "lrrp"), (Math.Round(positions[0].Lat, 5), Math.Round(positions[0].Lon, 5), positions[0].Via));
        var south = positions[1];
        Assert.Equal((-34.6037, -58.3816), (Math.Round(south.Lat, 5), Math.Round(south.Lon, 5)));
        Assert.Equal((42.5, 270.0), (south.SpeedKmh, south.HeadingDeg));
        Assert.Equal("آموزش بوئنوس آیرس", south.Unit.Name);
        Assert.NotNull(south.FixTime);

        var texts = MessageFormatter.Texts(journal.QueryEvents("text"));
        Assert.Equal(2, texts.Count);
        var groupText = texts.Single(t => t.Protocol == "hytera-tmp");
        Assert.Equal(("نیاز به پشتیبانی در میدان آزادی", 3120106u, new CallTarget(101, TargetType.Group)), (groupText.Text, groupText.From.Id, groupText.To));
        var text = texts.Single(t => t.Protocol == "tms");
        Assert.Equal(("تیم در محل حادثه است، وضعیت پایدار", 3120102u, new CallTarget(Scenario.DispatcherId, TargetType.Unit), "tms"), (text.Text, text.From.Id, text.To, text.Protocol));
        Assert.True(text.AckRequested);

        var registrations = journal.QueryEvents("registration");
        Assert.Equal(3, registrations.Count);
        Assert.Contains("\"registered\":true", registrations[0].DataJson, StringComparison.Ordinal);
        Assert.Contains("\"registered\":false", registrations[1].DataJson, StringComparison.Ordinal);
        Assert.Contains("\"protocol\":\"hytera-rrs\"", registrations[2].DataJson, StringComparison.Ordinal);
        Assert.Empty(journal.QueryEvents("data"));
    }

    [Fact]
    public async Task Pulling_the_cable_mid_call_ends_it_as_link_lost_and_decoding_resumes_when_it_returns()
    {
        var longCall = new Scenario("loss", [
            new ScenarioCall(TimeSpan.FromSeconds(0.5), 1, 3120104, 102, Group: true, TimeSpan.FromSeconds(30)),
        ]);
        var shortCall = new Scenario("back", [
            new ScenarioCall(TimeSpan.FromSeconds(0.5), 2, 3120105, 103, Group: true, TimeSpan.FromMilliseconds(720)),
        ]);
        var pair = await SocatPtyPair.StartAsync();
        var simulator = GatewayProcess.Start("simulate", "--serial", pair.DeviceEnd, "--scenario", WriteScenario(longCall), "--once");
        var config = WriteConfig(pair.GatewayEnd);
        using var gateway = GatewayProcess.Start("run", "--config", config);
        await gateway.WaitForLineAsync(l => l.Contains("call from 3120104", StringComparison.Ordinal), Patience);

        pair.Cut();
        simulator.Dispose();
        await gateway.WaitForLineAsync(l => l.Contains("link lost", StringComparison.Ordinal), Patience);
        await WaitForCallsEndedAsync(gateway, 1);

        // The "USB adapter" comes back at the same path.
        using var again = await SocatPtyPairAt(pair);
        using var simulatorAgain = GatewayProcess.Start("simulate", "--serial", pair.DeviceEnd, "--scenario", WriteScenario(shortCall), "--once");
        await WaitForCallsEndedAsync(gateway, 2);
        await GatewayProcess.StopAsync(gateway, Patience);

        using var journal = JournalReader.OpenDirectory(Path.Combine(_directory, "data"));
        var calls = journal.QueryCalls(new CallQuery()).OrderBy(c => c.Start).ToList();
        Assert.Equal([CallEndReason.LinkLost, CallEndReason.Terminator], calls.Select(c => c.EndReason!.Value));
        Assert.Equal([3120104u, 3120105u], calls.Select(c => c.Source.Id));
        pair.Dispose();
    }

    [Fact]
    public async Task Sigterm_mid_call_closes_the_call_in_the_journal_as_shutdown()
    {
        var longCall = new Scenario("stop", [new ScenarioCall(TimeSpan.FromSeconds(0.5), 2, 3120106, 101, Group: true, TimeSpan.FromSeconds(30))]);
        using var pair = await SocatPtyPair.StartAsync();
        using var simulator = GatewayProcess.Start("simulate", "--serial", pair.DeviceEnd, "--scenario", WriteScenario(longCall), "--once");
        using var gateway = GatewayProcess.Start("run", "--config", WriteConfig(pair.GatewayEnd));
        await gateway.WaitForLineAsync(l => l.Contains("call from 3120106", StringComparison.Ordinal), Patience);

        await GatewayProcess.StopAsync(gateway, Patience);

        Assert.Equal(0, gateway.Process.ExitCode);
        using var journal = JournalReader.OpenDirectory(Path.Combine(_directory, "data"));
        var call = Assert.Single(journal.QueryCalls(new CallQuery()));
        Assert.Equal(CallEndReason.Shutdown, call.EndReason);
        Assert.NotNull(call.End);
    }

    [Fact]
    public async Task A_modem_behind_a_tcp_port_is_reached_through_radios_port_tcp()
    {
        var call = new Scenario("tcp", [new ScenarioCall(TimeSpan.FromSeconds(0.5), 1, 3120107, 101, Group: true, TimeSpan.FromMilliseconds(1440))]);
        var port = ExternalTool.FreeLoopbackPort();
        using var simulator = GatewayProcess.Start("simulate", "--tcp", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--scenario", WriteScenario(call), "--once");
        await simulator.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), Patience);
        using var gateway = GatewayProcess.Start("run", "--config", WriteConfig($"tcp://127.0.0.1:{port}"));

        await WaitForCallsEndedAsync(gateway, 1);
        await GatewayProcess.StopAsync(gateway, Patience);

        using var journal = JournalReader.OpenDirectory(Path.Combine(_directory, "data"));
        Assert.Equal(3120107u, Assert.Single(journal.QueryCalls(new CallQuery())).Source.Id);
    }

    private static Task<SocatPtyPair> SocatPtyPairAt(SocatPtyPair previous) => SocatPtyPair.StartAsync(Path.GetDirectoryName(previous.GatewayEnd)!);
}
