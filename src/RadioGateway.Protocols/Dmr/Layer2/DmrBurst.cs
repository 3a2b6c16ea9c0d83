using System.Buffers.Binary;
using System.Numerics;
using RadioGateway.Protocols.Dmr.Fec;

namespace RadioGateway.Protocols.Dmr.Layer2;

/// <summary>Embedded signalling header of a voice burst B–F (TS 102 361-1 §9.1.2).</summary>
public readonly record struct Emb(byte ColourCode, bool PrivacyIndicator, Lcss Lcss);

/// <summary>
/// Fields of a 264-bit DMR burst (TS 102 361-1 §4.2): 108 info bits, 48 bits of sync or embedded signalling,
/// 108 info bits. Data bursts carry a BPTC(196,96) info field around a Golay-protected slot type; voice
/// bursts carry 216 bits of vocoder frames and, in bursts B–F, an EMB with 32 bits of embedded signalling.
/// </summary>
public static class DmrBurst
{
    /// <summary>Beyond this many corrected bits a trellis-decoded block is treated as damaged (the CRCs would likely catch it too).</summary>
    private const int MaxTrellisCorrections = 12;

    public const int Length = 33;
    public const int SyncBit = 108;
    public const int SyncBits = 48;

    /// <summary>Octets holding the 196-bit info field (bits 0–97 and 166–263) back to back.</summary>
    public const int InfoBytes = 25;

    private static readonly (DmrSyncPattern Pattern, ulong Bits)[] SyncPatterns =
    [
        (DmrSyncPattern.BsSourcedVoice, 0x755FD7DF75F7),
        (DmrSyncPattern.BsSourcedData, 0xDFF57D75DF5D),
        (DmrSyncPattern.MsSourcedVoice, 0x7F7D5DD57DFD),
        (DmrSyncPattern.MsSourcedData, 0xD5D7F77FD757),
        (DmrSyncPattern.MsSourcedRcSync, 0x77D55F7DFD77),
        (DmrSyncPattern.DirectVoiceTs1, 0x5D577F7757FF),
        (DmrSyncPattern.DirectDataTs1, 0xF7FDD5DDFD55),
        (DmrSyncPattern.DirectVoiceTs2, 0x7DFFD5F55D5F),
        (DmrSyncPattern.DirectDataTs2, 0xD7557F5FF7F5),
    ];

    /// <summary>The sync pattern in the middle of the burst, allowing up to <paramref name="maxBitErrors"/> wrong bits.</summary>
    public static DmrSyncPattern FindSync(ReadOnlySpan<byte> burst, int maxBitErrors = 0)
    {
        CheckLength(burst);
        var bits = ReadSyncBits(burst);
        foreach (var (pattern, value) in SyncPatterns)
        {
            if (BitOperations.PopCount(bits ^ value) <= maxBitErrors)
            {
                return pattern;
            }
        }

        return DmrSyncPattern.None;
    }

    public static bool IsVoiceSync(DmrSyncPattern pattern) =>
        pattern is DmrSyncPattern.BsSourcedVoice or DmrSyncPattern.MsSourcedVoice or DmrSyncPattern.DirectVoiceTs1 or DmrSyncPattern.DirectVoiceTs2;

    public static bool IsDataSync(DmrSyncPattern pattern) =>
        pattern is DmrSyncPattern.BsSourcedData or DmrSyncPattern.MsSourcedData or DmrSyncPattern.DirectDataTs1 or DmrSyncPattern.DirectDataTs2;

    public static void WriteSync(Span<byte> burst, DmrSyncPattern pattern)
    {
        CheckLength(burst);
        var value = SyncPatterns.Single(p => p.Pattern == pattern).Bits;
        for (var i = 0; i < SyncBits; i++)
        {
            BitBuffer.Set(burst, SyncBit + i, ((value >> (SyncBits - 1 - i)) & 1) != 0);
        }
    }

    /// <summary>Reads the Golay(20,8)-protected slot type (§9.1.3): colour code and data type.</summary>
    /// <returns>False when more than 3 bits are wrong.</returns>
    public static bool TryReadSlotType(ReadOnlySpan<byte> burst, out byte colourCode, out DmrDataType dataType, out int correctedBits)
    {
        CheckLength(burst);
        // Bits 98–107 are the low 6 bits of octet 12 and the high nibble of octet 13; bits 156–165 the low nibble of 19 and the high 6 bits of 20.
        var word = ((uint)(burst[12] & 0x3F) << 14) | ((uint)(burst[13] >> 4) << 10) | ((uint)(burst[19] & 0x0F) << 6) | (uint)(burst[20] >> 2);
        var result = DmrCodes.Golay2087.Decode(word);
        colourCode = (byte)(result.Data >> 4);
        dataType = (DmrDataType)(result.Data & 0x0F);
        correctedBits = result.CorrectedBits;
        return result.Valid;
    }

    public static void WriteSlotType(Span<byte> burst, byte colourCode, DmrDataType dataType)
    {
        CheckLength(burst);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(colourCode, (byte)15);
        var word = DmrCodes.Golay2087.Encode((uint)((colourCode << 4) | ((byte)dataType & 0x0F)));
        BitBuffer.Write(burst, 98, 10, word >> 10);
        BitBuffer.Write(burst, 156, 10, word & 0x3FF);
    }

    /// <summary>Decodes the BPTC(196,96) info field of a data burst into 12 bytes.</summary>
    /// <returns>Corrected bits, or -1 when the field cannot be corrected.</returns>
    public static int ReadBptcInfo(ReadOnlySpan<byte> burst, Span<byte> data)
    {
        Span<byte> encoded = stackalloc byte[Bptc19696.EncodedBytes];
        ReadInfoBits(burst, encoded);
        return Bptc19696.Decode(encoded, data);
    }

    /// <summary>The raw 196-bit info field (bits 0–97 and 166–263 of the burst), for codes other than BPTC.</summary>
    public static void ReadInfoBits(ReadOnlySpan<byte> burst, Span<byte> info)
    {
        CheckLength(burst);
        ArgumentOutOfRangeException.ThrowIfLessThan(info.Length, InfoBytes, nameof(info));

        // Info bit i < 98 is burst bit i; info bit i ≥ 98 is burst bit i + 68, half an octet off.
        burst[..12].CopyTo(info);
        info[12] = (byte)((burst[12] & 0xC0) | ((burst[20] & 0x03) << 4) | (burst[21] >> 4));
        for (var i = 13; i < InfoBytes - 1; i++)
        {
            info[i] = (byte)((burst[i + 8] << 4) | (burst[i + 9] >> 4));
        }

        info[InfoBytes - 1] = (byte)(burst[32] << 4);
    }

    public static void WriteInfoBits(Span<byte> burst, ReadOnlySpan<byte> info)
    {
        CheckLength(burst);
        ArgumentOutOfRangeException.ThrowIfLessThan(info.Length, InfoBytes, nameof(info));

        // The inverse of ReadInfoBits; bits 98–165 (slot type or EMB, sync) keep their values.
        info[..12].CopyTo(burst);
        burst[12] = (byte)((info[12] & 0xC0) | (burst[12] & 0x3F));
        burst[20] = (byte)((burst[20] & 0xFC) | ((info[12] >> 4) & 0x03));
        for (var i = 21; i < Length; i++)
        {
            burst[i] = (byte)((info[i - 9] << 4) | (info[i - 8] >> 4));
        }
    }

    /// <summary>Trellis-decodes a rate ¾ data burst into 18 octets.</summary>
    /// <returns>Bits corrected, or -1 when more were needed than the code can be trusted with.</returns>
    public static int ReadRate34Info(ReadOnlySpan<byte> burst, Span<byte> data)
    {
        Span<byte> info = stackalloc byte[InfoBytes];
        ReadInfoBits(burst, info);
        var corrected = Trellis34.Decode(info, data);
        return corrected > MaxTrellisCorrections ? -1 : corrected;
    }

    public static void WriteRate34Info(Span<byte> burst, ReadOnlySpan<byte> data)
    {
        Span<byte> info = stackalloc byte[InfoBytes];
        Trellis34.Encode(data, info);
        WriteInfoBits(burst, info);
    }

    public static void WriteBptcInfo(Span<byte> burst, ReadOnlySpan<byte> data)
    {
        CheckLength(burst);
        Span<byte> encoded = stackalloc byte[Bptc19696.EncodedBytes];
        Bptc19696.Encode(data, encoded);
        WriteInfoBits(burst, encoded);
    }

    /// <summary>Reads the QR(16,7,6)-protected EMB of a voice burst B–F (§9.1.2).</summary>
    public static bool TryReadEmb(ReadOnlySpan<byte> burst, out Emb emb, out int correctedBits)
    {
        CheckLength(burst);
        // Bits 108–115 straddle octets 13/14, bits 148–155 octets 18/19.
        var word = ((uint)((burst[13] << 4) | (burst[14] >> 4)) & 0xFF) << 8;
        word |= (uint)((burst[18] << 4) | (burst[19] >> 4)) & 0xFF;
        var result = DmrCodes.QuadraticResidue1676.Decode(word);
        emb = new Emb((byte)(result.Data >> 3), (result.Data & 0x4) != 0, (Lcss)(result.Data & 0x3));
        correctedBits = result.CorrectedBits;
        return result.Valid;
    }

    public static void WriteEmb(Span<byte> burst, Emb emb)
    {
        CheckLength(burst);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(emb.ColourCode, (byte)15);
        var word = DmrCodes.QuadraticResidue1676.Encode((uint)((emb.ColourCode << 3) | (emb.PrivacyIndicator ? 4 : 0) | (byte)emb.Lcss));
        BitBuffer.Write(burst, 108, 8, word >> 8);
        BitBuffer.Write(burst, 148, 8, word & 0xFF);
    }

    /// <summary>The 32-bit embedded signalling fragment between the EMB halves.</summary>
    public static uint ReadEmbeddedFragment(ReadOnlySpan<byte> burst)
    {
        CheckLength(burst);

        // Bits 116–147: low nibble of octet 14, octets 15–17, high nibble of octet 18.
        return ((uint)(burst[14] & 0x0F) << 28) | ((uint)burst[15] << 20) | ((uint)burst[16] << 12) | ((uint)burst[17] << 4) | (uint)(burst[18] >> 4);
    }

    public static void WriteEmbeddedFragment(Span<byte> burst, uint fragment)
    {
        CheckLength(burst);
        BitBuffer.Write(burst, 116, 32, fragment);
    }

    /// <summary>Bits 108–155: the low nibble of octet 13, octets 14–18, the high nibble of octet 19.</summary>
    private static ulong ReadSyncBits(ReadOnlySpan<byte> burst) =>
        ((ulong)(uint)(burst[13] & 0x0F) << 44) | ((ulong)BinaryPrimitives.ReadUInt32BigEndian(burst[14..]) << 12) | ((ulong)burst[18] << 4) | (ulong)(uint)(burst[19] >> 4);

    private static void CheckLength(ReadOnlySpan<byte> burst)
    {
        if (burst.Length < Length)
        {
            throw new ArgumentException($"A DMR burst is {Length} bytes; got {burst.Length}", nameof(burst));
        }
    }
}
