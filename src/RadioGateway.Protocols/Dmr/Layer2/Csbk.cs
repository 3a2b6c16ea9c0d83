using RadioGateway.Protocols.Dmr.Crc;

namespace RadioGateway.Protocols.Dmr.Layer2;

/// <summary>
/// Control signalling block (TS 102 361-2 §7.1.2): last block, protect flag, opcode, feature set id and
/// 8 data octets, CRC-CCITT with the CSBK mask. Most opcodes carry target (octets 4–6) and source (7–9); NACK_Rsp the other way round.
/// </summary>
public sealed class Csbk
{
    public const int Length = 12;

    // Opcodes, ETSI TS 102 361-2 Table 7.5 and the values MMDVMHost's DMRDefines.h uses for them.
    public const byte UnitToUnitVoiceRequest = 0x04;
    public const byte UnitToUnitAnswerResponse = 0x05;
    public const byte ChannelTiming = 0x07;
    public const byte CallAlert = 0x1F;
    public const byte CallAlertAck = 0x20;
    public const byte RadioCheck = 0x24;
    public const byte NegativeAcknowledge = 0x26;
    public const byte CallEmergency = 0x27;
    public const byte BsOutboundActivation = 0x38;
    public const byte Preamble = 0x3D;

    private readonly byte[] _bytes;

    private Csbk(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Bytes => _bytes;

    public bool LastBlock => (_bytes[0] & 0x80) != 0;

    public bool ProtectFlag => (_bytes[0] & 0x40) != 0;

    public byte Opcode => (byte)(_bytes[0] & 0x3F);

    public byte FeatureSetId => _bytes[1];

    /// <summary>Target address: octets 7–9 in NACK_Rsp (TS 102 361-2 §7.1.2), octets 4–6 in the other opcodes.</summary>
    public uint TargetId => Opcode == NegativeAcknowledge ? Read24(7) : Read24(4);

    /// <summary>Source address: octets 4–6 in NACK_Rsp (TS 102 361-2 §7.1.2), octets 7–9 in the other opcodes.</summary>
    public uint SourceId => Opcode == NegativeAcknowledge ? Read24(4) : Read24(7);

    /// <summary>NACK_Rsp: the opcode of the service refused (octet 2, bits 5–0).</summary>
    public byte NackedServiceType => Opcode == NegativeAcknowledge ? (byte)(_bytes[2] & 0x3F) : (byte)0;

    /// <summary>NACK_Rsp: why the service was refused (octet 3, TS 102 361-2 reason codes).</summary>
    public byte ReasonCode => Opcode == NegativeAcknowledge ? _bytes[3] : (byte)0;

    /// <summary>Preamble CSBK: the target is a group (octet 2, bit 6).</summary>
    public bool GroupTarget => Opcode == Preamble && (_bytes[2] & 0x40) != 0;

    /// <summary>Preamble CSBK: blocks to follow (octet 3).</summary>
    public int BlocksToFollow => Opcode == Preamble ? _bytes[3] : 0;

    /// <summary>Short name of the opcode for logs and events; <c>unknown</c> when we do not interpret it.</summary>
    public string Name => Opcode switch
    {
        Preamble => "preamble",
        UnitToUnitVoiceRequest => "unit-to-unit-voice-request",
        UnitToUnitAnswerResponse => "unit-to-unit-answer-response",
        ChannelTiming => "channel-timing",
        CallAlert => "call-alert",
        CallAlertAck => "call-alert-ack",
        RadioCheck => "radio-check",
        NegativeAcknowledge => "nack",
        CallEmergency => "emergency",
        BsOutboundActivation => "bs-outbound-activation",
        _ => "unknown",
    };

    /// <summary>Decodes 12 octets (after BPTC); null with the reason when the CRC fails.</summary>
    public static Csbk? Decode(ReadOnlySpan<byte> bytes, out string? error)
    {
        error = null;
        if (bytes.Length < Length)
        {
            error = $"CSBK is {Length} octets; got {bytes.Length}";
            return null;
        }

        var expected = Crc16Ccitt.Compute(bytes[..10], Crc16Ccitt.CsbkMask);
        var actual = (ushort)((bytes[10] << 8) | bytes[11]);
        if (expected != actual)
        {
            error = $"CRC 0x{actual:X4} at octet 10 does not match 0x{expected:X4}";
            return null;
        }

        return new Csbk(bytes[..Length].ToArray());
    }

    /// <summary>Builds a CSBK from opcode, FID and the 8 data octets, with its CRC.</summary>
    public static Csbk Create(byte opcode, byte featureSetId, ReadOnlySpan<byte> data, bool lastBlock = true)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opcode, (byte)0x3F);
        var bytes = new byte[Length];
        bytes[0] = (byte)((lastBlock ? 0x80 : 0) | opcode);
        bytes[1] = featureSetId;
        data[..8].CopyTo(bytes.AsSpan(2));
        var crc = Crc16Ccitt.Compute(bytes.AsSpan(0, 10), Crc16Ccitt.CsbkMask);
        bytes[10] = (byte)(crc >> 8);
        bytes[11] = (byte)crc;
        return new Csbk(bytes);
    }

    /// <summary>A CSBK addressed from <paramref name="source"/> to <paramref name="target"/> (octets 4–9).</summary>
    public static Csbk Addressed(byte opcode, byte featureSetId, uint target, uint source, byte octet2 = 0, byte octet3 = 0)
    {
        Span<byte> data = stackalloc byte[8];
        data[0] = octet2;
        data[1] = octet3;
        data[2] = (byte)(target >> 16);
        data[3] = (byte)(target >> 8);
        data[4] = (byte)target;
        data[5] = (byte)(source >> 16);
        data[6] = (byte)(source >> 8);
        data[7] = (byte)source;
        return Create(opcode, featureSetId, data);
    }

    /// <summary>
    /// NACK_Rsp (TS 102 361-2 §7.1.2, NACK_Rsp PDU): octet 2 = additional information (1), source type (MS = 1),
    /// service type; octet 3 = reason code; then source address (octets 4–6) before target address (7–9).
    /// </summary>
    public static Csbk NegativeAcknowledgeResponse(byte serviceType, byte reasonCode, bool msSourced, uint source, uint target)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(serviceType, (byte)0x3F);
        Span<byte> data = stackalloc byte[8];
        data[0] = (byte)(0x80 | (msSourced ? 0x40 : 0) | serviceType);
        data[1] = reasonCode;
        Write24(data[2..], source);
        Write24(data[5..], target);
        return Create(NegativeAcknowledge, 0x00, data);
    }

    private uint Read24(int offset) => (uint)((_bytes[offset] << 16) | (_bytes[offset + 1] << 8) | _bytes[offset + 2]);

    private static void Write24(Span<byte> bytes, uint value)
    {
        bytes[0] = (byte)(value >> 16);
        bytes[1] = (byte)(value >> 8);
        bytes[2] = (byte)value;
    }

    public override string ToString() => $"CSBK {Name} (0x{Opcode:X2}) FID 0x{FeatureSetId:X2} {SourceId} → {TargetId}";
}
