using RadioGateway.Protocols.Dmr.Fec;

namespace RadioGateway.Protocols.Dmr.Layer2;

/// <summary>
/// 72-bit full link control (TS 102 361-2 §7.1): protect flag, FLCO, feature set id and 7 payload bytes.
/// Voice LCs (FLCO 0 group, 3 unit-to-unit) carry service options, destination and source ids (§7.1.1.1–2).
/// </summary>
public sealed class FullLinkControl
{
    public const int Length = 9;
    private readonly byte[] _bytes;

    public FullLinkControl(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length)
        {
            throw new ArgumentException($"Full LC is {Length} bytes; got {bytes.Length}", nameof(bytes));
        }

        _bytes = bytes[..Length].ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    public bool ProtectFlag => (_bytes[0] & 0x80) != 0;

    public Flco Opcode => (Flco)(_bytes[0] & 0x3F);

    public byte FeatureSetId => _bytes[1];

    /// <summary>Group voice channel user (FLCO 0) or unit-to-unit voice channel user (FLCO 3).</summary>
    public bool IsVoice => Opcode is Flco.GroupVoiceChannelUser or Flco.UnitToUnitVoiceChannelUser;

    public bool IsGroupCall => Opcode == Flco.GroupVoiceChannelUser;

    /// <summary>Service options (§7.2.1): bit 7 emergency, bit 6 privacy, bit 3 broadcast, bit 2 OVCM, bits 1–0 priority.</summary>
    public byte ServiceOptions => _bytes[2];

    public bool Emergency => (ServiceOptions & 0x80) != 0;

    public bool Privacy => (ServiceOptions & 0x40) != 0;

    public uint DestinationId => (uint)((_bytes[3] << 16) | (_bytes[4] << 8) | _bytes[5]);

    public uint SourceId => (uint)((_bytes[6] << 16) | (_bytes[7] << 8) | _bytes[8]);

    /// <summary>A voice channel user LC.</summary>
    public static FullLinkControl Voice(bool group, uint destination, uint source, bool emergency = false, bool privacy = false, byte featureSetId = 0)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = (byte)(group ? Flco.GroupVoiceChannelUser : Flco.UnitToUnitVoiceChannelUser);
        bytes[1] = featureSetId;
        bytes[2] = (byte)((emergency ? 0x80 : 0) | (privacy ? 0x40 : 0));
        WriteId(bytes[3..], destination);
        WriteId(bytes[6..], source);
        return new FullLinkControl(bytes);
    }

    /// <summary>Decodes the LC of a voice LC header or terminator burst: BPTC(196,96), then RS(12,9) with the data type's mask.</summary>
    /// <returns>Null when the FEC cannot recover it.</returns>
    public static FullLinkControl? FromBurst(ReadOnlySpan<byte> burst, DmrDataType dataType, out int correctedBits)
    {
        Span<byte> lc = stackalloc byte[Length];
        return TryReadFromBurst(burst, dataType, lc, out correctedBits) ? new FullLinkControl(lc) : null;
    }

    /// <summary>Decodes the LC of a voice LC header or terminator burst into the 9 octets of <paramref name="lc"/>, without allocating.</summary>
    /// <returns>False when the FEC cannot recover it.</returns>
    public static bool TryReadFromBurst(ReadOnlySpan<byte> burst, DmrDataType dataType, Span<byte> lc, out int correctedBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lc.Length, Length, nameof(lc));
        Span<byte> info = stackalloc byte[Bptc19696.DataBytes];
        correctedBits = DmrBurst.ReadBptcInfo(burst, info);
        var rs = ReedSolomon129.Decode(info, MaskFor(dataType));
        if (correctedBits < 0 || rs < 0)
        {
            return false;
        }

        correctedBits += rs;
        info[..Length].CopyTo(lc);
        return true;
    }

    /// <summary>Writes this LC as the info field of a voice LC header or terminator burst (slot type and sync are the caller's).</summary>
    public void WriteToBurst(Span<byte> burst, DmrDataType dataType)
    {
        Span<byte> info = stackalloc byte[Bptc19696.DataBytes];
        _bytes.CopyTo(info);
        ReedSolomon129.Encode(_bytes, info[9..], MaskFor(dataType));
        DmrBurst.WriteBptcInfo(burst, info);
    }

    /// <summary>
    /// GPS info LC (FLCO 8, TS 102 361-2 §7.1.1.3): position error class (3 bits), longitude 25 bits two's
    /// complement × 360/2²⁵, latitude 24 bits two's complement × 180/2²⁴. Null for other opcodes.
    /// </summary>
    public GpsInfo? Gps
    {
        get
        {
            if (Opcode != Flco.GpsInfo)
            {
                return null;
            }

            var bits = ((ulong)_bytes[2] << 48) | ((ulong)_bytes[3] << 40) | ((ulong)_bytes[4] << 32) | ((ulong)_bytes[5] << 24) | ((ulong)_bytes[6] << 16) | ((ulong)_bytes[7] << 8) | _bytes[8];
            var positionError = (int)((bits >> 49) & 0x07);
            var longitude = (int)((bits >> 24) & 0x1FFFFFF);
            longitude = (longitude << 7) >> 7; // sign-extend 25 bits
            var latitude = (int)(bits & 0xFFFFFF);
            latitude = (latitude << 8) >> 8; // sign-extend 24 bits
            return new GpsInfo(positionError, latitude * 180.0 / (1 << 24), longitude * 360.0 / (1 << 25));
        }
    }

    public override string ToString() => $"FLCO {Opcode} FID 0x{FeatureSetId:X2} {Convert.ToHexString(_bytes)}";

    private static byte MaskFor(DmrDataType dataType) => dataType switch
    {
        DmrDataType.VoiceLcHeader => ReedSolomon129.VoiceLcHeaderMask,
        DmrDataType.TerminatorWithLc => ReedSolomon129.TerminatorWithLcMask,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Full LC travels in voice LC headers and terminators"),
    };

    private static void WriteId(Span<byte> destination, uint id)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, 0xFFFFFFu);
        destination[0] = (byte)(id >> 16);
        destination[1] = (byte)(id >> 8);
        destination[2] = (byte)id;
    }
}

/// <summary>Position from a GPS info LC; <see cref="AccuracyM"/> is the upper bound of the position error class.</summary>
public sealed record GpsInfo(int PositionError, double Latitude, double Longitude)
{
    /// <summary>2 m … 200 km for classes 0–5; null for "more than 200 km" (6) and "not known" (7).</summary>
    public double? AccuracyM => PositionError switch
    {
        0 => 2,
        1 => 20,
        2 => 200,
        3 => 2_000,
        4 => 20_000,
        5 => 200_000,
        _ => null,
    };
}
