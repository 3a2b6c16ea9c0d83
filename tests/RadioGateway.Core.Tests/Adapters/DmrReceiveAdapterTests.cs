using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Calls;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Core.Tests.Adapters;

public sealed class DmrReceiveAdapterTests : IDisposable
{
    private const uint Gateway = 3120001;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly List<DomainEvent> _events = [];
    private readonly List<string> _answers = [];
    private readonly CallTracker _tracker;
    private readonly DmrReceiveAdapter _adapter;

    public DmrReceiveAdapterTests()
    {
        var sink = new ListSink(_events);
        _tracker = new CallTracker("gw", "bs1", sink, _time, NullLogger<CallTracker>.Instance);
        _adapter = new DmrReceiveAdapter("bs1", 1, _tracker, sink, _time, NullLogger.Instance);
        IRadioAnswers answers = _adapter;
        answers.AnswerHeard += _answers.Add;
    }

    public void Dispose() => _tracker.Dispose();

    private sealed class ListSink(List<DomainEvent> events) : IEventSink
    {
        public void Publish(DomainEvent domainEvent) => events.Add(domainEvent);
    }

    private void Receive(IEnumerable<SlotBurst> bursts)
    {
        foreach (var burst in bursts)
        {
            _time.Advance(TimeSpan.FromMilliseconds(60));
            _adapter.OnBurst(burst);
        }
    }

    [Fact]
    public void A_response_packet_acknowledging_confirmed_data_is_an_answer_from_its_unit()
    {
        Receive([DataCallBursts.Acknowledgement(1, 1, DmrSyncPattern.MsSourcedData, source: 3120102, target: Gateway, sendSequence: 2)]);

        Assert.Equal([AnswerKeys.DataAcknowledgement(3120102)], _answers);
    }

    [Fact]
    public void A_response_packet_acknowledging_confirmed_data_is_not_reported_as_damaged_data()
    {
        Receive([DataCallBursts.Acknowledgement(1, 1, DmrSyncPattern.MsSourcedData, source: 3120102, target: Gateway, sendSequence: 2)]);

        Assert.DoesNotContain(_events.OfType<DataPacketHeard>(), heard => !heard.Intact);
    }

    [Fact]
    public void A_radio_check_reply_is_an_answer_and_a_csbk_event()
    {
        var reply = Csbk.Addressed(Csbk.RadioCheck, 0x00, target: Gateway, source: 3120104, octet2: 0x80);

        Receive([DataCallBursts.ControlBlock(2, 1, DmrSyncPattern.MsSourcedData, reply)]);

        Assert.Equal([AnswerKeys.RadioCheck(3120104)], _answers);
        var csbk = Assert.IsType<CsbkHeard>(Assert.Single(_events));
        Assert.Equal(("radio-check", 3120104u, Gateway, 2), (csbk.Name, csbk.SourceId, csbk.DestinationId, csbk.Slot));
    }

    [Fact]
    public void A_tms_acknowledgement_in_a_data_call_is_an_answer_naming_the_message()
    {
        var payload = new ArrayBufferWriter<byte>();
        Tms.WriteAcknowledgement(payload, 5);

        Receive(DataCallBursts.Udp(1, 1, DmrSyncPattern.MsSourcedData, 3120101, Gateway, groupTarget: false, Tms.Port, payload.WrittenSpan, identification: 9));

        Assert.Equal([AnswerKeys.Tms(3120101, 5)], _answers);
        Assert.Contains(_events, e => e is DataPacketHeard { Service: "tms" });
    }

    [Fact]
    public void A_voice_call_heard_from_its_header_to_its_terminator_is_one_call_with_its_bit_errors()
    {
        var lc = FullLinkControl.Voice(group: true, destination: 101, source: 3120101);
        SlotBurst LcBurst(DmrDataType type)
        {
            var bytes = new byte[DmrBurst.Length];
            lc.WriteToBurst(bytes, type);
            DmrBurst.WriteSlotType(bytes, 1, type);
            DmrBurst.WriteSync(bytes, DmrSyncPattern.MsSourcedData);
            return SlotBurst.Data(1, bytes);
        }

        var voice = new byte[DmrBurst.Length];
        DmrBurst.WriteSync(voice, DmrSyncPattern.MsSourcedVoice);

        Receive([LcBurst(DmrDataType.VoiceLcHeader), SlotBurst.Voice(1, 0, voice), LcBurst(DmrDataType.TerminatorWithLc)]);

        var ended = Assert.Single(_events.OfType<CallEnded>()).Call;
        Assert.Equal((3120101u, CallEndReason.Terminator, 0.0), (ended.Source.Id, ended.EndReason, ended.Ber));
        Assert.False(_adapter.IsSlotBusy(2));
        Assert.True(_adapter.IsSlotBusy(1));
    }

    [Fact]
    public void A_call_from_a_unit_in_the_roster_carries_its_name_from_start_to_end()
    {
        var roster = UnitRoster.From([new RosterUnit(3120101, "Ambulance 3", "Red", null, null, UnitDataProtocol.Motorola)]);
        var events = new List<DomainEvent>();
        var sink = new ListSink(events);
        using var tracker = new CallTracker("gw", "bs1", sink, _time, NullLogger<CallTracker>.Instance, roster: roster);
        var adapter = new DmrReceiveAdapter("bs1", 1, tracker, sink, _time, NullLogger.Instance);
        var lc = FullLinkControl.Voice(group: true, destination: 101, source: 3120101);
        SlotBurst LcBurst(DmrDataType type)
        {
            var bytes = new byte[DmrBurst.Length];
            lc.WriteToBurst(bytes, type);
            DmrBurst.WriteSlotType(bytes, 1, type);
            DmrBurst.WriteSync(bytes, DmrSyncPattern.MsSourcedData);
            return SlotBurst.Data(1, bytes);
        }

        adapter.OnBurst(LcBurst(DmrDataType.VoiceLcHeader));
        adapter.OnBurst(LcBurst(DmrDataType.TerminatorWithLc));

        Assert.Equal("Ambulance 3", Assert.Single(events.OfType<CallStarted>()).Call.Source.Name);
        Assert.Equal("Ambulance 3", Assert.Single(events.OfType<CallEnded>()).Call.Source.Name);
    }
}
