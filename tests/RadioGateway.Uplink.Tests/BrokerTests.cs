using System.Buffers;
using System.Globalization;
using System.Text;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using RadioGateway.Testing;

namespace RadioGateway.Uplink.Tests;

/// <summary>Our use of MQTTnet against a real mosquitto started for each test on a free loopback port.</summary>
public sealed class BrokerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    internal static MqttSession Session(Uri broker, MqttProtocolVersion version, string id, TestLog? log = null, string? willTopic = null, int maximumPacketSize = 256 * 1024) => new(
        new MqttSessionOptions
        {
            Broker = broker,
            Version = version,
            ClientId = id,
            KeepAlive = TimeSpan.FromSeconds(5),
            MinReconnectDelay = TimeSpan.FromMilliseconds(200),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
            WillTopic = willTopic,
            WillPayload = "{\"online\":false}"u8.ToArray(),
            MaximumPacketSize = maximumPacketSize,
        },
        log ?? new TestLog());

    private static ReadOnlySequence<byte> Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task Qos1_publishes_complete_on_puback_and_reach_an_independent_subscriber(MqttProtocolVersion version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var subscriber = broker.Subscribe("radiogw/#");
        await broker.WaitForSubscriberAsync();
        await using var session = Session(broker.Uri, version, "gw-" + version);
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            session.PublishAsync("radiogw/v1/gw/events/call", Utf8($"{{\"n\":{i},\"alias\":\"تیم ۱۲\"}}"), retain: false, timeout.Token)));

        // Fifty publishes in flight at once may arrive in any order: wait for all of them, then look at one.
        await subscriber.WaitForLineAsync(_ => subscriber.Output.Split('\n').Count(l => l.Contains("events/call", StringComparison.Ordinal)) >= 50, Patience);
        Assert.Contains("radiogw/v1/gw/events/call {\"n\":0,\"alias\":\"تیم ۱۲\"}", subscriber.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_qos0_message_subscribed_at_qos0_arrives(MqttProtocolVersion version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var session = Session(broker.Uri, version, "gw-qos0-" + version);
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await session.SubscribeAsync("radiogw/v1/gw/commands/#", MqttQualityOfServiceLevel.AtMostOnce, timeout.Token);

        await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/commands/text", "فرمان ۰", 0);

        var received = await session.Received.ReadAsync(timeout.Token);
        Assert.Equal(("radiogw/v1/gw/commands/text", "فرمان ۰", MqttQualityOfServiceLevel.AtMostOnce), (received.Topic, Encoding.UTF8.GetString(received.Payload), received.Qos));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task The_last_will_is_published_retained_when_the_gateway_vanishes(MqttProtocolVersion version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var network = new TcpForwarder(broker.Port);
        await using var session = Session(new Uri($"mqtt://127.0.0.1:{network.Port}"), version, "gw-will", willTopic: "radiogw/v1/gw/status");
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await session.PublishAsync("radiogw/v1/gw/status", Utf8("{\"online\":true}"), retain: true, timeout.Token);
        using var watcher = broker.Subscribe("radiogw/v1/gw/status");
        await watcher.WaitForLineAsync(l => l.Contains("{\"online\":true}", StringComparison.Ordinal), Patience);

        // The gateway's network dies without DISCONNECT: the broker publishes the Will, retained [MQTT-3.1.2-8].
        network.Cut();
        await watcher.WaitForLineAsync(l => l.Contains("{\"online\":false}", StringComparison.Ordinal), Patience);
        using var late = broker.Subscribe("radiogw/v1/gw/status");
        await late.WaitForLineAsync(l => l.Contains("{\"online\":false}", StringComparison.Ordinal), Patience);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_clean_stop_leaves_the_final_status_retained_although_disconnect_discards_the_will(MqttProtocolVersion version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        var log = new TestLog();
        var session = Session(broker.Uri, version, "gw-stop", log, willTopic: "radiogw/v1/gw/status");
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await session.PublishAsync("radiogw/v1/gw/status", Utf8("{\"online\":true}"), retain: true, timeout.Token);

        await session.StopAsync("radiogw/v1/gw/status", "{\"online\":false,\"reason\":\"stopped\"}"u8.ToArray(), Patience);
        await session.DisposeAsync();
        Assert.Contains("Disconnected from", string.Join("\n", log.Lines.Select(l => l.Message)), StringComparison.Ordinal);

        using var late = broker.Subscribe("radiogw/v1/gw/status");
        await late.WaitForLineAsync(l => l.Contains("{\"online\":false,\"reason\":\"stopped\"}", StringComparison.Ordinal), Patience);
        Assert.DoesNotContain("{\"online\":false}", late.Output, StringComparison.Ordinal);
        Assert.Contains("Received DISCONNECT from gw-stop", broker.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_publish_waiting_while_the_broker_is_down_completes_after_it_returns()
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var session = Session(broker.Uri, MqttProtocolVersion.V500, "gw-outage");
        session.Start();
        using var timeout = new CancellationTokenSource(Patience * 2);
        await session.WaitUntilConnectedAsync(timeout.Token);

        broker.Stop();
        var publishing = RetryUntilDeliveredAsync(session, timeout.Token);
        await broker.RestartAsync();

        await publishing;
        using var subscriber = broker.Subscribe("radiogw/v1/gw/events/call");
        await subscriber.WaitForLineAsync(l => l.Contains("outage", StringComparison.Ordinal), Patience);
    }

    // What the outbox does: a publish cut off by the outage fails, and the next attempt waits for the new connection.
    private static async Task RetryUntilDeliveredAsync(MqttSession session, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await session.PublishAsync("radiogw/v1/gw/events/call", Utf8("{\"during\":\"outage\"}"), retain: true, cancellationToken);
                return;
            }
            catch (MqttConnectionLostException)
            {
            }
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task An_exactly_once_message_arrives_once_and_nothing_arrives_after_unsubscribing(MqttProtocolVersion version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        await using var session = Session(broker.Uri, version, "gw-qos2-" + version);
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await session.SubscribeAsync("radiogw/v1/gw/commands/#", MqttQualityOfServiceLevel.ExactlyOnce, timeout.Token);

        await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/commands/text", "فرمان ۱", 2);
        var received = await session.Received.ReadAsync(timeout.Token);
        Assert.Equal(("radiogw/v1/gw/commands/text", "فرمان ۱", MqttQualityOfServiceLevel.ExactlyOnce), (received.Topic, Encoding.UTF8.GetString(received.Payload), received.Qos));
        await session.AcknowledgeAsync(received, timeout.Token);

        await session.UnsubscribeAsync("radiogw/v1/gw/commands/#", timeout.Token);
        await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/commands/text", "after", 1);
        await session.SubscribeAsync("radiogw/v1/gw/marker", MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);
        await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/marker", "marker", 1);

        // Messages arrive in order on one connection, so the marker proves "after" was never delivered.
        var next = await session.Received.ReadAsync(timeout.Token);
        Assert.Equal("radiogw/v1/gw/marker", next.Topic);
        Assert.False(session.Received.TryRead(out _));
    }

    [Fact]
    public async Task A_command_larger_than_we_accept_on_mqtt_311_is_acknowledged_and_dropped_and_not_delivered_again()
    {
        using var broker = await MosquittoBroker.StartAsync();
        var log = new TestLog();
        using var timeout = new CancellationTokenSource(Patience);
        await using (var first = Session(broker.Uri, MqttProtocolVersion.V311, "gw-large", log, maximumPacketSize: 4096))
        {
            first.Start();
            await first.SubscribeAsync("radiogw/v1/gw/commands/#", MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);
            await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/commands/text", new string('x', 10_000), 1);
            await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/commands/text", "small", 1);

            var next = await first.Received.ReadAsync(timeout.Token);
            Assert.Equal("small", Encoding.UTF8.GetString(next.Payload));
            await first.AcknowledgeAsync(next, timeout.Token);
            Assert.Contains("on radiogw/v1/gw/commands/text of 10031 bytes exceeds the 4096 bytes this gateway accepts", await log.WaitForAsync("exceeds", Patience), StringComparison.Ordinal);
        }

        // The persistent session would deliver anything unacknowledged again; a marker shows nothing came before it.
        await PublishWithMosquittoPubAsync(broker, "radiogw/v1/gw/commands/marker", "marker", 1);
        await using var again = Session(broker.Uri, MqttProtocolVersion.V311, "gw-large", log, maximumPacketSize: 4096);
        again.Start();
        var first2 = await again.Received.ReadAsync(timeout.Token);
        Assert.Equal("radiogw/v1/gw/commands/marker", first2.Topic);
    }

    internal static async Task PublishWithMosquittoPubAsync(MosquittoBroker broker, string topic, string message, int qos)
    {
        var pub = ExternalTool.Require("mosquitto_pub", "mosquitto-clients");
        using var process = ExternalTool.Start(pub, ["-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-q", qos.ToString(CultureInfo.InvariantCulture), "-t", topic, "-m", message]);
        using var timeout = new CancellationTokenSource(Patience);
        await process.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.Process.ExitCode);
    }
}
