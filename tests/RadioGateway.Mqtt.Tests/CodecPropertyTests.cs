using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using RadioGateway.Mqtt.Codec;
using RadioGateway.Mqtt.Packets;

namespace RadioGateway.Mqtt.Tests;

public sealed class CodecPropertyTests
{
    [Fact]
    public void Any_publish_round_trips_through_writer_and_reader_in_both_versions()
    {
        Prop.ForAll<NonNull<string>, byte[], ushort>((topic, payload, packetId) =>
        {
            var retain = (packetId & 1) != 0;
            var duplicate = (packetId & 2) != 0;
            // MQTT strings exclude U+0000 and unpaired surrogates [MQTT-1.5.4-1], [MQTT-1.5.4-2].
            var text = new string(topic.Get.Where(c => c != '\0' && !char.IsSurrogate(c)).ToArray());
            var id = (ushort)Math.Max(1, (int)packetId);
            foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            {
                var output = new ArrayBufferWriter<byte>();
                new MqttPacketWriter(version).WritePublish(output, text, payload ?? [], MqttQos.AtLeastOnce, retain, duplicate, id);
                var sequence = new ReadOnlySequence<byte>(output.WrittenMemory);
                if (new MqttPacketReader(version).TryRead(ref sequence, out var packet, out _) != MqttReadStatus.Done
                    || packet is not PublishPacket publish
                    || publish.Topic != text
                    || !publish.Payload.Span.SequenceEqual(payload ?? [])
                    || publish.Retain != retain
                    || publish.Duplicate != duplicate
                    || publish.PacketId != id
                    || sequence.Length != 0)
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Variable_byte_integers_round_trip_over_their_whole_range()
    {
        Prop.ForAll<int>(raw =>
        {
            var value = (int)((uint)raw % 268_435_456);
            var output = new ArrayBufferWriter<byte>();
            // A PINGRESP-shaped header carrying the length, decoded by the reader's remaining-length logic.
            output.Write([(byte)0xD0]);
            MqttPacketWriter.WriteVariableInteger(output, value);
            var sequence = new ReadOnlySequence<byte>(output.WrittenMemory);
            var status = new MqttPacketReader(MqttProtocolVersion.V500, int.MaxValue).TryRead(ref sequence, out _, out _);
            return value == 0 ? status == MqttReadStatus.Done : status == MqttReadStatus.NeedMoreData;
        }).QuickCheckThrowOnFailure();
    }
}
