using System.Buffers;
using System.Net.Sockets;
using RadioGateway.Mqtt.Codec;
using RadioGateway.Mqtt.Packets;
using RadioGateway.Testing;

namespace RadioGateway.Mqtt.Tests;

/// <summary>
/// Golden bytes captured from a live mosquitto: our encoder's packets go out over a raw socket and the broker's
/// exact answers are compared with the specification's layouts, then decoded in every chunking.
/// </summary>
public sealed class MosquittoCaptureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Mosquitto_answers_every_311_client_packet_with_the_specified_bytes()
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", broker.Port);
        var stream = tcp.GetStream();
        var writer = new MqttPacketWriter(MqttProtocolVersion.V311);

        var exchanges = new (string What, Action<IBufferWriter<byte>> Send, string Expected, MqttPacketType Type)[]
        {
            ("CONNACK, return code 0 [MQTT-3.2.2-3]", b => writer.WriteConnect(b, new ConnectRequest("capture", 60, true, 0, 0, 0, null, null, null, default, false)), "20020000", MqttPacketType.ConnAck),
            ("SUBACK granting QoS 2 [MQTT-3.9.3]", b => writer.WriteSubscribe(b, 1, "capture/#", MqttQos.ExactlyOnce), "9003000102", MqttPacketType.SubAck),
            ("PUBACK [MQTT-3.4]", b => writer.WritePublish(b, "other/topic", "x"u8, MqttQos.AtLeastOnce, false, false, 2), "40020002", MqttPacketType.PubAck),
            ("PUBREC [MQTT-3.5]", b => writer.WritePublish(b, "other/topic", "y"u8, MqttQos.ExactlyOnce, false, false, 3), "50020003", MqttPacketType.PubRec),
            ("PUBCOMP [MQTT-3.7]", b => writer.WritePubRel(b, 3), "70020003", MqttPacketType.PubComp),
            ("UNSUBACK [MQTT-3.11]", b => writer.WriteUnsubscribe(b, 4, "capture/#"), "b0020004", MqttPacketType.UnsubAck),
            ("PINGRESP [MQTT-3.13]", writer.WritePingReq, "d000", MqttPacketType.PingResp),
        };

        foreach (var (what, send, expected, type) in exchanges)
        {
            var request = new ArrayBufferWriter<byte>();
            send(request);
            await stream.WriteAsync(request.WrittenMemory);
            var answer = await ReadExactlyAsync(stream, expected.Length / 2);

            Assert.True(expected == Hex.Format(answer), $"{what}: expected {expected}, mosquitto sent {Hex.Format(answer)}");
            foreach (var (label, sequence) in SplitInput.Sequences(answer))
            {
                var input = sequence;
                var status = new MqttPacketReader(MqttProtocolVersion.V311).TryRead(ref input, out var packet, out var error);
                Assert.True(status == MqttReadStatus.Done, $"{what} {label}: {status} {error}");
                Assert.Equal(type, packet!.Type);
            }
        }
    }

    [Fact]
    public async Task Our_version_5_unsubscribe_and_exactly_once_publish_are_accepted_by_mosquitto()
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", broker.Port);
        var stream = tcp.GetStream();
        var writer = new MqttPacketWriter(MqttProtocolVersion.V500);
        var reader = new MqttPacketReader(MqttProtocolVersion.V500);

        await SendAsync(stream, b => writer.WriteConnect(b, new ConnectRequest("capture5", 60, true, 0, 16, 1 << 20, null, null, null, default, false)));
        Assert.IsType<ConnAckPacket>(await ReadPacketAsync(stream, reader));
        await SendAsync(stream, b => writer.WritePublish(b, "t/2", "exactly once"u8, MqttQos.ExactlyOnce, false, false, 7));
        var received = Assert.IsType<AckPacket>(await ReadPacketAsync(stream, reader));
        Assert.Equal((MqttPacketType.PubRec, (ushort)7), (received.AckType, received.PacketId));
        await SendAsync(stream, b => writer.WritePubRel(b, 7));
        var completed = Assert.IsType<AckPacket>(await ReadPacketAsync(stream, reader));
        Assert.Equal((MqttPacketType.PubComp, (ushort)7), (completed.AckType, completed.PacketId));
        await SendAsync(stream, b => writer.WriteUnsubscribe(b, 8, "never/subscribed"));
        var unsubscribed = Assert.IsType<AckPacket>(await ReadPacketAsync(stream, reader));
        Assert.Equal(MqttPacketType.UnsubAck, unsubscribed.AckType);
        // MQTT 5 UNSUBACK reason 0x11: no subscription existed (§3.11.3).
        Assert.Equal([(byte)0x11], unsubscribed.ReasonCodes);
    }

    private static async Task SendAsync(NetworkStream stream, Action<IBufferWriter<byte>> send)
    {
        var request = new ArrayBufferWriter<byte>();
        send(request);
        await stream.WriteAsync(request.WrittenMemory);
    }

    private static async Task<MqttPacket> ReadPacketAsync(NetworkStream stream, MqttPacketReader reader)
    {
        var pending = new List<byte>();
        var chunk = new byte[512];
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(pending.ToArray());
            var status = reader.TryRead(ref sequence, out var packet, out var error);
            Assert.NotEqual(MqttReadStatus.Invalid, status);
            if (status == MqttReadStatus.Done)
            {
                Assert.Equal(0, sequence.Length);
                return packet!;
            }

            var read = await stream.ReadAsync(chunk, timeout.Token);
            Assert.True(read > 0, "mosquitto closed the connection: " + error);
            pending.AddRange(chunk.AsSpan(0, read).ToArray());
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(Patience);
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return buffer;
    }
}
