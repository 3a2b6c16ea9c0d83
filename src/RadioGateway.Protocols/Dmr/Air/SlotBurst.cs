using RadioGateway.Protocols.Dmr.Layer2;

namespace RadioGateway.Protocols.Dmr.Air;

/// <summary>What the radio link says a burst is, before its own fields are decoded.</summary>
public enum BurstSync : byte
{
    /// <summary>Data sync: a burst with slot type (voice LC header, terminator, CSBK, data header and blocks, idle, …).</summary>
    Data,

    /// <summary>Voice sync: burst A of a voice superframe.</summary>
    Voice,

    /// <summary>A voice burst B–F, carrying an EMB and embedded signalling where the sync would be.</summary>
    Embedded,
}

/// <summary>Whether an RSSI reading is in dBm or the link's own raw units (MMDVM reports raw ADC values).</summary>
public enum RssiUnit : byte
{
    Raw,
    Dbm,
}

/// <summary>Received signal strength as the radio link reports it.</summary>
public readonly record struct Rssi(int Value, RssiUnit Unit);

/// <summary>
/// One 264-bit DMR burst (TS 102 361-1 §4.2) as any radio link hands it over or takes it: the TDMA slot, what the
/// link says about it (data sync, voice sync, or voice burst B–F by position), the 33 bytes, and optionally the
/// signal strength and the time it was received (supplied by the caller: protocol code reads no clock).
/// </summary>
/// <param name="Slot">TDMA slot, 1 or 2.</param>
/// <param name="Sync">What the link detected in the middle of the burst.</param>
/// <param name="VoicePosition">Position in the voice superframe, 0 (A) … 5 (F); 0 for data bursts.</param>
/// <param name="Bytes">The 33 bytes of the burst (<see cref="DmrBurst.Length"/>).</param>
/// <param name="DataType">The data type the link reports for a data burst, when it reports one; the receiver decodes the slot type itself.</param>
public readonly record struct SlotBurst(int Slot, BurstSync Sync, int VoicePosition, ReadOnlyMemory<byte> Bytes, DmrDataType? DataType = null)
{
    /// <summary>Signal strength, when the link reports it.</summary>
    public Rssi? Rssi { get; init; }

    /// <summary>When the burst arrived, when the caller knows.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The colour code the burst carries: the slot type of a data burst, the EMB of a voice burst B–F (§9.1.2–9.1.3).</summary>
    /// <returns>False for burst A (no colour code), a burst of the wrong length, or a field beyond FEC repair.</returns>
    public bool TryReadColourCode(out byte colourCode)
    {
        colourCode = 0;
        var span = Bytes.Span;
        if (span.Length != DmrBurst.Length)
        {
            return false;
        }

        switch (Sync)
        {
            case BurstSync.Data when DmrBurst.TryReadSlotType(span, out var slotTypeColourCode, out _, out _):
                colourCode = slotTypeColourCode;
                return true;
            case BurstSync.Embedded when DmrBurst.TryReadEmb(span, out var emb, out _):
                colourCode = emb.ColourCode;
                return true;
            default:
                return false;
        }
    }

    /// <summary>A data-sync burst.</summary>
    public static SlotBurst Data(int slot, ReadOnlyMemory<byte> bytes, DmrDataType? dataType = null) => new(slot, BurstSync.Data, 0, bytes, dataType);

    /// <summary>A voice burst: position 0 is burst A (voice sync), 1–5 are B–F.</summary>
    public static SlotBurst Voice(int slot, int position, ReadOnlyMemory<byte> bytes) =>
        new(slot, position == 0 ? BurstSync.Voice : BurstSync.Embedded, position, bytes);

    /// <summary>
    /// A burst from a link that says nothing about it (a bare capture): classified by its sync pattern (up to
    /// <paramref name="maxSyncBitErrors"/> wrong bits, §9.1.1), else by a valid slot type (data), else as a voice
    /// burst of unknown position in B–F (<see cref="VoicePosition"/> −1).
    /// </summary>
    public static SlotBurst FromAir(int slot, ReadOnlyMemory<byte> bytes, int maxSyncBitErrors = 4)
    {
        var span = bytes.Span;
        if (span.Length != DmrBurst.Length)
        {
            return Data(slot, bytes);
        }

        var sync = DmrBurst.FindSync(span, maxSyncBitErrors);
        if (DmrBurst.IsDataSync(sync))
        {
            return Data(slot, bytes);
        }

        if (DmrBurst.IsVoiceSync(sync))
        {
            return Voice(slot, 0, bytes);
        }

        return DmrBurst.TryReadSlotType(span, out _, out _, out _)
            ? Data(slot, bytes)
            : new SlotBurst(slot, BurstSync.Embedded, -1, bytes);
    }
}
