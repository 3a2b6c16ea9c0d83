using Microsoft.Extensions.Logging;
using RadioGateway.Core.Calls;
using RadioGateway.Core.DataServices;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Mmdvm;

namespace RadioGateway.Core.Adapters.Mmdvm;

/// <summary>
/// The DMR receive path of one base station: interprets each burst the modem hands over (voice LC headers,
/// voice superframes with embedded LC, talker alias and GPS info, terminators, CSBKs) and feeds the call tracker;
/// data headers and rate ½/¾ blocks are rebuilt into packets whose services become positions, texts and registrations.
/// Bursts of another colour code are ignored; bursts whose FEC fails are counted, never trusted.
/// </summary>
public sealed partial class DmrFrameDecoder
{
    private const int SlotTypeBits = 20;
    private const int BptcBits = 196;
    private const int EmbBits = 16;
    private static readonly TimeSpan CsbkRepeatWindow = TimeSpan.FromSeconds(2);

    private readonly string _radioId;
    private readonly byte _colourCode;
    private readonly CallTracker _tracker;
    private readonly IEventSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SlotDecoder[] _slots = [new(), new()];
    private readonly DataServiceMapper _dataServices;
    private readonly UnitRoster _roster;

    public DmrFrameDecoder(string radioId, byte colourCode, CallTracker tracker, IEventSink sink, TimeProvider time, ILogger logger, UnitRoster? roster = null)
    {
        _roster = roster ?? UnitRoster.Empty;
        _dataServices = new DataServiceMapper(radioId, _roster);
        _radioId = radioId;
        _colourCode = colourCode;
        _tracker = tracker;
        _sink = sink;
        _time = time;
        _logger = logger;
    }

    /// <summary>Bursts dropped because their FEC could not be corrected.</summary>
    public long UndecodableBursts { get; private set; }

    /// <summary>Confirmed packets received whose CRC-9s matched most significant bit first (both slots).</summary>
    public long MsbFirstCrc9Packets => _slots.Sum(s => s.Data.MsbFirstCrc9Packets);

    /// <summary>Confirmed packets received whose CRC-9s matched least significant bit first (both slots).</summary>
    public long LsbFirstCrc9Packets => _slots.Sum(s => s.Data.LsbFirstCrc9Packets);

    /// <summary>Raised with the answer key of each answer a radio sends (TMS ack, LRRP report, radio-check reply, …).</summary>
    public event Action<string>? AnswerHeard;

    /// <summary>
    /// True while the slot carries traffic: a call in progress, a data call being assembled, or any burst within
    /// the last 360 ms (one superframe). The transmit path waits for a free slot (channel access).
    /// </summary>
    public bool IsSlotBusy(int slot)
    {
        var decoder = _slots[slot - 1];
        return _tracker.ActiveCall(slot) is not null || decoder.Data.InProgress || _time.GetUtcNow() - decoder.LastBurstAt < TimeSpan.FromMilliseconds(360);
    }

    public void OnLost(int slot)
    {
        _slots[slot - 1].LastBurstAt = _time.GetUtcNow();
        _tracker.OnLostFrame(slot);
    }

    public void OnFrame(MmdvmDmrFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var slot = _slots[frame.Slot - 1];
        slot.LastBurstAt = _time.GetUtcNow();
        if (frame.IsDataSync)
        {
            OnDataBurst(frame, slot);
        }
        else
        {
            OnVoiceBurst(frame, slot, frame.IsVoiceSync ? 0 : frame.LowNibble);
        }
    }

    private void OnDataBurst(MmdvmDmrFrame frame, SlotDecoder slot)
    {
        if (!DmrBurst.TryReadSlotType(frame.Burst, out var colourCode, out var dataType, out var slotTypeErrors))
        {
            Undecodable(frame.Slot, "slot type beyond Golay(20,8) correction");
            return;
        }

        if (colourCode != _colourCode)
        {
            LogOtherColourCode(_radioId, frame.Slot, colourCode, _colourCode);
            return;
        }

        switch (dataType)
        {
            case DmrDataType.VoiceLcHeader:
            case DmrDataType.TerminatorWithLc:
                var lc = FullLinkControl.FromBurst(frame.Burst, dataType, out var corrected);
                if (lc is null)
                {
                    Undecodable(frame.Slot, $"{dataType} beyond BPTC/RS correction");
                    return;
                }

                if (!lc.IsVoice)
                {
                    LogNonVoiceLc(_radioId, frame.Slot, lc.ToString());
                    return;
                }

                if (dataType == DmrDataType.VoiceLcHeader)
                {
                    slot.NewCall();
                    _tracker.OnVoiceHeader(frame.Slot, ToCall(lc));
                    _tracker.OnVoiceBurst(frame.Slot, bitErrors: corrected + slotTypeErrors, bitsChecked: BptcBits + SlotTypeBits);
                }
                else
                {
                    _tracker.OnVoiceBurst(frame.Slot, bitErrors: corrected + slotTypeErrors, bitsChecked: BptcBits + SlotTypeBits);
                    _tracker.OnTerminator(frame.Slot, ToCall(lc));
                    slot.NewCall();
                }

                break;
            case DmrDataType.Csbk:
                OnCsbk(frame, slot);
                break;
            case DmrDataType.DataHeader:
                OnDataHeader(frame, slot);
                break;
            case DmrDataType.Rate12Data:
                OnRate12Block(frame, slot);
                break;
            case DmrDataType.Rate34Data:
                OnRate34Block(frame, slot);
                break;
            case DmrDataType.Rate1Data:
                OnRate1Block(frame, slot);
                break;
            default:
                LogDataBurst(_radioId, frame.Slot, dataType);
                break;
        }
    }

    private void OnDataHeader(MmdvmDmrFrame frame, SlotDecoder slot)
    {
        Span<byte> info = stackalloc byte[12];
        if (DmrBurst.ReadBptcInfo(frame.Burst, info) < 0)
        {
            Undecodable(frame.Slot, "data header beyond BPTC correction");
            return;
        }

        var header = DataHeader.Decode(info, out var error);
        if (header is null)
        {
            Undecodable(frame.Slot, "data header: " + error);
            return;
        }

        PublishPackets(frame.Slot, slot.Data.OnHeader(header));
    }

    private void OnRate12Block(MmdvmDmrFrame frame, SlotDecoder slot)
    {
        Span<byte> info = stackalloc byte[12];
        var corrected = DmrBurst.ReadBptcInfo(frame.Burst, info);
        if (slot.Data.OnRate12Block(info, fecFailed: corrected < 0) is { } packet)
        {
            PublishPackets(frame.Slot, [packet]);
        }
    }

    private void OnRate34Block(MmdvmDmrFrame frame, SlotDecoder slot)
    {
        Span<byte> block = stackalloc byte[18];
        var corrected = DmrBurst.ReadRate34Info(frame.Burst, block);
        if (slot.Data.OnRate34Block(block, fecFailed: corrected < 0) is { } packet)
        {
            PublishPackets(frame.Slot, [packet]);
        }
    }

    private void OnRate1Block(MmdvmDmrFrame frame, SlotDecoder slot)
    {
        Span<byte> block = stackalloc byte[Rate1Block.Length];
        Rate1Block.Read(frame.Burst, block);
        if (slot.Data.OnRate1Block(block) is { } packet)
        {
            PublishPackets(frame.Slot, [packet]);
        }
    }

    private void PublishPackets(int slotNumber, IReadOnlyList<DataPacket> packets)
    {
        foreach (var packet in packets)
        {
            if (packet.Header.IsAcknowledgement)
            {
                // The radio confirms a confirmed data packet at the link layer.
                AnswerHeard?.Invoke(Commands.AnswerKeys.DataAcknowledgement(packet.Header.Source));
            }
            else if (packet.Header.IsCrcRetryRequest)
            {
                // A selective retry or CRC NACK: the dispatcher may resend in the other CRC-9 bit order.
                AnswerHeard?.Invoke(Commands.AnswerKeys.DataCrcRetryRequest(packet.Header.Source));
            }

            var events = _dataServices.Map(slotNumber, packet, _time.GetUtcNow(), out var message);
            if (!packet.IsIntact)
            {
                LogDamagedPacket(_radioId, slotNumber, packet.Header.Source, packet.Problem!);
            }

            foreach (var domainEvent in events)
            {
                _sink.Publish(domainEvent);
            }

            if (message is not null && AnswerHeard is { } answerHeard)
            {
                foreach (var key in Commands.AnswerKeyReader.From(message))
                {
                    answerHeard(key);
                }
            }
        }
    }

    private void OnCsbk(MmdvmDmrFrame frame, SlotDecoder slot)
    {
        Span<byte> info = stackalloc byte[12];
        if (DmrBurst.ReadBptcInfo(frame.Burst, info) < 0)
        {
            Undecodable(frame.Slot, "CSBK beyond BPTC correction");
            return;
        }

        var csbk = Csbk.Decode(info, out var error);
        if (csbk is null)
        {
            Undecodable(frame.Slot, "CSBK: " + error);
            return;
        }

        if (csbk.Opcode == Csbk.RadioCheck)
        {
            // A radio-check reply comes from the checked unit (opcode 0x24 from it). Every reply counts, even one
            // the repeat filter below folds into an earlier event: it may answer a newer check.
            AnswerHeard?.Invoke(Commands.AnswerKeys.RadioCheck(csbk.SourceId));
        }

        var now = _time.GetUtcNow();
        var key = (csbk.Opcode, csbk.FeatureSetId, csbk.SourceId, csbk.TargetId);
        if (slot.LastCsbk == key && now - slot.LastCsbkAt < CsbkRepeatWindow)
        {
            // Preamble trains and repeated control blocks are one event.
            slot.LastCsbkAt = now;
            return;
        }

        slot.LastCsbk = key;
        slot.LastCsbkAt = now;

        if (csbk.Name == "unknown")
        {
            LogUnknownCsbk(_radioId, frame.Slot, csbk.Opcode, csbk.FeatureSetId, Convert.ToHexString(csbk.Bytes));
        }

        _sink.Publish(new CsbkHeard
        {
            Id = $"{_radioId}.ts{frame.Slot}.csbk.{now.UtcDateTime:yyyyMMdd'T'HHmmss.fff'Z'}.{csbk.Opcode:X2}.{csbk.SourceId}",
            Time = now,
            RadioId = _radioId,
            Slot = frame.Slot,
            Opcode = csbk.Opcode,
            FeatureSetId = csbk.FeatureSetId,
            Name = csbk.Name,
            SourceId = csbk.SourceId,
            DestinationId = csbk.TargetId,
            GroupDestination = csbk.GroupTarget,
            RawHex = Convert.ToHexString(csbk.Bytes[2..10]),
        });
    }

    private void OnVoiceBurst(MmdvmDmrFrame frame, SlotDecoder slot, int position)
    {
        if (position == 0)
        {
            _tracker.OnVoiceBurst(frame.Slot);
            return;
        }

        if (!DmrBurst.TryReadEmb(frame.Burst, out var emb, out var embErrors))
        {
            // Beyond QR(16,7,6)'s two-error correction: at least three of the 16 bits were wrong.
            slot.Embedded.Reset();
            _tracker.OnVoiceBurst(frame.Slot, bitErrors: 3, bitsChecked: EmbBits);
            return;
        }

        _tracker.OnVoiceBurst(frame.Slot, bitErrors: embErrors, bitsChecked: EmbBits);
        if (emb.ColourCode != _colourCode)
        {
            return;
        }

        var lc = slot.Embedded.Add(emb.Lcss, DmrBurst.ReadEmbeddedFragment(frame.Burst), out var error);
        if (error is not null)
        {
            LogEmbeddedFailed(_radioId, frame.Slot, error);
        }

        if (lc is null)
        {
            return;
        }

        if (lc.IsVoice)
        {
            var lateEntry = _tracker.ActiveCall(frame.Slot) is null;
            _tracker.OnEmbeddedLinkControl(frame.Slot, ToCall(lc));
            if (lateEntry)
            {
                slot.Alias.Reset();
            }
        }
        else if (lc.Gps is { } gps)
        {
            // GPS info replaces the voice LC for a superframe; it belongs to whoever is talking.
            if (_tracker.ActiveCall(frame.Slot) is { } call)
            {
                var now = _time.GetUtcNow();
                _sink.Publish(_dataServices.Position(_roster.Unit(call.Source.Id), new GeoFix(gps.Latitude, gps.Longitude, AccuracyM: gps.AccuracyM), now, "embedded-lc"));
            }
        }
        else if (lc.Opcode is >= Flco.TalkerAliasHeader and <= Flco.TalkerAliasBlock3)
        {
            if (slot.Alias.Add(lc) is { } alias)
            {
                _tracker.OnTalkerAlias(frame.Slot, alias);
            }
        }
    }

    private void Undecodable(int slot, string reason)
    {
        UndecodableBursts++;
        LogUndecodable(_radioId, slot, reason);
    }

    private static CallLinkControl ToCall(FullLinkControl lc) =>
        new(lc.SourceId, lc.DestinationId, lc.IsGroupCall ? TargetType.Group : TargetType.Unit, lc.Emergency, lc.Privacy, lc.FeatureSetId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio} TS{Slot}: burst of colour code {ColourCode} ignored (ours is {Ours})")]
    private partial void LogOtherColourCode(string radio, int slot, byte colourCode, byte ours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio} TS{Slot}: undecodable burst: {Reason}")]
    private partial void LogUndecodable(string radio, int slot, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio} TS{Slot}: embedded LC rejected: {Reason}")]
    private partial void LogEmbeddedFailed(string radio, int slot, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio} TS{Slot}: link control {Lc} is not a voice call")]
    private partial void LogNonVoiceLc(string radio, int slot, string lc);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio} TS{Slot}: {DataType} burst (data services are not decoded yet)")]
    private partial void LogDataBurst(string radio, int slot, DmrDataType dataType);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio} TS{Slot}: CSBK opcode 0x{Opcode:X2} FID 0x{FeatureSetId:X2} not interpreted: {Hex}")]
    private partial void LogUnknownCsbk(string radio, int slot, byte opcode, byte featureSetId, string hex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio} slot {Slot}: damaged data packet from {Source}: {Problem}")]
    private partial void LogDamagedPacket(string radio, int slot, uint source, string problem);

    private sealed class SlotDecoder
    {
        public EmbeddedLcAssembler Embedded { get; } = new();

        public TalkerAliasAssembler Alias { get; } = new();

        public DataCallAssembler Data { get; } = new();

        public DateTimeOffset LastBurstAt { get; set; } = DateTimeOffset.MinValue;

        public (byte, byte, uint, uint)? LastCsbk { get; set; }

        public DateTimeOffset LastCsbkAt { get; set; }

        public void NewCall()
        {
            Embedded.Reset();
            Alias.Reset();
        }
    }
}
