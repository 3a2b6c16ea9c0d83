using System.Text.RegularExpressions;
using RadioGateway.Core.Journal;
using RadioGateway.Testing;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>
/// Nothing journaled is lost upstream: the gateway on the simulated base station keeps producing calls while
/// a real mosquitto is down, is then killed with SIGKILL mid-stream, and a restarted gateway drains the rest.
/// </summary>
public sealed partial class UplinkEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-uplink-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static int Count(RunningProcess process, string text) =>
        process.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    private static HashSet<string> ReceivedIds(params RunningProcess[] subscribers) =>
        subscribers.SelectMany(s => EventId().Matches(s.Output).Select(m => m.Groups[1].Value)).ToHashSet();

    [Fact]
    public async Task Every_journaled_event_arrives_by_id_through_a_broker_outage_and_a_gateway_crash()
    {
        using var broker = await MosquittoBroker.StartAsync("autosave_interval 1");
        string[] subscriberArgs = ["-c", "-i", "central-system", "-q", "1"];
        var subscriber = broker.Subscribe("radiogw/v1/e2e/events/#", subscriberArgs);
        await broker.WaitForSubscriberAsync();
        string[] gatewayArgs = ["--Gateway:Id=e2e", $"--Gateway:DataDirectory={Path.Combine(_directory, "data")}", $"--Mqtt:Broker={broker.Uri}"];
        var gateway = GatewayProcess.Start(["run", "--simulate", .. gatewayArgs]);

        await subscriber.WaitForLineAsync(_ => Count(subscriber, "radiogw.call.ended") >= 2, Patience);

        // Outage: the broker goes away while calls keep coming.
        await broker.StopGracefullyAsync();
        var endedBefore = Count(gateway, " ended after ");
        await gateway.WaitForLineAsync(_ => Count(gateway, " ended after ") >= endedBefore + 2, Patience);
        await broker.RestartAsync();
        subscriber.Dispose();
        var subscriberAgain = broker.Subscribe("radiogw/v1/e2e/events/#", subscriberArgs);
        await subscriberAgain.WaitForLineAsync(_ => Count(subscriberAgain, "radiogw.call.ended") >= 1, Patience);

        // Crash mid-stream: no shutdown, no flush.
        gateway.Dispose();
        using var restarted = GatewayProcess.Start(["run", .. gatewayArgs]);

        HashSet<string> journaled;
        using (var journal = JournalReader.OpenDirectory(Path.Combine(_directory, "data")))
        {
            journaled = journal.QueryEvents(limit: 100_000).Select(e => e.Id).ToHashSet();
        }

        try
        {
            await subscriberAgain.WaitForLineAsync(_ => journaled.IsSubsetOf(ReceivedIds(subscriber, subscriberAgain)), Patience);
        }
        catch (TimeoutException)
        {
            var missing = journaled.Except(ReceivedIds(subscriber, subscriberAgain)).ToList();
            Assert.Fail($"{missing.Count} of {journaled.Count} journaled events never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        }

        Assert.True(journaled.Count >= 8, $"only {journaled.Count} events journaled");
        Assert.Contains(ReceivedIds(subscriberAgain), id => id.EndsWith("/ended", StringComparison.Ordinal));
        subscriberAgain.Dispose();
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task A_gateway_stopped_with_sigterm_leaves_its_status_offline_on_the_broker(string version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var watcher = broker.Subscribe("radiogw/v1/stop/status");
        await broker.WaitForSubscriberAsync();
        var gateway = GatewayProcess.Start(["run", "--simulate", "--Gateway:Id=stop", $"--Gateway:DataDirectory={Path.Combine(_directory, "data")}", $"--Mqtt:Broker={broker.Uri}", $"--Mqtt:ProtocolVersion={version}"]);
        await watcher.WaitForLineAsync(l => l.Contains("\"online\":true", StringComparison.Ordinal), Patience);

        await GatewayProcess.StopAsync(gateway, Patience);

        Assert.Equal(0, gateway.Process.ExitCode);
        // A normal DISCONNECT discards the Will [MQTT-3.1.2-10]: the offline status is the gateway's own last word.
        await watcher.WaitForLineAsync(l => l.Contains("{\"online\":false,\"gatewayId\":\"stop\",\"reason\":\"stopped\"}", StringComparison.Ordinal), Patience);
        using var late = broker.Subscribe("radiogw/v1/stop/status");
        await late.WaitForLineAsync(l => l.Contains("\"reason\":\"stopped\"", StringComparison.Ordinal), Patience);
        gateway.Dispose();
    }

    [GeneratedRegex("\"id\":\"([^\"]+)\"")]
    private static partial Regex EventId();
}
