using System.Buffers;
using RadioGateway.Mqtt.Codec;
using RadioGateway.Mqtt.Packets;
using RadioGateway.Testing;

namespace RadioGateway.Mqtt.Tests;

public sealed class CodecTests
{
    private static (MqttReadStatus Status, MqttPacket? Packet, string? Error) ReadOne(MqttProtocolVersion version, ReadOnlySequence<byte> input, int maximum = 1 << 20)
    {
        var reader = new MqttPacketReader(version, maximum);
        var status = reader.TryRead(ref input, out var packet, out var error);
        return (status, packet, error);
    }

    /// <summary>Feeds chunks as a socket would, keeping unconsumed bytes.</summary>
    private static MqttPacket ReadChunked(MqttProtocolVersion version, IReadOnlyList<byte[]> chunks)
    {
        var reader = new MqttPacketReader(version);
        var pending = Array.Empty<byte>();
        foreach (var chunk in chunks)
        {
            var sequence = new ReadOnlySequence<byte>([.. pending, .. chunk]);
            var status = reader.TryRead(ref sequence, out var packet, out var error);
            Assert.NotEqual(MqttReadStatus.Invalid, status);
            if (status == MqttReadStatus.Done)
            {
                Assert.Equal(0, sequence.Length);
                return packet!;
            }

            pending = sequence.ToArray();
        }

        throw new InvalidOperationException("no packet");
    }

    // MQTT 3.1.1 §3.2: CONNACK, session present 0, return code 0; §3.4 PUBACK of packet id 1; §3.13 PINGRESP.
    [Theory]
    [InlineData("20020000", MqttPacketType.ConnAck)]
    [InlineData("40020001", MqttPacketType.PubAck)]
    [InlineData("d000", MqttPacketType.PingResp)]
    [InlineData("9003000501", MqttPacketType.SubAck)]
    public void Version_311_packets_decode_whole_split_and_byte_by_byte(string hex, MqttPacketType type)
    {
        foreach (var (label, chunks) in SplitInput.Chunkings(Hex.Parse(hex)))
        {
            var packet = ReadChunked(MqttProtocolVersion.V311, chunks);
            Assert.True(packet.Type == type, label);
        }
    }

    [Fact]
    public void A_version_5_connack_with_properties_decodes_in_every_chunking()
    {
        // CONNACK, session present, success; properties: receive maximum 20 (0x21), maximum packet size 1 MiB (0x27),
        // assigned client id "gw" (0x12) — as mosquitto 2 sends them.
        var bytes = Hex.Parse("2010 01 00 0d 21 0014 27 00100000 12 0002 6777");
        foreach (var (label, chunks) in SplitInput.Chunkings(bytes))
        {
            var connAck = Assert.IsType<ConnAckPacket>(ReadChunked(MqttProtocolVersion.V500, chunks));
            Assert.True(connAck.SessionPresent, label);
            Assert.True(connAck.Accepted);
            Assert.Equal((ushort)20, connAck.ReceiveMaximum);
            Assert.Equal(1u << 20, connAck.MaximumPacketSize);
            Assert.Equal("gw", connAck.AssignedClientId);
        }
    }

    [Fact]
    public void A_publish_with_persian_payload_round_trips_through_writer_and_reader()
    {
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            var output = new ArrayBufferWriter<byte>();
            var payload = "{\"text\":\"سلام تیم ۱۲\"}"u8.ToArray();
            new MqttPacketWriter(version).WritePublish(output, "radiogw/v1/gw/events/text", payload, MqttQos.AtLeastOnce, retain: true, duplicate: true, packetId: 513);

            var publish = Assert.IsType<PublishPacket>(ReadOne(version, new ReadOnlySequence<byte>(output.WrittenMemory)).Packet);

            Assert.Equal("radiogw/v1/gw/events/text", publish.Topic);
            Assert.Equal(payload, publish.Payload.ToArray());
            Assert.Equal((MqttQos.AtLeastOnce, true, true, (ushort)513), (publish.Qos, publish.Retain, publish.Duplicate, publish.PacketId));
        }
    }

    [Fact]
    public void Connect_for_version_311_matches_the_specification_layout()
    {
        var output = new ArrayBufferWriter<byte>();
        new MqttPacketWriter(MqttProtocolVersion.V311).WriteConnect(output, new ConnectRequest("gw", 60, CleanStart: true, 0, 16, 1 << 20));

        // 3.1.1 §3.1: fixed header 0x10, remaining 14; "MQTT", level 4, flags 0x02 (clean session), keep alive 60, client id "gw".
        Assert.Equal("100e00044d5154540402003c00026777", Hex.Format(output.WrittenSpan));
    }

    [Fact]
    public void Variable_byte_integers_encode_the_specification_boundaries()
    {
        // MQTT 5.0 §1.5.5 table 1-1.
        foreach (var (value, hex) in new[] { (0, "00"), (127, "7f"), (128, "8001"), (16_383, "ff7f"), (16_384, "808001"), (2_097_151, "ffff7f"), (2_097_152, "80808001"), (268_435_455, "ffffff7f") })
        {
            var output = new ArrayBufferWriter<byte>();
            MqttPacketWriter.WriteVariableInteger(output, value);
            Assert.Equal(hex, Hex.Format(output.WrittenSpan));
        }
    }

    [Theory]
    [InlineData("30ffffffff01", "more than 4 bytes [MQTT-1.5.5-1]")]
    [InlineData("30ffffff7f", "exceeds the maximum packet size")]
    [InlineData("3005000261ff00", "not well-formed UTF-8 [MQTT-1.5.4-1]")]
    [InlineData("30050002610000", "contains U+0000 [MQTT-1.5.4-2]")]
    [InlineData("2009000006210014210014", "appears twice at offset 8 [MQTT-2.2.2-2]")]
    [InlineData("200500000242ff", "unknown property id 0x42")]
    [InlineData("21020000", "reserved flags")]
    [InlineData("10020000", "never receives Connect")]
    public void Hostile_packets_are_refused_naming_the_rule(string hex, string reason)
    {
        var (status, _, error) = ReadOne(MqttProtocolVersion.V500, new ReadOnlySequence<byte>(Hex.Parse(hex)));

        Assert.Equal(MqttReadStatus.Invalid, status);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_announcing_256_megabytes_gets_an_error_not_an_allocation()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var (status, _, error) = ReadOne(MqttProtocolVersion.V500, new ReadOnlySequence<byte>(Hex.Parse("30ffffff7f")), maximum: 1 << 20);

        Assert.Equal(MqttReadStatus.Invalid, status);
        Assert.Contains("268435460 bytes exceeds", error, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void Random_input_never_throws()
    {
        var random = new Random(3);
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            for (var i = 0; i < 5000; i++)
            {
                var bytes = new byte[random.Next(1, 64)];
                random.NextBytes(bytes);
                var sequence = new ReadOnlySequence<byte>(bytes);
                new MqttPacketReader(version, 4096).TryRead(ref sequence, out _, out _);
            }
        }
    }
}
