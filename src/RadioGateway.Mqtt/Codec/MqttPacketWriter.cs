using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using RadioGateway.Mqtt.Packets;

namespace RadioGateway.Mqtt.Codec;

/// <summary>What a client puts in CONNECT.</summary>
public sealed record ConnectRequest(
    string ClientId,
    ushort KeepAliveSeconds,
    bool CleanStart,
    uint SessionExpirySeconds,
    ushort ReceiveMaximum,
    uint MaximumPacketSize,
    string? Username = null,
    string? Password = null,
    string? WillTopic = null,
    ReadOnlyMemory<byte> WillPayload = default,
    bool WillRetain = false,
    MqttQos WillQos = MqttQos.AtLeastOnce);

/// <summary>Encodes the packets a client sends into an <see cref="IBufferWriter{T}"/>.</summary>
public sealed class MqttPacketWriter(MqttProtocolVersion version)
{
    private bool V5 => version == MqttProtocolVersion.V500;

    public void WriteConnect(IBufferWriter<byte> output, ConnectRequest connect)
    {
        ArgumentNullException.ThrowIfNull(connect);
        var body = new ArrayBufferWriter<byte>(128);
        WriteString(body, "MQTT");
        WriteByte(body, (byte)version);
        var flags = (byte)((connect.CleanStart ? 0x02 : 0) | (connect.Username is not null ? 0x80 : 0) | (connect.Password is not null ? 0x40 : 0));
        if (connect.WillTopic is not null)
        {
            flags |= (byte)(0x04 | ((byte)connect.WillQos << 3) | (connect.WillRetain ? 0x20 : 0));
        }

        WriteByte(body, flags);
        WriteUInt16(body, connect.KeepAliveSeconds);
        if (V5)
        {
            var properties = new ArrayBufferWriter<byte>(16);
            WriteByte(properties, 0x11); // session expiry interval
            WriteUInt32(properties, connect.SessionExpirySeconds);
            WriteByte(properties, 0x21); // receive maximum
            WriteUInt16(properties, connect.ReceiveMaximum);
            WriteByte(properties, 0x27); // maximum packet size
            WriteUInt32(properties, connect.MaximumPacketSize);
            WriteVariableInteger(body, properties.WrittenCount);
            body.Write(properties.WrittenSpan);
        }

        WriteString(body, connect.ClientId);
        if (connect.WillTopic is not null)
        {
            if (V5)
            {
                WriteVariableInteger(body, 0); // will properties
            }

            WriteString(body, connect.WillTopic);
            WriteUInt16(body, (ushort)connect.WillPayload.Length);
            body.Write(connect.WillPayload.Span);
        }

        if (connect.Username is not null)
        {
            WriteString(body, connect.Username);
        }

        if (connect.Password is not null)
        {
            var password = Encoding.UTF8.GetBytes(connect.Password);
            WriteUInt16(body, (ushort)password.Length);
            body.Write(password);
        }

        WritePacket(output, (byte)((byte)MqttPacketType.Connect << 4), body.WrittenSpan);
    }

    public void WritePublish(IBufferWriter<byte> output, string topic, ReadOnlySpan<byte> payload, MqttQos qos, bool retain, bool duplicate, ushort packetId)
    {
        ArgumentNullException.ThrowIfNull(output);
        var topicBytes = Encoding.UTF8.GetByteCount(topic);
        var remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + (V5 ? 1 : 0) + payload.Length;
        var header = (byte)(((byte)MqttPacketType.Publish << 4) | (duplicate ? 0x08 : 0) | ((byte)qos << 1) | (retain ? 1 : 0));
        WriteByte(output, header);
        WriteVariableInteger(output, remaining);
        WriteString(output, topic);
        if (qos > 0)
        {
            WriteUInt16(output, packetId);
        }

        if (V5)
        {
            WriteVariableInteger(output, 0); // no properties
        }

        output.Write(payload);
    }

    public void WritePubAck(IBufferWriter<byte> output, ushort packetId) => WritePublishAck(output, MqttPacketType.PubAck, packetId);

    /// <summary>QoS 2 step 1 answer to a received PUBLISH [MQTT-4.3.3-9].</summary>
    public void WritePubRec(IBufferWriter<byte> output, ushort packetId) => WritePublishAck(output, MqttPacketType.PubRec, packetId);

    /// <summary>QoS 2 release; fixed header flags 0010 [MQTT-3.6.1-1].</summary>
    public void WritePubRel(IBufferWriter<byte> output, ushort packetId) => WritePublishAck(output, MqttPacketType.PubRel, packetId);

    /// <summary>QoS 2 completion, answering PUBREL [MQTT-4.3.3-11].</summary>
    public void WritePubComp(IBufferWriter<byte> output, ushort packetId) => WritePublishAck(output, MqttPacketType.PubComp, packetId);

    public void WriteUnsubscribe(IBufferWriter<byte> output, ushort packetId, string filter)
    {
        var body = new ArrayBufferWriter<byte>(64);
        WriteUInt16(body, packetId);
        if (V5)
        {
            WriteVariableInteger(body, 0);
        }

        WriteString(body, filter);
        // Fixed header flags 0010 [MQTT-3.10.1-1].
        WritePacket(output, ((byte)MqttPacketType.Unsubscribe << 4) | 0x02, body.WrittenSpan);
    }

    /// <summary>MQTT 5 AUTH (§3.15) with its reason code and authentication method/data properties.</summary>
    public void WriteAuth(IBufferWriter<byte> output, byte reasonCode, string method, ReadOnlySpan<byte> data)
    {
        if (!V5)
        {
            throw new InvalidOperationException("AUTH exists only in MQTT 5.0");
        }

        var properties = new ArrayBufferWriter<byte>(64);
        WriteByte(properties, 0x15); // Authentication Method
        WriteString(properties, method);
        if (!data.IsEmpty)
        {
            WriteByte(properties, 0x16); // Authentication Data
            WriteUInt16(properties, (ushort)data.Length);
            properties.Write(data);
        }

        var body = new ArrayBufferWriter<byte>(64);
        WriteByte(body, reasonCode);
        WriteVariableInteger(body, properties.WrittenCount);
        body.Write(properties.WrittenSpan);
        WritePacket(output, (byte)MqttPacketType.Auth << 4, body.WrittenSpan);
    }

    private static void WritePublishAck(IBufferWriter<byte> output, MqttPacketType type, ushort packetId)
    {
        // 3.1.1 and 5.0 both allow the 2-byte form (reason code 0x00 success omitted, MQTT 5 §3.4.2.1).
        Span<byte> body = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(body, packetId);
        WritePacket(output, ((byte)type << 4) | (type == MqttPacketType.PubRel ? 0x02 : 0), body);
    }

    public void WriteSubscribe(IBufferWriter<byte> output, ushort packetId, string filter, MqttQos qos)
    {
        var body = new ArrayBufferWriter<byte>(64);
        WriteUInt16(body, packetId);
        if (V5)
        {
            WriteVariableInteger(body, 0);
        }

        WriteString(body, filter);
        WriteByte(body, (byte)qos);
        WritePacket(output, ((byte)MqttPacketType.Subscribe << 4) | 0x02, body.WrittenSpan);
    }

    public void WritePingReq(IBufferWriter<byte> output) => WritePacket(output, (byte)MqttPacketType.PingReq << 4, []);

    /// <summary>Normal disconnection (reason 0x00 in 5.0): the broker discards the Will [MQTT-3.1.2-10].</summary>
    public void WriteDisconnect(IBufferWriter<byte> output) => WritePacket(output, (byte)MqttPacketType.Disconnect << 4, V5 ? [0x00] : []);

    private static void WritePacket(IBufferWriter<byte> output, int header, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteByte(output, (byte)header);
        WriteVariableInteger(output, body.Length);
        output.Write(body);
    }

    public static void WriteVariableInteger(IBufferWriter<byte> output, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 268_435_455);
        do
        {
            var b = (byte)(value % 128);
            value /= 128;
            WriteByte(output, value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
    }

    private static void WriteString(IBufferWriter<byte> output, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, ushort.MaxValue, nameof(text));
        WriteUInt16(output, (ushort)length);
        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(text, span);
        output.Advance(length);
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteUInt16(IBufferWriter<byte> output, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    private static void WriteUInt32(IBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }
}
