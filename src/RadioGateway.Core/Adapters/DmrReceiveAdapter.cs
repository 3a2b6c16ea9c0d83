using System.Globalization;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Calls;
using RadioGateway.Core.DataServices;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Core.Adapters;

/// <summary>Sees every burst with what the slot receiver made of it (for <c>radiogw decode --bursts</c>).</summary>
public delegate void SlotItemsObserver(in SlotBurst burst, ReadOnlySpan<SlotItem> items);

/// <summary>
/// The DMR receive path of one base station, whatever link carries its bursts: a <see cref="DmrSlotReceiver"/>
/// per slot turns bursts into items, and this adapter turns items into the gateway's view — calls through the
/// call tracker, CSBK events, positions, texts and registrations through the data service mapper — and raises
/// the answers radios send back (<see cref="IRadioAnswers"/>). Bursts of another colour code are ignored; bursts
/// whose FEC fails are counted, never trusted.
/// </summary>
public sealed partial class DmrReceiveAdapter : IRadioAnswers
{
    private static readonly TimeSpan CsbkRepeatWindow = TimeSpan.FromSeconds(2);

    /// <summary>One superframe: a slot that heard a burst this recently is busy (channel access).</summary>
    private static readonly TimeSpan BusyAfterBurst = TimeSpan.FromMilliseconds(360);

    private readonly string _radioId;
    private readonly CallTracker _tracker;
    private readonly IEventSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DataServiceMapper _dataServices;
    private readonly UnitRoster _roster;
    private readonly SlotState[] _slots;

    /// <summary>Names come from the tracker's roster, so calls and data name units alike.</summary>
    public DmrReceiveAdapter(string radioId, byte colourCode, CallTracker tracker, IEventSink sink, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        _roster = tracker.Roster;
        _dataServices = new DataServiceMapper(radioId, _roster);
        _radioId = radioId;
        _tracker = tracker;
        _sink = sink;
        _time = time;
        _logger = logger;
        _slots = [new SlotState(new DmrSlotReceiver(1, colourCode)), new SlotState(new DmrSlotReceiver(2, colourCode))];
    }

    /// <summary>Bursts dropped because their FEC could not be corrected.</summary>
    public long UndecodableBursts { get; private set; }

    /// <summary>Confirmed packets, both slots, whose CRC-9s matched most-significant-bit first.</summary>
    public long MsbFirstCrc9Packets => _slots.Sum(s => s.Receiver.MsbFirstCrc9Packets);

    /// <summary>Confirmed packets, both slots, whose CRC-9s matched least-significant-bit first.</summary>
    public long LsbFirstCrc9Packets => _slots.Sum(s => s.Receiver.LsbFirstCrc9Packets);

    /// <summary>Raised with the answer key of each answer a radio sends (TMS ack, LRRP report, radio-check reply, response packet, …).</summary>
    public event Action<string>? AnswerHeard;

    /// <summary>Called after each burst with the items it gave.</summary>
    public SlotItemsObserver? Observer { get; set; }

    /// <summary>
    /// True while the slot carries traffic: a call in progress, a data call being assembled, or any burst within
    /// the last 360 ms (one superframe). The transmit path waits for a free slot (channel access).
    /// </summary>
    public bool IsSlotBusy(int slot)
    {
        var state = Slot(slot);
        return _tracker.ActiveCall(slot) is not null || state.Receiver.DataInProgress || _time.GetUtcNow() - state.LastBurstAt < BusyAfterBurst;
    }

    /// <summary>The link lost a burst on <paramref name="slot"/> (MMDVM DMR_LOST).</summary>
    public void OnLost(int slot)
    {
        Slot(slot).LastBurstAt = _time.GetUtcNow();
        _tracker.OnLostFrame(slot);
    }

    public void OnBurst(in SlotBurst burst)
    {
        var state = Slot(burst.Slot);
        state.LastBurstAt = _time.GetUtcNow();
        var items = state.Receiver.Receive(burst);
        foreach (ref readonly var item in items)
        {
            OnItem(state, item);
        }

        Observer?.Invoke(burst, items);
    }

    private SlotState Slot(int slot) => slot is 1 or 2
        ? _slots[slot - 1]
        : throw new ArgumentOutOfRangeException(nameof(slot), slot, "DMR has TDMA slots 1 and 2");

    private void OnItem(SlotState state, in SlotItem item)
    {
        var slot = item.Slot;
        int? rssi = item.Rssi is { Unit: RssiUnit.Dbm } dbm ? dbm.Value : null;
        switch (item.Kind)
        {
            case SlotItemKind.VoiceHeader:
                _tracker.OnVoiceHeader(slot, ToCall(item.LinkControl!), rssi);
                _tracker.OnVoiceBurst(slot, rssi, item.BitErrors, item.BitsChecked);
                break;
            case SlotItemKind.Terminator:
                _tracker.OnVoiceBurst(slot, rssi, item.BitErrors, item.BitsChecked);
                _tracker.OnTerminator(slot, ToCall(item.LinkControl!));
                break;
            case SlotItemKind.VoiceBurst when item.BitsChecked > 0:
                _tracker.OnVoiceBurst(slot, rssi, item.BitErrors, item.BitsChecked);
                break;
            case SlotItemKind.VoiceBurst:
                _tracker.OnVoiceBurst(slot, rssi);
                break;
            case SlotItemKind.EmbeddedLc:
                _tracker.OnEmbeddedLinkControl(slot, ToCall(item.LinkControl!));
                break;
            case SlotItemKind.TalkerAlias:
                _tracker.OnTalkerAlias(slot, item.Alias!);
                break;
            case SlotItemKind.GpsInfo when _tracker.ActiveCall(slot) is { } call:
                // GPS info replaces the voice LC for a superframe; it belongs to whoever is talking.
                var gps = item.Gps!;
                _sink.Publish(_dataServices.Position(_roster.Unit(call.Source.Id), new GeoFix(gps.Latitude, gps.Longitude, AccuracyM: gps.AccuracyM), _time.GetUtcNow(), "embedded-lc"));
                break;
            case SlotItemKind.EmbeddedDamaged:
                LogEmbeddedFailed(_radioId, slot, item.Reason!);
                break;
            case SlotItemKind.OtherLinkControl:
                LogNonVoiceLc(_radioId, slot, item.LinkControl!.ToString());
                break;
            case SlotItemKind.Csbk:
                OnCsbk(state, item.Slot, item.Csbk!);
                break;
            case SlotItemKind.DataPacket or SlotItemKind.ResponsePacket:
                OnPacket(slot, item.Packet!, item.Service);
                break;
            case SlotItemKind.OtherData:
                LogDataBurst(_radioId, slot, item.DataType);
                break;
            case SlotItemKind.OtherColourCode:
                LogOtherColourCode(_radioId, slot, item.ColourCode ?? 0, state.Receiver.ColourCode);
                break;
            case SlotItemKind.Damaged:
                UndecodableBursts++;
                LogUndecodable(_radioId, slot, item.Reason!);
                break;
        }
    }

    private void OnPacket(int slot, DataPacket packet, DataServiceContent? service)
    {
        var header = packet.Header;
        if (header.Format == DataPacketFormat.Response)
        {
            // The radio's answer to a confirmed data packet at the link layer (TS 102 361-1 §9.2.7).
            // A selective retry or CRC NACK: the dispatcher may resend in the other CRC-9 bit order.
            var key = header.IsAcknowledgement ? AnswerKeys.DataAcknowledgement(header.Source)
                : header.IsCrcRetryRequest ? AnswerKeys.DataCrcRetryRequest(header.Source)
                : null;
            if (key is not null)
            {
                AnswerHeard?.Invoke(key);
            }
        }

        var events = _dataServices.Map(slot, packet, service, _time.GetUtcNow(), out var message);
        if (!packet.IsIntact)
        {
            LogDamagedPacket(_radioId, slot, header.Source, packet.Problem!);
        }

        foreach (var domainEvent in events)
        {
            _sink.Publish(domainEvent);
        }

        if (message is not null && AnswerHeard is { } answerHeard)
        {
            foreach (var key in AnswerKeyReader.From(message))
            {
                answerHeard(key);
            }
        }
    }

    private void OnCsbk(SlotState state, int slot, Csbk csbk)
    {
        if (csbk.Opcode == Csbk.RadioCheck)
        {
            // A radio-check reply comes from the checked unit (opcode 0x24 from it). Every reply counts, even one
            // the repeat filter below folds into an earlier event: it may answer a newer check.
            AnswerHeard?.Invoke(AnswerKeys.RadioCheck(csbk.SourceId));
        }

        var now = _time.GetUtcNow();
        var key = (csbk.Opcode, csbk.FeatureSetId, csbk.SourceId, csbk.TargetId);
        if (state.LastCsbk == key && now - state.LastCsbkAt < CsbkRepeatWindow)
        {
            // Preamble trains and repeated control blocks are one event.
            state.LastCsbkAt = now;
            return;
        }

        state.LastCsbk = key;
        state.LastCsbkAt = now;
        if (csbk.Name == "unknown")
        {
            LogUnknownCsbk(_radioId, slot, csbk.Opcode, csbk.FeatureSetId, Convert.ToHexString(csbk.Bytes));
        }

        _sink.Publish(new CsbkHeard
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{_radioId}.ts{slot}.csbk.{EventIdTime.Of(now)}.{csbk.Opcode:X2}.{csbk.SourceId}"),
            Time = now,
            RadioId = _radioId,
            Slot = slot,
            Opcode = csbk.Opcode,
            FeatureSetId = csbk.FeatureSetId,
            Name = csbk.Name,
            SourceId = csbk.SourceId,
            DestinationId = csbk.TargetId,
            GroupDestination = csbk.GroupTarget,
            RawHex = Convert.ToHexString(csbk.Bytes[2..10]),
        });
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio} TS{Slot}: {DataType} burst not interpreted")]
    private partial void LogDataBurst(string radio, int slot, DmrDataType? dataType);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio} TS{Slot}: CSBK opcode 0x{Opcode:X2} FID 0x{FeatureSetId:X2} not interpreted: {Hex}")]
    private partial void LogUnknownCsbk(string radio, int slot, byte opcode, byte featureSetId, string hex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio} slot {Slot}: damaged data packet from {Source}: {Problem}")]
    private partial void LogDamagedPacket(string radio, int slot, uint source, string problem);

    private sealed class SlotState(DmrSlotReceiver receiver)
    {
        public DmrSlotReceiver Receiver { get; } = receiver;

        public DateTimeOffset LastBurstAt { get; set; } = DateTimeOffset.MinValue;

        public (byte, byte, uint, uint)? LastCsbk { get; set; }

        public DateTimeOffset LastCsbkAt { get; set; }
    }
}
