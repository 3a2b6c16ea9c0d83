using System.Buffers;
using System.Buffers.Binary;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace RadioGateway.Uplink.Tests;

/// <summary>
/// Brokers that misbehave, each case found against the gateway's earlier client. Every one must end in a clear log
/// line and a new connection, never in a stall or an unbounded allocation.
/// </summary>
public sealed class HostileBrokerTests
{
    private const int Publish = 3;
    private const int PingRequest = 12;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly ReadOnlySequence<byte> Small = new("{\"n\":1}"u8.ToArray());

    private static MqttSession Session(HostileBroker broker, TestLog log, MqttProtocolVersion version = MqttProtocolVersion.V500, TimeSpan? keepAlive = null) => new(
        new MqttSessionOptions
        {
            Broker = broker.Uri,
            Version = version,
            ClientId = "gw-hostile",
            KeepAlive = keepAlive ?? TimeSpan.FromSeconds(2),
            AcknowledgeTimeout = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            MinReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        },
        log);

    private static ushort PacketId(byte[] publishBody) => BinaryPrimitives.ReadUInt16BigEndian(publishBody.AsSpan(2 + BinaryPrimitives.ReadUInt16BigEndian(publishBody)));

    private static async Task AcceptAsync(HostileConnection connection, byte[] connAck, CancellationToken cancellationToken)
    {
        await connection.ReadPacketAsync(cancellationToken);
        await connection.SendAsync(connAck, cancellationToken);
    }

    [Fact]
    public async Task A_packet_announcing_256_MB_ends_the_connection_with_one_line_and_a_reconnect()
    {
        await using var broker = new HostileBroker(async (c, ct) =>
        {
            await AcceptAsync(c, HostileConnection.ConnAck5(), ct);
            await c.SendAsync([0x90, 0xFF, 0xFF, 0xFF, 0x7F], ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var log = new TestLog();
        await using var session = Session(broker, log);
        session.Start();

        var line = await log.WaitForAsync("lost", Patience);
        Assert.Contains("announced a packet of type 9 with 268435455 bytes, more than the 262144 bytes this gateway accepts", line, StringComparison.Ordinal);
        await broker.WaitForConnectionAsync(2, Patience);
    }

    [Fact]
    public async Task A_broker_that_trickles_a_byte_a_second_is_dropped_when_no_PINGRESP_comes()
    {
        await using var broker = new HostileBroker(async (c, ct) =>
        {
            await AcceptAsync(c, HostileConnection.ConnAck5(), ct);
            await c.SendAsync([0x30, 0x64], ct);
            while (true)
            {
                // The broker's own pace, not the test's synchronisation.
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                await c.SendAsync([0x78], ct);
            }
        });
        var log = new TestLog();
        await using var session = Session(broker, log);
        session.Start();
        await broker.WaitForConnectionAsync(1, Patience);

        await log.WaitForAsync("lost", Patience);
        await broker.WaitForConnectionAsync(2, Patience);
    }

    [Fact]
    public async Task A_connack_with_receive_maximum_0_does_not_stall_publishing_and_an_unanswered_publish_reconnects()
    {
        var publishes = 0;
        await using var broker = new HostileBroker(async (c, ct) =>
        {
            await AcceptAsync(c, HostileConnection.ConnAck5(0x21, 0x00, 0x00), ct);
            while (true)
            {
                await c.ReadUntilAsync(Publish, ct);
                Interlocked.Increment(ref publishes);
            }
        });
        var log = new TestLog();
        await using var session = Session(broker, log);
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);

        await Assert.ThrowsAsync<TimeoutException>(() => session.PublishAsync("radiogw/v1/gw/events/call", Small, retain: false, timeout.Token));

        Assert.True(Volatile.Read(ref publishes) >= 1, "the publish went out despite Receive Maximum 0");
        Assert.Contains("No PUBACK", await log.WaitForAsync("No PUBACK", Patience), StringComparison.Ordinal);
        await broker.WaitForConnectionAsync(2, Patience);
    }

    [Fact]
    public async Task A_broker_acknowledging_only_unknown_packet_ids_is_given_up_and_reconnected()
    {
        await using var broker = new HostileBroker(async (c, ct) =>
        {
            await AcceptAsync(c, HostileConnection.ConnAck5(), ct);
            while (true)
            {
                var publish = await c.ReadUntilAsync(Publish, ct);
                var wrong = (ushort)(PacketId(publish.Body) ^ 0x5555);
                await c.SendAsync([0x40, 0x02, (byte)(wrong >> 8), (byte)wrong], ct);
            }
        });
        var log = new TestLog();
        await using var session = Session(broker, log);
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);

        await Assert.ThrowsAsync<TimeoutException>(() => session.PublishAsync("radiogw/v1/gw/events/call", Small, retain: false, timeout.Token));

        await log.WaitForAsync("No PUBACK from", Patience);
        await broker.WaitForConnectionAsync(2, Patience);
    }

    [Fact]
    public async Task The_brokers_maximum_packet_size_is_honoured_and_a_message_it_would_never_take_is_refused_locally()
    {
        await using var broker = new HostileBroker(async (c, ct) =>
        {
            await AcceptAsync(c, HostileConnection.ConnAck5(0x27, 0x00, 0x00, 0x00, 0xC8), ct); // Maximum Packet Size 200
            while (true)
            {
                var publish = await c.ReadUntilAsync(Publish, ct);
                var id = PacketId(publish.Body);
                await c.SendAsync([0x40, 0x02, (byte)(id >> 8), (byte)id], ct);
            }
        });
        await using var session = Session(broker, new TestLog());
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);

        var large = new ReadOnlySequence<byte>(new byte[300]);
        var refused = await Assert.ThrowsAsync<MessageTooLargeException>(() => session.PublishAsync("radiogw/v1/gw/events/call", large, retain: false, timeout.Token));
        Assert.Contains("Maximum Packet Size of 200 bytes", refused.Message, StringComparison.Ordinal);
        await session.PublishAsync("radiogw/v1/gw/events/call", Small, retain: false, timeout.Token);
    }

    [Fact]
    public async Task A_shorter_server_keep_alive_is_honoured_with_pings_at_the_brokers_interval()
    {
        var pinged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var broker = new HostileBroker(async (c, ct) =>
        {
            await AcceptAsync(c, HostileConnection.ConnAck5(0x13, 0x00, 0x01), ct); // Server Keep Alive 1 s
            await c.ReadUntilAsync(PingRequest, ct);
            await c.SendAsync([0xD0, 0x00], ct);
            pinged.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var session = Session(broker, new TestLog(), keepAlive: TimeSpan.FromSeconds(60));
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await session.WaitUntilConnectedAsync(timeout.Token);

        Assert.Equal(TimeSpan.FromSeconds(1), session.Limits!.KeepAlive);
        await pinged.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_broker_granting_only_qos_0_gets_qos_0_publishes_and_a_warning()
    {
        var qos = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var broker = new HostileBroker(async (c, ct) =>
        {
            await AcceptAsync(c, HostileConnection.ConnAck5(0x24, 0x00), ct); // Maximum QoS 0
            var publish = await c.ReadUntilAsync(Publish, ct);
            qos.TrySetResult((publish.Flags >> 1) & 3);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var log = new TestLog();
        await using var session = Session(broker, log);
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);

        await session.PublishAsync("radiogw/v1/gw/events/call", Small, retain: false, timeout.Token);

        Assert.Equal((int)MqttQualityOfServiceLevel.AtMostOnce, await qos.Task.WaitAsync(Patience));
        await log.WaitForAsync("grants only QoS 0", Patience);
    }
}
