using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Mqtt.Packets;
using RadioGateway.Mqtt.Session;
using RadioGateway.Testing;

namespace RadioGateway.Mqtt.Tests;

/// <summary>The client against a real mosquitto started for each test on a free loopback port.</summary>
public sealed class BrokerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static MqttClient Client(MosquittoBroker broker, MqttProtocolVersion version, string id, string? willTopic = null, Uri? via = null) => new(
        new MqttClientOptions
        {
            Broker = via ?? broker.Uri,
            Version = version,
            ClientId = id,
            KeepAlive = TimeSpan.FromSeconds(5),
            MinReconnectDelay = TimeSpan.FromMilliseconds(200),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
            WillTopic = willTopic,
            WillPayload = "{\"online\":false}"u8.ToArray(),
        },
        NullLogger.Instance);

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task Qos1_publishes_complete_on_puback_and_reach_an_independent_subscriber(MqttProtocolVersion version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var subscriber = broker.Subscribe("radiogw/#");
        await broker.WaitForSubscriberAsync();
        await using var client = Client(broker, version, "gw-" + version);
        client.Start();
        using var timeout = new CancellationTokenSource(Patience);

        for (var i = 0; i < 50; i++)
        {
            await client.PublishAsync($"radiogw/v1/gw/events/call", Encoding.UTF8.GetBytes($"{{\"n\":{i},\"alias\":\"تیم ۱۲\"}}"), MqttQos.AtLeastOnce, retain: false, timeout.Token);
        }

        await subscriber.WaitForLineAsync(l => l.Contains("\"n\":49", StringComparison.Ordinal), Patience);
        Assert.Contains("radiogw/v1/gw/events/call {\"n\":0,\"alias\":\"تیم ۱۲\"}", subscriber.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task The_last_will_is_published_retained_when_the_gateway_vanishes(MqttProtocolVersion version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var network = new TcpForwarder(broker.Port);
        await using var client = Client(broker, version, "gw-will", willTopic: "radiogw/v1/gw/status", via: new Uri($"mqtt://127.0.0.1:{network.Port}"));
        client.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await client.WaitUntilConnectedAsync(timeout.Token);
        await client.PublishAsync("radiogw/v1/gw/status", "{\"online\":true}"u8.ToArray(), MqttQos.AtLeastOnce, retain: true, timeout.Token);
        using var watcher = broker.Subscribe("radiogw/v1/gw/status");
        await watcher.WaitForLineAsync(l => l.Contains("{\"online\":true}", StringComparison.Ordinal), Patience);

        // The gateway's network dies without DISCONNECT: the broker publishes the Will, retained [MQTT-3.1.2-8].
        network.Cut();
        await watcher.WaitForLineAsync(l => l.Contains("{\"online\":false}", StringComparison.Ordinal), Patience);
        using var late = broker.Subscribe("radiogw/v1/gw/status");
        await late.WaitForLineAsync(l => l.Contains("{\"online\":false}", StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task A_publish_in_flight_when_the_broker_dies_completes_after_it_returns()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var client = Client(broker, MqttProtocolVersion.V500, "gw-outage");
        client.Start();
        using var timeout = new CancellationTokenSource(Patience * 2);
        await client.WaitUntilConnectedAsync(timeout.Token);

        broker.Stop();
        var publishing = client.PublishAsync("radiogw/v1/gw/events/call", "{\"during\":\"outage\"}"u8.ToArray(), MqttQos.AtLeastOnce, retain: true, timeout.Token);
        Assert.False(publishing.IsCompleted);
        await broker.RestartAsync();

        await publishing;
        using var subscriber = broker.Subscribe("radiogw/v1/gw/events/call");
        await subscriber.WaitForLineAsync(l => l.Contains("outage", StringComparison.Ordinal), Patience);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task An_exactly_once_message_arrives_once_and_nothing_arrives_after_unsubscribing(MqttProtocolVersion version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var client = Client(broker, version, "gw-qos2-" + version);
        client.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await client.SubscribeAsync("radiogw/v1/gw/commands/#", MqttQos.ExactlyOnce, timeout.Token);

        await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/commands/text", "فرمان ۱", 2);
        var received = await client.Received.ReadAsync(timeout.Token);
        Assert.Equal(("radiogw/v1/gw/commands/text", "فرمان ۱", MqttQos.ExactlyOnce), (received.Topic, Encoding.UTF8.GetString(received.Payload.Span), received.Qos));

        await client.UnsubscribeAsync("radiogw/v1/gw/commands/#", timeout.Token);
        await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/commands/text", "after", 1);
        await client.SubscribeAsync("radiogw/v1/gw/marker", MqttQos.AtLeastOnce, timeout.Token);
        await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/marker", "marker", 1);

        // Messages arrive in order on one connection, so the marker proves "after" was never delivered.
        var next = await client.Received.ReadAsync(timeout.Token);
        Assert.Equal("radiogw/v1/gw/marker", next.Topic);
        Assert.False(client.Received.TryRead(out _));
    }

    private static async Task PublishWithMosquittoPubAsync(MosquittoBroker broker, string topic, string message, int qos)
    {
        var pub = ExternalTool.Require("mosquitto_pub", "mosquitto-clients");
        using var process = ExternalTool.Start(pub, ["-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", topic, "-m", message]);
        using var timeout = new CancellationTokenSource(Patience);
        await process.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.Process.ExitCode);
    }
}
