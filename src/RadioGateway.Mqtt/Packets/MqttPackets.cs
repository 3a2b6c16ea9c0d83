namespace RadioGateway.Mqtt.Packets;

/// <summary>MQTT control packet types (MQTT 5.0 §2.1.2, 3.1.1 §2.2.1).</summary>
public enum MqttPacketType : byte
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
    Auth = 15,
}

/// <summary>Protocol level byte of CONNECT: 4 for 3.1.1, 5 for 5.0.</summary>
public enum MqttProtocolVersion : byte
{
    V311 = 4,
    V500 = 5,
}

public enum MqttQos : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}

/// <summary>A packet received from the broker.</summary>
public abstract record MqttPacket(MqttPacketType Type);

/// <summary>CONNACK: session present, reason (5.0) or return code (3.1.1), and the 5.0 properties we use.</summary>
public sealed record ConnAckPacket(bool SessionPresent, byte ReasonCode, ushort? ReceiveMaximum, uint? MaximumPacketSize, string? AssignedClientId, ushort? ServerKeepAlive, string? ReasonString)
    : MqttPacket(MqttPacketType.ConnAck)
{
    public bool Accepted => ReasonCode == 0;
}

public sealed record PublishPacket(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos, bool Retain, bool Duplicate, ushort PacketId)
    : MqttPacket(MqttPacketType.Publish);

/// <summary>PUBACK, SUBACK, UNSUBACK: packet id and reason code(s).</summary>
public sealed record AckPacket(MqttPacketType AckType, ushort PacketId, IReadOnlyList<byte> ReasonCodes, string? ReasonString)
    : MqttPacket(AckType)
{
    /// <summary>Reason codes 0x80 and above are failures (MQTT 5.0 §2.4).</summary>
    public bool Failed => ReasonCodes.Any(code => code >= 0x80);
}

public sealed record PingRespPacket() : MqttPacket(MqttPacketType.PingResp);

public sealed record DisconnectPacket(byte ReasonCode, string? ReasonString) : MqttPacket(MqttPacketType.Disconnect);

/// <summary>A packet type a client accepts but does not act on (PUBREC/PUBREL/PUBCOMP for QoS 2, AUTH).</summary>
public sealed record OtherPacket(MqttPacketType OtherType, ReadOnlyMemory<byte> Body) : MqttPacket(OtherType);
