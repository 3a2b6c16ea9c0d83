using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Protocol;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.OperatorConsole;
using RadioGateway.Testing;
using RadioGateway.Tests.EndToEnd;
using RadioGateway.Uplink;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace RadioGateway.Tests.OperatorConsole;

/// <summary>
/// The fleet view (<c>radiogw console --broker</c>) as a real process on a real mosquitto, with three gateways
/// publishing what the gateway publishes (retained status, CloudEvents from <see cref="CloudEventWriter"/>).
/// </summary>
public sealed class FleetConsoleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] Gateways = ["tehran-1", "karaj-1", "shiraz-1"];
    private const uint HeardByTwo = 3120101;
    private const uint HeardByShiraz = 3120102;

    [Fact]
    public async Task The_fleet_view_shows_every_gateway_shows_a_beacon_heard_twice_once_and_sends_commands_to_the_gateway_that_heard_the_unit()
    {
        using var broker = await MosquittoBroker.StartAsync();
        var directory = Directory.CreateTempSubdirectory("radiogw-fleet-").FullName;
        var data = Path.Combine(directory, "data");
        Assert.Null(new ConsoleUsers(data).Save(ConsoleGateway.OperatorName, ConsoleRoles.Operator, ConsoleGateway.OperatorPassword));

        var gateways = new Dictionary<string, MqttSession>();
        try
        {
            foreach (var id in Gateways)
            {
                gateways[id] = await ConnectAsync(broker, "radiogw-" + id);
                await PublishAsync(gateways[id], $"radiogw/v1/{id}/status", $$$"""{"online":true,"gatewayId":"{{{id}}}","outbox":{"count":0}}""", retain: true);
            }

            await using var central = await ConnectAsync(broker, "central-system");
            await central.SubscribeAsync("radiogw/v1/+/commands/+", MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);

            var address = new Uri($"http://127.0.0.1:{ExternalTool.FreeLoopbackPort()}/");
            using var fleet = GatewayProcess.Start("console", "--broker", broker.Uri.ToString(), "--Gateway:DataDirectory=" + data, "--Console:Urls=" + address.ToString().TrimEnd('/'));
            try
            {
                await fleet.WaitForLineAsync(l => l.Contains("Following radiogw/v1/+/events/+", StringComparison.Ordinal), Patience);
                await fleet.WaitForLineAsync(l => l.Contains("Operator console: " + address.ToString().TrimEnd('/'), StringComparison.Ordinal), Patience);
                using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
                using (var anonymous = await client.GetAsync(new Uri("/api/state", UriKind.Relative)))
                {
                    Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                }

                await ConsoleGateway.SignInAsync(client, ConsoleGateway.OperatorName, ConsoleGateway.OperatorPassword);
                using var live = new StreamReader(await client.GetStreamAsync(new Uri("/api/events", UriKind.Relative)));

                // Tehran and Karaj both hear one beacon (one CloudEvents id); Shiraz hears another unit; Karaj a Persian text.
                var fix = DateTimeOffset.UtcNow;
                var beacon = FleetStateTests.Beacon(HeardByTwo, 35.6892, 51.3890, fix);
                await PublishAsync(gateways["tehran-1"], "radiogw/v1/tehran-1/events/position", new CloudEventWriter("tehran-1").Serialize(beacon));
                await PublishAsync(gateways["karaj-1"], "radiogw/v1/karaj-1/events/position", new CloudEventWriter("karaj-1").Serialize(beacon));
                await PublishAsync(gateways["shiraz-1"], "radiogw/v1/shiraz-1/events/position", new CloudEventWriter("shiraz-1").Serialize(FleetStateTests.Beacon(HeardByShiraz, 29.5918, 52.5837, fix)));
                var text = new TextMessageReceived { Id = "text.fleet.1", Time = fix, From = new RadioUnit(HeardByTwo), To = new CallTarget(9, TargetType.Group), Text = "در راه مرکز هستیم", Protocol = "tms" };
                await PublishAsync(gateways["karaj-1"], "radiogw/v1/karaj-1/events/text", new CloudEventWriter("karaj-1").Serialize(text));

                // The text went out last; the page's live stream brings it after everything published before.
                await ConsoleGateway.NextAsync(live, e => e.GetProperty("type").GetString() == "radiogw.text");
                using var state = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/state", UriKind.Relative)));
                var root = state.RootElement;
                Assert.True(root.GetProperty("fleet").GetBoolean());
                var shown = root.GetProperty("health").GetProperty("gateways").EnumerateArray().ToDictionary(g => g.GetProperty("id").GetString()!);
                Assert.Equal(Gateways.Order(StringComparer.Ordinal), shown.Keys.Order(StringComparer.Ordinal));
                Assert.All(shown.Values, g => Assert.True(g.GetProperty("online").GetBoolean()));
                var positions = Events(state, "radiogw.position");
                Assert.Equal(2, positions.Count);
                var twice = Assert.Single(positions, p => p.GetProperty("id").GetString() == beacon.Id);
                Assert.Equal(["karaj-1", "tehran-1"], twice.GetProperty("heardBy").EnumerateArray().Select(g => g.GetString()!).Order(StringComparer.Ordinal));
                Assert.Equal("در راه مرکز هستیم", Events(state, "radiogw.text")[0].GetProperty("data").GetProperty("text").GetString());

                // Commands go to the gateway that last heard the unit, or to the one named; an unheard unit needs a name.
                var token = await ConsoleGateway.AntiforgeryTokenAsync(client);
                Assert.Equal("shiraz-1", await SubmitAsync(client, token, central, new { action = "locate", target = HeardByShiraz }));
                Assert.Equal("karaj-1", await SubmitAsync(client, token, central, new { action = "text", target = HeardByTwo, text = "به مرکز برگردید" }));
                Assert.Equal("tehran-1", await SubmitAsync(client, token, central, new { action = "radio-check", target = HeardByTwo, gateway = "tehran-1" }));
                using (var unheard = await ConsoleGateway.PostAsync(client, "/api/commands", new { action = "locate", target = 3120199 }, token))
                {
                    Assert.Equal(HttpStatusCode.BadRequest, unheard.StatusCode);
                    Assert.Contains("no gateway has heard unit 3120199", await unheard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }

                // The page: all three gateways, the beacon heard by two once on the map, with both gateways named.
                using (var chromium = new HeadlessChromium(output, Patience))
                {
                    chromium.Driver.Navigate().GoToUrl(address);
                    chromium.SignIn(ConsoleGateway.OperatorName, ConsoleGateway.OperatorPassword);
                    Assert.Contains("fleet", chromium.Driver.FindElement(By.TagName("body")).GetAttribute("class"), StringComparison.Ordinal);
                    chromium.Driver.FindElement(By.CssSelector("button[data-tab='health']")).Click();
                    chromium.Wait.Until(d => d.FindElements(By.CssSelector("#gateways tr.online")).Count == 3);
                    chromium.Screenshot("fleet-gateways");
                    chromium.Driver.FindElement(By.CssSelector("button[data-tab='teams']")).Click();
                    chromium.Wait.Until(d => d.FindElements(By.CssSelector($"#teams tr[data-unit='{HeardByTwo}'] .heard-by .gateway")).Count == 2);
                    chromium.Driver.FindElement(By.CssSelector("button[data-tab='map']")).Click();
                    chromium.Wait.Until(d => d.FindElements(By.CssSelector(".unit-marker")).Count == 2 && d.FindElement(By.CssSelector($".unit-marker[data-unit='{HeardByTwo}']")).Displayed);
                    chromium.Screenshot("fleet-map");
                }

                // A gateway's Last Will (retained offline status) shows it offline.
                await PublishAsync(gateways["shiraz-1"], "radiogw/v1/shiraz-1/status", """{"online":false,"gatewayId":"shiraz-1"}""", retain: true);
                var health = await ConsoleGateway.NextAsync(live, e => e.GetProperty("type").GetString() == "radiogw.console.health"
                    && e.GetProperty("data").GetProperty("gateways").EnumerateArray().Any(g => g.GetProperty("id").GetString() == "shiraz-1" && !g.GetProperty("online").GetBoolean()));
                Assert.Equal(2, health.GetProperty("data").GetProperty("gateways").EnumerateArray().Count(g => g.GetProperty("online").GetBoolean()));
            }
            finally
            {
                await GatewayProcess.StopAsync(fleet, Patience);
            }

            Assert.Equal(0, fleet.Process.ExitCode);
        }
        finally
        {
            foreach (var session in gateways.Values)
            {
                await session.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_fleet_view_without_a_broker_or_with_a_prefix_that_hides_the_gateway_stops_with_the_setting_named()
    {
        using (var noBroker = GatewayProcess.Start("console", "--Gateway:DataDirectory=" + Path.GetTempPath()))
        {
            await noBroker.Process.WaitForExitAsync();
            Assert.Equal(2, noBroker.Process.ExitCode);
            Assert.Contains("Mqtt:Broker: is empty; the fleet view needs the central broker", noBroker.Output, StringComparison.Ordinal);
        }

        using var fixedPrefix = GatewayProcess.Start("console", "--broker", "mqtt://127.0.0.1:1", "--Mqtt:TopicPrefix=radiogw/v1/all/", "--Gateway:DataDirectory=" + Path.GetTempPath());
        await fixedPrefix.Process.WaitForExitAsync();
        Assert.Equal(2, fixedPrefix.Process.ExitCode);
        Assert.Contains("Mqtt:TopicPrefix: 'radiogw/v1/all/' must contain {gatewayId} once, as a whole topic level", fixedPrefix.Output, StringComparison.Ordinal);
    }

    private static async Task<MqttSession> ConnectAsync(MosquittoBroker broker, string clientId)
    {
        var session = new MqttSession(new MqttSessionOptions { Broker = broker.Uri, ClientId = clientId, CleanStart = true, SessionExpirySeconds = 0 }, NullLogger.Instance);
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await session.WaitUntilConnectedAsync(timeout.Token);
        return session;
    }

    private static Task PublishAsync(MqttSession session, string topic, string payload, bool retain = false) =>
        PublishAsync(session, topic, Encoding.UTF8.GetBytes(payload), retain);

    private static async Task PublishAsync(MqttSession session, string topic, byte[] payload, bool retain = false)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await session.PublishAsync(topic, new ReadOnlySequence<byte>(payload), retain, timeout.Token);
    }

    /// <summary>Posts the command and returns the gateway whose <c>commands/</c> topic the central broker delivered it on.</summary>
    private static async Task<string> SubmitAsync(HttpClient client, string token, MqttSession central, object command)
    {
        using var response = await ConsoleGateway.PostAsync(client, "/api/commands", command, token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var commandId = JsonDocument.Parse(body).RootElement.GetProperty("commandId").GetString();
        using var timeout = new CancellationTokenSource(Patience);
        var delivered = await central.Received.ReadAsync(timeout.Token);
        await central.AcknowledgeAsync(delivered, timeout.Token);
        using var cloudEvent = JsonDocument.Parse(delivered.Payload);
        Assert.Equal(commandId, cloudEvent.RootElement.GetProperty("id").GetString());
        return delivered.Topic.Split('/')[2];
    }

    private static List<JsonElement> Events(JsonDocument state, string type) =>
        [.. state.RootElement.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("type").GetString() == type)];
}
