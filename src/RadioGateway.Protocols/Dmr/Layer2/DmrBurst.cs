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
        var word = (BitBuffer.Read(burst, 98, 10) << 10) | BitBuffer.Read(burst, 156, 10);
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
        CheckLength(burst);
        Span<byte> encoded = stackalloc byte[25];
        encoded.Clear();
        for (var i = 0; i < 98; i++)
        {
            BitBuffer.Set(encoded, i, BitBuffer.Get(burst, i));
            BitBuffer.Set(encoded, 98 + i, BitBuffer.Get(burst, 166 + i));
        }

        return Bptc19696.Decode(encoded, data);
    }

    /// <summary>The raw 196-bit info field (bits 0–97 and 166–263 of the burst), for codes other than BPTC.</summary>
    public static void ReadInfoBits(ReadOnlySpan<byte> burst, Span<byte> info)
    {
        CheckLength(burst);
        info[..25].Clear();
        for (var i = 0; i < 98; i++)
        {
            BitBuffer.Set(info, i, BitBuffer.Get(burst, i));
            BitBuffer.Set(info, 98 + i, BitBuffer.Get(burst, 166 + i));
        }
    }

    public static void WriteInfoBits(Span<byte> burst, ReadOnlySpan<byte> info)
    {
        CheckLength(burst);
        for (var i = 0; i < 98; i++)
        {
            BitBuffer.Set(burst, i, BitBuffer.Get(info, i));
            BitBuffer.Set(burst, 166 + i, BitBuffer.Get(info, 98 + i));
        }
    }

    /// <summary>Trellis-decodes a rate ¾ data burst into 18 octets.</summary>
    /// <returns>Bits corrected, or -1 when more were needed than the code can be trusted with.</returns>
    public static int ReadRate34Info(ReadOnlySpan<byte> burst, Span<byte> data)
    {
        Span<byte> info = stackalloc byte[25];
        ReadInfoBits(burst, info);
        var corrected = Trellis34.Decode(info, data);
        return corrected > MaxTrellisCorrections ? -1 : corrected;
    }

    public static void WriteRate34Info(Span<byte> burst, ReadOnlySpan<byte> data)
    {
        Span<byte> info = stackalloc byte[25];
        Trellis34.Encode(data, info);
        WriteInfoBits(burst, info);
    }

    public static void WriteBptcInfo(Span<byte> burst, ReadOnlySpan<byte> data)
    {
        CheckLength(burst);
        Span<byte> encoded = stackalloc byte[25];
        encoded.Clear();
        Bptc19696.Encode(data, encoded);
        for (var i = 0; i < 98; i++)
        {
            BitBuffer.Set(burst, i, BitBuffer.Get(encoded, i));
            BitBuffer.Set(burst, 166 + i, BitBuffer.Get(encoded, 98 + i));
        }
    }

    /// <summary>Reads the QR(16,7,6)-protected EMB of a voice burst B–F (§9.1.2).</summary>
    public static bool TryReadEmb(ReadOnlySpan<byte> burst, out Emb emb, out int correctedBits)
    {
        CheckLength(burst);
        var word = (BitBuffer.Read(burst, 108, 8) << 8) | BitBuffer.Read(burst, 148, 8);
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
        return BitBuffer.Read(burst, 116, 32);
    }

    public static void WriteEmbeddedFragment(Span<byte> burst, uint fragment)
    {
        CheckLength(burst);
        BitBuffer.Write(burst, 116, 32, fragment);
    }

    private static ulong ReadSyncBits(ReadOnlySpan<byte> burst)
    {
        ulong value = 0;
        for (var i = 0; i < SyncBits; i++)
        {
            value = (value << 1) | (BitBuffer.Get(burst, SyncBit + i) ? 1UL : 0UL);
        }

        return value;
    }

    private static void CheckLength(ReadOnlySpan<byte> burst)
    {
        if (burst.Length < Length)
        {
            throw new ArgumentException($"A DMR burst is {Length} bytes; got {burst.Length}", nameof(burst));
        }
    }
}
