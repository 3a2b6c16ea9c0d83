using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using RadioGateway.Mqtt.Packets;

namespace RadioGateway.Mqtt.Codec;

public enum MqttReadStatus
{
    Done,
    NeedMoreData,
    Invalid,
}

/// <summary>
/// Resumable decoder of packets a client receives. The remaining length is bounded by
/// <see cref="MaximumPacketSize"/> before anything is allocated; malformed input yields
/// <see cref="MqttReadStatus.Invalid"/> with the rule and byte offset.
/// </summary>
public sealed class MqttPacketReader(MqttProtocolVersion version, int maximumPacketSize = 1 << 20)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public int MaximumPacketSize { get; } = maximumPacketSize;

    public MqttReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out MqttPacket? packet, out string? error)
    {
        packet = null;
        error = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var first))
        {
            return MqttReadStatus.NeedMoreData;
        }

        // Remaining length: variable byte integer of at most four bytes [MQTT-1.5.5-1] / 3.1.1 §2.2.3.
        var remaining = 0;
        var multiplier = 1;
        for (var i = 0; ; i++)
        {
            if (!reader.TryRead(out var b))
            {
                return MqttReadStatus.NeedMoreData;
            }

            if (i == 4)
            {
                error = "remaining length uses more than 4 bytes [MQTT-1.5.5-1] at offset 1";
                return MqttReadStatus.Invalid;
            }

            remaining += (b & 0x7F) * multiplier;
            multiplier *= 128;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        var headerLength = (int)reader.Consumed;
        if (remaining + headerLength > MaximumPacketSize)
        {
            error = $"packet of {remaining + headerLength} bytes exceeds the maximum packet size {MaximumPacketSize} [MQTT-3.1.2-24]";
            return MqttReadStatus.Invalid;
        }

        if (reader.Remaining < remaining)
        {
            return MqttReadStatus.NeedMoreData;
        }

        var body = buffer.Slice(headerLength, remaining).ToArray();
        buffer = buffer.Slice(headerLength + remaining);
        var type = (MqttPacketType)(first >> 4);
        var flags = first & 0x0F;
        try
        {
            packet = Decode(type, flags, body, headerLength, out error);
        }
        catch (IndexOutOfRangeException)
        {
            error = $"{type} body of {remaining} bytes ends early";
        }
        catch (ArgumentOutOfRangeException)
        {
            error = $"{type} body of {remaining} bytes ends early";
        }

        return packet is null ? MqttReadStatus.Invalid : MqttReadStatus.Done;
    }

    private MqttPacket? Decode(MqttPacketType type, int flags, byte[] body, int offset, out string? error)
    {
        error = null;
        if (type != MqttPacketType.Publish && flags != (type is MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? 2 : 0))
        {
            error = $"{type} with reserved flags 0x{flags:X} at offset 0 [MQTT-2.1.3-1]";
            return null;
        }

        var span = body.AsSpan();
        switch (type)
        {
            case MqttPacketType.ConnAck:
            {
                var props = new Properties();
                if (version == MqttProtocolVersion.V500 && !ReadProperties(span, 2, offset, ref props, out _, out error))
                {
                    return null;
                }

                return new ConnAckPacket((span[0] & 1) != 0, span[1], props.ReceiveMaximum, props.MaximumPacketSize, props.AssignedClientId, props.ServerKeepAlive, props.ReasonString);
            }

            case MqttPacketType.Publish:
            {
                var qos = (flags >> 1) & 3;
                if (qos == 3)
                {
                    error = "PUBLISH with QoS 3 at offset 0 [MQTT-3.3.1-4]";
                    return null;
                }

                if (!ReadString(span, 0, offset, out var topic, out var position, out error))
                {
                    return null;
                }

                ushort packetId = 0;
                if (qos > 0)
                {
                    if (span.Length < position + 2)
                    {
                        error = $"PUBLISH ends before its packet identifier at offset {offset + position} [MQTT-3.3.2-1]";
                        return null;
                    }

                    packetId = BinaryPrimitives.ReadUInt16BigEndian(span[position..]);
                    position += 2;
                }

                if (version == MqttProtocolVersion.V500)
                {
                    var props = new Properties();
                    if (!ReadProperties(span, position, offset, ref props, out position, out error))
                    {
                        return null;
                    }
                }

                return new PublishPacket(topic, body.AsMemory(position), (MqttQos)qos, (flags & 1) != 0, (flags & 8) != 0, packetId);
            }

            case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubComp or MqttPacketType.PubRel:
            {
                var packetId = BinaryPrimitives.ReadUInt16BigEndian(span);
                var reason = span.Length > 2 ? span[2] : (byte)0;
                var props = new Properties();
                if (span.Length > 3 && !ReadProperties(span, 3, offset, ref props, out _, out error))
                {
                    return null;
                }

                return new AckPacket(type, packetId, [reason], props.ReasonString);
            }

            case MqttPacketType.SubAck or MqttPacketType.UnsubAck:
            {
                var packetId = BinaryPrimitives.ReadUInt16BigEndian(span);
                var position = 2;
                var props = new Properties();
                if (version == MqttProtocolVersion.V500 && !ReadProperties(span, position, offset, ref props, out position, out error))
                {
                    return null;
                }

                return new AckPacket(type, packetId, span[position..].ToArray(), props.ReasonString);
            }

            case MqttPacketType.PingResp:
                return new PingRespPacket();
            case MqttPacketType.Disconnect:
            {
                var reason = span.Length > 0 ? span[0] : (byte)0;
                var props = new Properties();
                if (span.Length > 1 && !ReadProperties(span, 1, offset, ref props, out _, out error))
                {
                    return null;
                }

                return new DisconnectPacket(reason, props.ReasonString);
            }

            case MqttPacketType.Auth:
                return new OtherPacket(type, body);
            default:
                error = $"a client never receives {type} (packet type {(int)type}) [MQTT-2.1.2]";
                return null;
        }
    }

    private struct Properties
    {
        public ushort? ReceiveMaximum;
        public uint? MaximumPacketSize;
        public string? AssignedClientId;
        public ushort? ServerKeepAlive;
        public string? ReasonString;
    }

    /// <summary>Reads an MQTT 5 property block (§2.2.2): length, then id/value pairs of known types only.</summary>
    private static bool ReadProperties(ReadOnlySpan<byte> span, int position, int offset, ref Properties props, out int end, out string? error)
    {
        end = position;
        if (!ReadVariableInteger(span, ref position, out var length))
        {
            error = $"property length is malformed at offset {offset + position} [MQTT-1.5.5-1]";
            return false;
        }

        end = position + length;
        if (end > span.Length)
        {
            error = $"property length {length} runs past the packet at offset {offset + position}";
            return false;
        }

        var seen = new HashSet<byte>();
        while (position < end)
        {
            var id = span[position++];
            if (id != 0x26 && !seen.Add(id))
            {
                error = $"property 0x{id:X2} appears twice at offset {offset + position - 1} [MQTT-2.2.2-2]";
                return false;
            }

            switch (id)
            {
                case 0x01 or 0x17 or 0x19 or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A:
                    position += 1;
                    break;
                case 0x13:
                    props.ServerKeepAlive = BinaryPrimitives.ReadUInt16BigEndian(span[position..]);
                    position += 2;
                    break;
                case 0x21:
                    props.ReceiveMaximum = BinaryPrimitives.ReadUInt16BigEndian(span[position..]);
                    position += 2;
                    break;
                case 0x22 or 0x23:
                    position += 2;
                    break;
                case 0x27:
                    props.MaximumPacketSize = BinaryPrimitives.ReadUInt32BigEndian(span[position..]);
                    position += 4;
                    break;
                case 0x02 or 0x11 or 0x18:
                    position += 4;
                    break;
                case 0x0B:
                    if (!ReadVariableInteger(span, ref position, out _))
                    {
                        error = $"subscription identifier malformed at offset {offset + position}";
                        return false;
                    }

                    break;
                case 0x03 or 0x08 or 0x12 or 0x15 or 0x1A or 0x1C or 0x1F:
                    if (!ReadString(span, position, offset, out var text, out position, out error))
                    {
                        return false;
                    }

                    if (id == 0x12)
                    {
                        props.AssignedClientId = text;
                    }
                    else if (id == 0x1F)
                    {
                        props.ReasonString = text;
                    }

                    break;
                case 0x09 or 0x16:
                    position += 2 + BinaryPrimitives.ReadUInt16BigEndian(span[position..]);
                    break;
                case 0x26:
                    if (!ReadString(span, position, offset, out _, out position, out error) || !ReadString(span, position, offset, out _, out position, out error))
                    {
                        return false;
                    }

                    break;
                default:
                    error = $"unknown property id 0x{id:X2} at offset {offset + position - 1} [MQTT-2.2.2]";
                    return false;
            }
        }

        if (position != end)
        {
            error = $"properties run past their length at offset {offset + end}";
            return false;
        }

        error = null;
        return true;
    }

    private static bool ReadVariableInteger(ReadOnlySpan<byte> span, ref int position, out int value)
    {
        value = 0;
        var multiplier = 1;
        for (var i = 0; i < 4; i++)
        {
            var b = span[position++];
            value += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0)
            {
                return true;
            }

            multiplier *= 128;
        }

        return false;
    }

    /// <summary>UTF-8 string with a 2-byte length; ill-formed UTF-8 and U+0000 are refused [MQTT-1.5.4-1], [MQTT-1.5.4-2].</summary>
    private static bool ReadString(ReadOnlySpan<byte> span, int position, int offset, out string text, out int end, out string? error)
    {
        var length = BinaryPrimitives.ReadUInt16BigEndian(span[position..]);
        var bytes = span.Slice(position + 2, length);
        end = position + 2 + length;
        text = "";
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            error = $"string at offset {offset + position} is not well-formed UTF-8 [MQTT-1.5.4-1]";
            return false;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            error = $"string at offset {offset + position} contains U+0000 [MQTT-1.5.4-2]";
            return false;
        }

        error = null;
        return true;
    }
}
