using RadioGateway.Protocols.Dmr.Fec;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Protocols.Dmr.Air;

/// <summary>
/// The DMR receive layer of one TDMA slot, for any radio link: turns the slot's bursts, in order, into typed
/// <see cref="SlotItem"/>s — voice LC headers, voice bursts with their FEC counts, terminators, link control
/// completed from embedded signalling (voice, talker alias, GPS), CSBKs, data headers and blocks rebuilt into
/// packets with their service decoded, response packets — and says why a burst is refused (another colour code,
/// a field beyond FEC repair). Pure: no I/O, clock, logging or threads; one instance per slot, one caller at a time.
/// The voice path allocates nothing: items are structs in a reused buffer and embedded link control that repeats
/// superframe after superframe is decoded once.
/// </summary>
public sealed class DmrSlotReceiver
{
    /// <summary>Bits checked in a voice LC header or terminator: the BPTC(196,96) field and the Golay(20,8) slot type.</summary>
    public const int LinkControlBitsChecked = Bptc19696.EncodedBits + 20;

    /// <summary>Bits of the QR(16,7,6)-protected EMB of voice bursts B–F (§9.1.2).</summary>
    public const int EmbBits = 16;

    /// <summary>QR(16,7,6) corrects two errors: an EMB beyond repair has at least three.</summary>
    private const int EmbErrorsBeyondRepair = 3;

    /// <summary>Distinct embedded LCs remembered (a call cycles through voice LC, talker alias header and blocks, GPS).</summary>
    private const int EmbeddedCacheSize = 8;

    /// <summary>A burst completes at most: its own item, a damaged packet it cut short, and a packet it completed.</summary>
    private const int MaxItemsPerBurst = 4;

    private readonly SlotItem[] _items = new SlotItem[MaxItemsPerBurst];
    private readonly byte[] _info = new byte[Rate1Block.Length]; // the largest block: rate 1
    private readonly uint[] _fragments = new uint[4];
    private readonly EmbeddedEntry[] _embedded = new EmbeddedEntry[EmbeddedCacheSize];
    private readonly FullLinkControl?[] _aliasParts = new FullLinkControl?[4];
    private readonly TalkerAliasAssembler _alias = new();
    private readonly DataCallAssembler _data = new();
    private int _count;
    private int _fragmentCount;
    private int _nextEmbedded;
    private string? _lastAlias;
    private FullLinkControl? _lastGpsLc;
    private GpsInfo? _lastGps;
    private (uint Source, uint Destination, bool Group)? _call;

    public DmrSlotReceiver(int slot, byte colourCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slot, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slot, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(colourCode, (byte)15);
        Slot = slot;
        ColourCode = colourCode;
    }

    public int Slot { get; }

    /// <summary>The channel's colour code (§9.1.3): data bursts and embedded signalling of another are not used.</summary>
    public byte ColourCode { get; }

    /// <summary>True while a data header waits for its blocks.</summary>
    public bool DataInProgress => _data.InProgress;

    /// <summary>Confirmed packets whose CRC-9s matched most-significant-bit first (see <see cref="Crc9BitOrder"/>).</summary>
    public long MsbFirstCrc9Packets => _data.MsbFirstCrc9Packets;

    /// <summary>Confirmed packets whose CRC-9s matched least-significant-bit first.</summary>
    public long LsbFirstCrc9Packets => _data.LsbFirstCrc9Packets;

    /// <summary>True between a voice LC header (or a late-entry embedded LC) and the terminator.</summary>
    public bool CallInProgress => _call is not null;

    /// <summary>
    /// Takes the slot's next burst; returns what it made of it, first the burst's own item. The items are valid
    /// until the next call.
    /// </summary>
    public ReadOnlySpan<SlotItem> Receive(in SlotBurst burst)
    {
        if (burst.Slot != Slot)
        {
            throw new ArgumentException($"a burst of slot {burst.Slot} was given to the receiver of slot {Slot}", nameof(burst));
        }

        _count = 0;
        if (burst.Bytes.Length != DmrBurst.Length)
        {
            Push(Item(burst, SlotItemKind.Damaged) with { Reason = $"a DMR burst is {DmrBurst.Length} bytes; this one has {burst.Bytes.Length}" });
            return Items;
        }

        switch (burst.Sync)
        {
            case BurstSync.Data:
                OnDataBurst(burst);
                break;
            case BurstSync.Voice:
                Push(Item(burst, SlotItemKind.VoiceBurst) with { VoicePosition = 0 });
                break;
            default:
                OnEmbeddedBurst(burst);
                break;
        }

        return Items;
    }

    private ReadOnlySpan<SlotItem> Items => _items.AsSpan(0, _count);

    private void Push(SlotItem item) => _items[_count++] = item;

    private static SlotItem Item(in SlotBurst burst, SlotItemKind kind) => new()
    {
        Kind = kind,
        Slot = burst.Slot,
        ReceivedAt = burst.ReceivedAt,
        Rssi = burst.Rssi,
        VoicePosition = burst.VoicePosition,
    };

    private void OnDataBurst(in SlotBurst burst)
    {
        var bytes = burst.Bytes.Span;
        if (!DmrBurst.TryReadSlotType(bytes, out var colourCode, out var dataType, out var slotTypeErrors))
        {
            Push(Item(burst, SlotItemKind.Damaged) with { Reason = "slot type beyond Golay(20,8) correction" });
            return;
        }

        var item = Item(burst, SlotItemKind.OtherData) with { DataType = dataType, ColourCode = colourCode };
        if (colourCode != ColourCode)
        {
            Push(item with { Kind = SlotItemKind.OtherColourCode });
            return;
        }

        switch (dataType)
        {
            case DmrDataType.VoiceLcHeader or DmrDataType.TerminatorWithLc:
                OnLinkControlBurst(burst, item, dataType, slotTypeErrors);
                break;
            case DmrDataType.Csbk:
                OnCsbk(burst, item);
                break;
            case DmrDataType.DataHeader:
                OnDataHeader(burst, item);
                break;
            case DmrDataType.Rate12Data:
                var rate12 = _info.AsMemory(0, Bptc19696.DataBytes);
                var corrected = DmrBurst.ReadBptcInfo(bytes, rate12.Span);
                Push(item with { Kind = SlotItemKind.DataBlock, Info = rate12, BitErrors = corrected });
                AddPacket(burst, _data.OnRate12Block(rate12.Span, fecFailed: corrected < 0));
                break;
            case DmrDataType.Rate34Data:
                var rate34 = _info.AsMemory(0, Trellis34.DataLength);
                var trellisCorrected = DmrBurst.ReadRate34Info(bytes, rate34.Span);
                Push(item with { Kind = SlotItemKind.DataBlock, Info = rate34, BitErrors = trellisCorrected });
                AddPacket(burst, _data.OnRate34Block(rate34.Span, fecFailed: trellisCorrected < 0));
                break;
            case DmrDataType.Rate1Data:
                // Rate 1: 24 octets, no FEC beyond the CRCs (TS 102 361-1 Annex B, Table B.10B).
                var rate1 = _info.AsMemory(0, Rate1Block.Length);
                Rate1Block.Read(bytes, rate1.Span);
                Push(item with { Kind = SlotItemKind.DataBlock, Info = rate1, BitErrors = 0 });
                AddPacket(burst, _data.OnRate1Block(rate1.Span));
                break;
            default:
                Push(item);
                break;
        }
    }

    private void OnLinkControlBurst(in SlotBurst burst, SlotItem item, DmrDataType dataType, int slotTypeErrors)
    {
        var lc = FullLinkControl.FromBurst(burst.Bytes.Span, dataType, out var corrected);
        if (lc is null)
        {
            Push(item with { Kind = SlotItemKind.Damaged, Reason = $"{dataType} beyond BPTC/RS correction" });
            return;
        }

        item = item with { LinkControl = lc, BitErrors = corrected + slotTypeErrors, BitsChecked = LinkControlBitsChecked };
        if (!lc.IsVoice)
        {
            Push(item with { Kind = SlotItemKind.OtherLinkControl });
            return;
        }

        // Both open a fresh superframe context: a header starts a call, a terminator ends it (§7.1.1, §7.1.2).
        NewCall();
        if (dataType == DmrDataType.VoiceLcHeader)
        {
            _call = (lc.SourceId, lc.DestinationId, lc.IsGroupCall);
            Push(item with { Kind = SlotItemKind.VoiceHeader });
        }
        else
        {
            _call = null;
            Push(item with { Kind = SlotItemKind.Terminator });
        }
    }

    private void OnCsbk(in SlotBurst burst, SlotItem item)
    {
        var info = _info.AsSpan(0, Csbk.Length);
        if (DmrBurst.ReadBptcInfo(burst.Bytes.Span, info) is var corrected && corrected < 0)
        {
            Push(item with { Kind = SlotItemKind.Damaged, Reason = "CSBK beyond BPTC(196,96) correction" });
            return;
        }

        var csbk = Csbk.Decode(info, out var error);
        Push(csbk is null
            ? item with { Kind = SlotItemKind.Damaged, Reason = "CSBK: " + error }
            : item with { Kind = SlotItemKind.Csbk, Csbk = csbk, BitErrors = corrected });
    }

    private void OnDataHeader(in SlotBurst burst, SlotItem item)
    {
        var info = _info.AsSpan(0, DataHeader.Length);
        if (DmrBurst.ReadBptcInfo(burst.Bytes.Span, info) is var corrected && corrected < 0)
        {
            Push(item with { Kind = SlotItemKind.Damaged, Reason = "data header beyond BPTC(196,96) correction" });
            return;
        }

        var header = DataHeader.Decode(info, out var error);
        if (header is null)
        {
            Push(item with { Kind = SlotItemKind.Damaged, Reason = "data header: " + error });
            return;
        }

        Push(item with { Kind = SlotItemKind.DataHeader, DataHeader = header, BitErrors = corrected });
        foreach (var packet in _data.OnHeader(header))
        {
            AddPacket(burst, packet);
        }
    }

    private void AddPacket(in SlotBurst burst, DataPacket? packet)
    {
        if (packet is null)
        {
            return;
        }

        var response = packet.Header.Format == DataPacketFormat.Response;
        var kind = response ? SlotItemKind.ResponsePacket : SlotItemKind.DataPacket;
        Push(Item(burst, kind) with
        {
            Packet = packet,
            Service = response ? null : DataServiceContent.Decode(packet),
        });
    }

    private void OnEmbeddedBurst(in SlotBurst burst)
    {
        var bytes = burst.Bytes.Span;
        var item = Item(burst, SlotItemKind.VoiceBurst) with { BitsChecked = EmbBits };
        if (!DmrBurst.TryReadEmb(bytes, out var emb, out var embErrors))
        {
            _fragmentCount = 0;
            Push(item with { BitErrors = EmbErrorsBeyondRepair, Reason = "EMB beyond QR(16,7,6) correction" });
            return;
        }

        var fragment = DmrBurst.ReadEmbeddedFragment(bytes);
        Push(item with { Emb = emb, ColourCode = emb.ColourCode, EmbeddedFragment = fragment, BitErrors = embErrors });
        if (emb.ColourCode != ColourCode)
        {
            return;
        }

        var lc = AddFragment(emb.Lcss, fragment, out var error);
        if (error is not null)
        {
            Push(Item(burst, SlotItemKind.EmbeddedDamaged) with { Reason = error });
        }

        if (lc is null)
        {
            return;
        }

        if (lc.IsVoice)
        {
            var lateEntry = _call is not { } call || call != (lc.SourceId, lc.DestinationId, lc.IsGroupCall);
            if (lateEntry)
            {
                // A call joined late, or a new talker without a terminator: an alias being collected is not theirs.
                ResetAlias();
                _call = (lc.SourceId, lc.DestinationId, lc.IsGroupCall);
            }

            Push(Item(burst, SlotItemKind.EmbeddedLc) with { LinkControl = lc, LateEntry = lateEntry });
        }
        else if (lc.Opcode == Flco.GpsInfo)
        {
            if (!ReferenceEquals(lc, _lastGpsLc))
            {
                _lastGpsLc = lc;
                _lastGps = lc.Gps;
            }

            Push(Item(burst, SlotItemKind.GpsInfo) with { LinkControl = lc, Gps = _lastGps });
        }
        else if (lc.Opcode is >= Flco.TalkerAliasHeader and <= Flco.TalkerAliasBlock3)
        {
            Push(Item(burst, SlotItemKind.TalkerAliasPart) with { LinkControl = lc });
            var part = lc.Opcode - Flco.TalkerAliasHeader;
            if (ReferenceEquals(_aliasParts[part], lc))
            {
                return; // the same part again: nothing new to assemble
            }

            _aliasParts[part] = lc;
            if (_alias.Add(lc) is { } alias && alias != _lastAlias)
            {
                _lastAlias = alias;
                Push(Item(burst, SlotItemKind.TalkerAlias) with { Alias = alias, LinkControl = lc });
            }
        }
    }

    /// <summary>
    /// Collects fragments by their LCSS (first, continuation, continuation, last: §9.3.3) and decodes the LC when
    /// the fourth arrives in order; single fragments and pieces out of order restart the collection.
    /// </summary>
    private FullLinkControl? AddFragment(Lcss lcss, uint fragment, out string? error)
    {
        error = null;
        switch (lcss)
        {
            case Lcss.FirstFragment:
                _fragments[0] = fragment;
                _fragmentCount = 1;
                return null;
            case Lcss.Continuation when _fragmentCount is 1 or 2:
                _fragments[_fragmentCount++] = fragment;
                return null;
            case Lcss.LastFragment when _fragmentCount == 3:
                _fragments[3] = fragment;
                _fragmentCount = 0;
                return DecodeEmbedded(out error);
            default:
                _fragmentCount = 0;
                return null;
        }
    }

    /// <summary>The LC of the four fragments, decoded once and remembered: a call repeats the same few LCs.</summary>
    private FullLinkControl? DecodeEmbedded(out string? error)
    {
        var key = (_fragments[0], _fragments[1], _fragments[2], _fragments[3]);
        foreach (var entry in _embedded)
        {
            if (entry.Key == key && (entry.LinkControl is not null || entry.Error is not null))
            {
                error = entry.Error;
                return entry.LinkControl;
            }
        }

        var lc = EmbeddedLinkControl.Decode(_fragments, out _, out error);
        _embedded[_nextEmbedded] = new EmbeddedEntry(key, lc, error);
        _nextEmbedded = (_nextEmbedded + 1) % EmbeddedCacheSize;
        return lc;
    }

    private void NewCall()
    {
        _fragmentCount = 0;
        ResetAlias();
    }

    private void ResetAlias()
    {
        _alias.Reset();
        Array.Clear(_aliasParts);
        _lastAlias = null;
    }

    private readonly record struct EmbeddedEntry((uint, uint, uint, uint) Key, FullLinkControl? LinkControl, string? Error);
}
