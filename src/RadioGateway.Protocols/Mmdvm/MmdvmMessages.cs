using System.Buffers.Binary;
using System.Text;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;

namespace RadioGateway.Protocols.Mmdvm;

/// <summary>GET_VERSION reply: protocol 1 (<c>[1][description]</c>) or 2 (<c>[2][caps1][caps2][cpu][udid×16][description]</c>).</summary>
public sealed record MmdvmVersion(byte ProtocolVersion, string Description, byte Capabilities1 = 0, byte Capabilities2 = 0, byte CpuType = 0, string Udid = "")
{
    /// <summary>Capability bit for DMR in protocol 2 (caps1 bit 1).</summary>
    public bool SupportsDmr => ProtocolVersion < 2 || (Capabilities1 & 0x02) != 0;

    public static MmdvmVersion? Decode(ReadOnlySpan<byte> payload, out string? error)
    {
        error = null;
        if (payload.Length < 1)
        {
            error = "version reply is empty";
            return null;
        }

        var version = payload[0];
        if (version >= 2)
        {
            if (payload.Length < 20)
            {
                error = $"protocol {version} version reply needs at least 20 bytes, got {payload.Length}";
                return null;
            }

            return new MmdvmVersion(version, Text(payload[20..]), payload[1], payload[2], payload[3], Convert.ToHexString(payload.Slice(4, 16)));
        }

        return new MmdvmVersion(version, Text(payload[1..]));
    }

    public byte[] Encode()
    {
        var description = Encoding.ASCII.GetBytes(Description);
        if (ProtocolVersion < 2)
        {
            return [ProtocolVersion, .. description];
        }

        var udid = Udid.Length == 32 ? Convert.FromHexString(Udid) : new byte[16];
        return [ProtocolVersion, Capabilities1, Capabilities2, CpuType, .. udid, .. description];
    }

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes).TrimEnd('\0').Trim();
}

/// <summary>GET_STATUS reply: enabled modes, modem state, flags and the DMR slots' free buffer space.</summary>
public sealed record MmdvmStatus(byte EnabledModes, MmdvmMode State, byte Flags, byte DmrSpace1, byte DmrSpace2)
{
    public bool Transmitting => (Flags & 0x01) != 0;

    public bool AdcOverflow => (Flags & 0x02) != 0;

    public bool RxOverflow => (Flags & 0x04) != 0;

    public bool TxOverflow => (Flags & 0x08) != 0;

    public bool Lockout => (Flags & 0x10) != 0;

    public bool DacOverflow => (Flags & 0x20) != 0;

    /// <summary>Protocol 1: <c>[modes][state][flags][dstar][dmr1][dmr2]…</c>; protocol 2 has a reserved octet before the spaces.</summary>
    public static MmdvmStatus? Decode(ReadOnlySpan<byte> payload, byte protocolVersion, out string? error)
    {
        error = null;
        var spaces = protocolVersion >= 2 ? 4 : 3;
        if (payload.Length < spaces + 3)
        {
            error = $"status reply needs at least {spaces + 3} bytes for protocol {protocolVersion}, got {payload.Length}";
            return null;
        }

        return new MmdvmStatus(payload[0], (MmdvmMode)payload[1], payload[2], payload[spaces + 1], payload[spaces + 2]);
    }

    public byte[] Encode(byte protocolVersion) => protocolVersion >= 2
        ? [EnabledModes, (byte)State, Flags, 0, 0, DmrSpace1, DmrSpace2, 0, 0, 0, 0, 0, 0]
        : [EnabledModes, (byte)State, Flags, 0, DmrSpace1, DmrSpace2, 0, 0, 0, 0];

    public string Describe() =>
        $"state {State}, DMR space {DmrSpace1}/{DmrSpace2}" + (Transmitting ? ", TX" : "") + (AdcOverflow ? ", ADC overflow" : "")
        + (RxOverflow ? ", RX overflow" : "") + (TxOverflow ? ", TX overflow" : "") + (DacOverflow ? ", DAC overflow" : "") + (Lockout ? ", lockout" : "");
}

/// <summary>
/// SET_CONFIG (DMR-relevant fields) as MMDVMHost Modem.cpp lays it out for protocol 1: inversion/simplex flags,
/// enabled modes, TX delay (10 ms units), initial state, RX level, CW level, DMR colour code, DMR delay,
/// oscillator offset, per-mode TX levels. Protocol 2 puts the colour code after the per-mode levels.
/// </summary>
public sealed record MmdvmConfig(
    bool RxInvert,
    bool TxInvert,
    bool PttInvert,
    bool Simplex,
    int TxDelayMs,
    byte RxLevel,
    byte TxLevel,
    byte ColourCode,
    byte DmrDelay)
{
    public const byte DmrModeEnabled = 0x02;
    private const int Version1Length = 24;
    private const int Version2Length = 40;

    public byte[] Encode(byte protocolVersion)
    {
        var flags = (byte)((RxInvert ? 0x01 : 0) | (TxInvert ? 0x02 : 0) | (PttInvert ? 0x04 : 0) | (Simplex ? 0x80 : 0));
        var txDelay = (byte)Math.Clamp(TxDelayMs / 10, 0, 255);
        if (protocolVersion >= 2)
        {
            var v2 = new byte[Version2Length];
            v2[0] = flags;
            v2[1] = DmrModeEnabled;
            v2[2] = 0; // modes enabled, second octet
            v2[3] = txDelay;
            v2[4] = (byte)MmdvmMode.Idle;
            v2[5] = 128; // TX DC offset
            v2[6] = 128; // RX DC offset
            v2[7] = RxLevel;
            v2[8] = TxLevel; // CW
            v2[10] = TxLevel; // DMR TX level
            v2[20] = ColourCode;
            v2[21] = DmrDelay;
            return v2;
        }

        var v1 = new byte[Version1Length];
        v1[0] = flags;
        v1[1] = DmrModeEnabled;
        v1[2] = txDelay;
        v1[3] = (byte)MmdvmMode.Idle;
        v1[4] = RxLevel;
        v1[5] = TxLevel; // CW id
        v1[6] = ColourCode;
        v1[7] = DmrDelay;
        v1[8] = 128; // oscillator offset
        v1[10] = TxLevel; // DMR TX level
        v1[13] = 128; // TX DC offset
        v1[14] = 128; // RX DC offset
        return v1;
    }

    public static MmdvmConfig? Decode(ReadOnlySpan<byte> payload, byte protocolVersion, out string? error)
    {
        error = null;
        var needed = protocolVersion >= 2 ? 22 : 11;
        if (payload.Length < needed)
        {
            error = $"SET_CONFIG for protocol {protocolVersion} needs at least {needed} bytes, got {payload.Length}";
            return null;
        }

        var flags = payload[0];
        return protocolVersion >= 2
            ? new MmdvmConfig((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 0x80) != 0, payload[3] * 10, payload[7], payload[10], payload[20], payload[21])
            : new MmdvmConfig((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 0x80) != 0, payload[2] * 10, payload[4], payload[10], payload[6], payload[7]);
    }
}

/// <summary>SET_FREQ: <c>[0][rx Hz u32 LE][tx Hz u32 LE][RF level 0–255]</c>.</summary>
public sealed record MmdvmFrequency(uint RxHz, uint TxHz, byte RfLevel)
{
    public byte[] Encode()
    {
        var payload = new byte[10];
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(1), RxHz);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(5), TxHz);
        payload[9] = RfLevel;
        return payload;
    }

    public static MmdvmFrequency? Decode(ReadOnlySpan<byte> payload, out string? error)
    {
        error = null;
        if (payload.Length < 10)
        {
            error = $"SET_FREQ needs at least 10 bytes, got {payload.Length}";
            return null;
        }

        return new MmdvmFrequency(BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]), BinaryPrimitives.ReadUInt32LittleEndian(payload[5..]), payload[9]);
    }
}

/// <summary>
/// DMR_DATA1/2 frame: a control octet, the 33-byte burst, and optionally two octets of raw RSSI.
/// Control octet: <see cref="DataSync"/> with the data type in the low nibble, <see cref="VoiceSync"/> for
/// burst A, otherwise the voice burst's position (1–5 for B–F) (MMDVMHost DMRDefines.h DMR_SYNC_DATA/AUDIO).
/// </summary>
public sealed record MmdvmDmrFrame(int Slot, byte Control, byte[] Burst, ushort? RawRssi = null)
{
    public const byte DataSync = 0x40;
    public const byte VoiceSync = 0x20;
    public const int BurstLength = 33;

    public MmdvmCommand Command => Slot == 1 ? MmdvmCommand.DmrData1 : MmdvmCommand.DmrData2;

    /// <summary>
    /// The modem-neutral burst of a DMR_DATA frame, without copying: the control octet says data sync (with the
    /// data type), voice sync (burst A) or the voice burst's position; two trailing octets are raw RSSI.
    /// </summary>
    public static bool TryReadBurst(MmdvmFrame frame, out SlotBurst burst, out string? error)
    {
        burst = default;
        error = null;
        var slot = frame.Command switch
        {
            MmdvmCommand.DmrData1 => 1,
            MmdvmCommand.DmrData2 => 2,
            _ => 0,
        };
        if (slot == 0)
        {
            error = $"{frame.Command} is not a DMR data frame";
            return false;
        }

        var payload = frame.Payload.Span;
        if (payload.Length < BurstLength + 1)
        {
            error = $"DMR data frame on slot {slot} carries {payload.Length} bytes, needs {BurstLength + 1}";
            return false;
        }

        burst = FromControl(slot, payload[0], frame.Payload.Slice(1, BurstLength));
        if (payload.Length >= BurstLength + 3)
        {
            burst = burst with { Rssi = new Rssi(BinaryPrimitives.ReadUInt16BigEndian(payload[(BurstLength + 1)..]), RssiUnit.Raw) };
        }

        return true;
    }

    /// <summary>
    /// The DMR_DATA frame that carries <paramref name="burst"/>. A data burst without a data type from its link
    /// gets the one in its slot type.
    /// </summary>
    public static MmdvmDmrFrame FromSlotBurst(SlotBurst burst)
    {
        var bytes = burst.Bytes.ToArray();
        byte control;
        switch (burst.Sync)
        {
            case BurstSync.Data:
                var dataType = burst.DataType ?? (DmrBurst.TryReadSlotType(bytes, out _, out var slotType, out _) ? slotType : DmrDataType.Idle);
                control = (byte)(DataSync | ((byte)dataType & 0x0F));
                break;
            case BurstSync.Voice:
                control = VoiceSync;
                break;
            default:
                control = (byte)Math.Clamp(burst.VoicePosition, 1, 5);
                break;
        }

        ushort? rssi = burst.Rssi is { Unit: RssiUnit.Raw, Value: >= 0 and <= ushort.MaxValue } raw ? (ushort)raw.Value : null;
        return new MmdvmDmrFrame(burst.Slot, control, bytes, rssi);
    }

    private static SlotBurst FromControl(int slot, byte control, ReadOnlyMemory<byte> bytes) =>
        (control & DataSync) != 0 ? SlotBurst.Data(slot, bytes, (DmrDataType)(control & 0x0F))
        : (control & VoiceSync) != 0 ? SlotBurst.Voice(slot, 0, bytes)
        : SlotBurst.Voice(slot, Math.Clamp(control & 0x0F, 1, 5), bytes);

    public byte[] EncodePayload() => RawRssi is { } rssi
        ? [Control, .. Burst, (byte)(rssi >> 8), (byte)rssi]
        : [Control, .. Burst];
}
