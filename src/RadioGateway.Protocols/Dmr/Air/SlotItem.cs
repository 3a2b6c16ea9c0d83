using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Protocols.Dmr.Air;

/// <summary>
/// What a <see cref="DmrSlotReceiver"/> made of a burst. The first item of each burst classifies the burst itself
/// (<see cref="IsBurstItem"/>); items after it were completed by it (embedded LC, talker alias, GPS, packets).
/// </summary>
public enum SlotItemKind : byte
{
    /// <summary>Voice LC header (§7.1.1): <see cref="SlotItem.LinkControl"/> is a voice LC.</summary>
    VoiceHeader,

    /// <summary>Voice burst A–F: <see cref="SlotItem.VoicePosition"/>, EMB and its FEC counts for B–F.</summary>
    VoiceBurst,

    /// <summary>Terminator with LC (§7.1.2): <see cref="SlotItem.LinkControl"/> is a voice LC.</summary>
    Terminator,

    /// <summary>A voice LC header or terminator whose LC is not a voice channel user LC.</summary>
    OtherLinkControl,

    /// <summary>A CSBK (§9.1.4 of TS 102 361-2): <see cref="SlotItem.Csbk"/>.</summary>
    Csbk,

    /// <summary>A data header (§9.2.6): <see cref="SlotItem.DataHeader"/>.</summary>
    DataHeader,

    /// <summary>A rate ½ or ¾ data block: <see cref="SlotItem.Info"/>, or <see cref="SlotItem.BitErrors"/> −1 beyond FEC.</summary>
    DataBlock,

    /// <summary>A data burst of a type this receiver does not interpret (idle, PI header, MBC, rate 1, USBD).</summary>
    OtherData,

    /// <summary>A data burst of another colour code (<see cref="SlotItem.ColourCode"/>): not ours, nothing in it is used.</summary>
    OtherColourCode,

    /// <summary>A burst that cannot be decoded: <see cref="SlotItem.Reason"/> says which field failed.</summary>
    Damaged,

    /// <summary>Voice LC completed from the embedded signalling of a superframe (B–E); <see cref="SlotItem.LateEntry"/> when no header was heard.</summary>
    EmbeddedLc,

    /// <summary>A talker alias header or block LC (§7.1.1.4), embedded or in a full LC.</summary>
    TalkerAliasPart,

    /// <summary>A talker alias whose parts are all in: <see cref="SlotItem.Alias"/>.</summary>
    TalkerAlias,

    /// <summary>GPS info LC (§7.1.1.3) completed from embedded signalling: <see cref="SlotItem.Gps"/>.</summary>
    GpsInfo,

    /// <summary>Embedded signalling that failed its checks: <see cref="SlotItem.Reason"/>.</summary>
    EmbeddedDamaged,

    /// <summary>A data packet rebuilt from its header and blocks, whole or damaged: <see cref="SlotItem.Packet"/> and <see cref="SlotItem.Service"/>.</summary>
    DataPacket,

    /// <summary>A response packet (§9.2.7: ACK, NACK, selective retry): <see cref="SlotItem.Packet"/>.</summary>
    ResponsePacket,
}

/// <summary>
/// One typed item from the slot receiver. A struct with a kind and the fields that kind uses, so the voice path
/// allocates nothing: link controls completed from embedded signalling are the same instances superframe after
/// superframe. <see cref="Info"/> points into the receiver's buffer and is valid until its next call.
/// </summary>
public readonly record struct SlotItem
{
    public required SlotItemKind Kind { get; init; }

    public required int Slot { get; init; }

    /// <summary>When the burst arrived, as the link supplied it.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>Signal strength of the burst, as the link supplied it.</summary>
    public Rssi? Rssi { get; init; }

    /// <summary>Data type from the slot type of a data burst.</summary>
    public DmrDataType? DataType { get; init; }

    /// <summary>Colour code of the burst (slot type or EMB), when it was read.</summary>
    public byte? ColourCode { get; init; }

    /// <summary>Voice superframe position 0 (A) … 5 (F); −1 when the link did not say and there was no sync.</summary>
    public int VoicePosition { get; init; }

    /// <summary>EMB of a voice burst B–F.</summary>
    public Emb? Emb { get; init; }

    /// <summary>The 32 embedded signalling bits of a voice burst B–F.</summary>
    public uint EmbeddedFragment { get; init; }

    /// <summary>
    /// Bit errors the FEC found in the fields checked: the bits it corrected; for an EMB beyond repair the three it
    /// takes to get there; −1 for a data block beyond repair.
    /// </summary>
    public int BitErrors { get; init; }

    /// <summary>Bits the FEC checked (slot type + BPTC for LC bursts, the EMB's 16 for voice B–F).</summary>
    public int BitsChecked { get; init; }

    public FullLinkControl? LinkControl { get; init; }

    public Csbk? Csbk { get; init; }

    public DataHeader? DataHeader { get; init; }

    /// <summary>Decoded info field of a data block (12 or 18 octets).</summary>
    public ReadOnlyMemory<byte> Info { get; init; }

    public DataPacket? Packet { get; init; }

    /// <summary>What an intact data packet carries.</summary>
    public DataServiceContent? Service { get; init; }

    public string? Alias { get; init; }

    public GpsInfo? Gps { get; init; }

    /// <summary>An embedded voice LC heard without the call's header (late entry) or with a new talker.</summary>
    public bool LateEntry { get; init; }

    /// <summary>Why the burst or embedded LC was refused.</summary>
    public string? Reason { get; init; }

    /// <summary>True for the item classifying the burst; false for items the burst completed.</summary>
    public bool IsBurstItem => Kind <= SlotItemKind.Damaged;
}
