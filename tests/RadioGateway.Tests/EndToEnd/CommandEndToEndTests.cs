using RadioGateway.Simulator.Scenarios;
using RadioGateway.Testing;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// The downlink loop with real programs: mosquitto, a socat pty pair, <c>radiogw simulate</c> as the base station
/// with its field radios, <c>radiogw run</c> as the gateway, and <c>radiogw send</c> as the central system.
/// </summary>
public sealed class CommandEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-commands-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<(int ExitCode, string Output)> SendAsync(MosquittoBroker broker, params string[] arguments) =>
        GatewayProcess.SendAsync(broker, Patience, arguments);

    [Fact]
    public async Task Commands_reach_the_simulated_radios_and_come_back_delivered_failed_or_limited()
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var positions = broker.Subscribe("radiogw/v1/e2e/events/position");
        using var pair = await SocatPtyPair.StartAsync();
        var scenario = Path.Combine(_directory, "scenario.json");
        await File.WriteAllTextAsync(scenario, new Scenario("quiet", []).ToJson());
        using var simulator = GatewayProcess.Start("simulate", "--serial", pair.DeviceEnd, "--scenario", scenario, "--once");
        await simulator.WaitForLineAsync(l => l.Contains("Simulated base station on", StringComparison.Ordinal), Patience);
        var roster = Path.Combine(_directory, "roster.json");
        await File.WriteAllTextAsync(roster, """{ "units": [ { "id": 3120106, "name": "Team 6", "dataProtocol": "hytera" } ] }""");
        var config = Path.Combine(_directory, "radiogw.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Gateway": { "Id": "e2e", "RadioId": 3120001, "RosterFile": "{{roster}}", "DataDirectory": "{{Path.Combine(_directory, "data")}}" },
              "Mqtt": { "Broker": "{{broker.Uri}}" },
              "Commands": { "AnswerTimeoutSeconds": 6, "MaxPerUnitPerMinute": 2, "DefaultLifetimeSeconds": 10 },
              "Radios": [ { "Name": "bs1", "Profile": "{{GatewayProcess.Repository("hardware-profiles", "simulator.json")}}", "Port": "{{pair.GatewayEnd}}",
                            "ChannelProfile": "{{GatewayProcess.Repository("hardware-profiles", "channel-plans", "simulator.json")}}" } ]
            }
            """);
        using var gateway = GatewayProcess.Start("run", "--config", config);
        await gateway.WaitForLineAsync(l => l.Contains("Listening for commands", StringComparison.Ordinal), Patience);

        // A Persian text reaches the radio intact and the radio's TMS acknowledgement makes it delivered.
        var text = await SendAsync(broker, "text", "--to", "3120101", "--text", "به مرکز برگردید، تیم ۱");
        Assert.True(text.ExitCode == 0, text.Output);
        Assert.Contains("\"state\":\"delivered\"", text.Output, StringComparison.Ordinal);
        await simulator.WaitForLineAsync(l => l.Contains("Simulated radio 3120101 received tms text به مرکز برگردید، تیم ۱", StringComparison.Ordinal), Patience);

        // A location request to a Hytera unit returns a position event and delivered.
        var locate = await SendAsync(broker, "locate", "--unit", "3120106");
        Assert.True(locate.ExitCode == 0, locate.Output);
        await positions.WaitForLineAsync(l => l.Contains("\"unit\":{\"id\":3120106", StringComparison.Ordinal) && l.Contains("\"via\":\"hytera-lp\"", StringComparison.Ordinal), Patience);

        // A radio that never answers: failed with timeout.
        var silent = await SendAsync(broker, "radio-check", "--unit", "3120132");
        Assert.Equal(1, silent.ExitCode);
        Assert.Contains("\"reason\":\"timeout:", silent.Output, StringComparison.Ordinal);

        // An invalid command is answered failed naming the field, and nothing reaches the air.
        var receptionsBefore = simulator.Output.Split('\n').Count(l => l.Contains("Simulated radio", StringComparison.Ordinal));
        var invalid = await SendAsync(broker, "text", "--to", "3120101", "--text", " ");
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("invalid: data.text", invalid.Output, StringComparison.Ordinal);

        // Two commands per unit per minute: the third to the same unit is held and refused when it expires.
        foreach (var attempt in new[] { 1, 2 })
        {
            var check = await SendAsync(broker, "radio-check", "--unit", "3120102");
            Assert.True(check.ExitCode == 0, $"radio check {attempt}: {check.Output}\n{gateway.Output}");
        }

        var limited = await SendAsync(broker, "radio-check", "--unit", "3120102");
        Assert.Equal(1, limited.ExitCode);
        Assert.Contains("rejected: transmit limit (2 commands per minute to unit 3120102)", limited.Output, StringComparison.Ordinal);
        Assert.Equal(receptionsBefore + 2, simulator.Output.Split('\n').Count(l => l.Contains("Simulated radio", StringComparison.Ordinal)));

        await GatewayProcess.StopAsync(gateway, Patience);
    }
}
