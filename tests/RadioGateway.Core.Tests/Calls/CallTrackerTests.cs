using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.Calls;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.Tests.Calls;

public sealed class CallTrackerTests : IDisposable
{
    private static readonly CallLinkControl GroupCall = new(2145007, 6, TargetType.Group, Emergency: false, Privacy: false, FeatureSetId: 0);
    private static readonly TimeSpan Burst = TimeSpan.FromMilliseconds(60);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly CollectingSink _sink = new();
    private readonly CallTracker _tracker;

    public CallTrackerTests()
    {
        _tracker = new CallTracker("gw", "radio0", _sink, _time, NullLogger.Instance);
    }

    public void Dispose() => _tracker.Dispose();

    private void Voice(int slot, int bursts)
    {
        for (var i = 0; i < bursts; i++)
        {
            _time.Advance(Burst);
            _tracker.OnVoiceBurst(slot);
        }
    }

    [Fact]
    public void A_header_voice_and_terminator_make_one_call_ended_by_terminator()
    {
        _tracker.OnVoiceHeader(1, GroupCall);
        Voice(1, 50);
        _tracker.OnTerminator(1, GroupCall);

        var started = Assert.IsType<CallStarted>(_sink.Events[0]);
        var ended = Assert.IsType<CallEnded>(_sink.Events[1]);
        Assert.Equal(2, _sink.Events.Count);
        Assert.Equal(started.Call.CallId, ended.Call.CallId);
        Assert.Equal(CallEndReason.Terminator, ended.Call.EndReason);
        Assert.Equal(3000, ended.Call.DurationMs);
        Assert.Equal(50, ended.Call.Frames);
        Assert.Equal(new CallTarget(6, TargetType.Group), ended.Call.Destination);
        Assert.Equal(2145007u, ended.Call.Source.Id);
        Assert.False(ended.Call.LateEntry);
    }

    [Fact]
    public void Repeated_headers_of_the_same_call_do_not_start_it_again()
    {
        _tracker.OnVoiceHeader(1, GroupCall);
        _tracker.OnVoiceHeader(1, GroupCall);
        _tracker.OnEmbeddedLinkControl(1, GroupCall);

        Assert.Single(_sink.Events);
    }

    [Fact]
    public void A_call_joined_from_embedded_lc_is_marked_late_entry()
    {
        _tracker.OnVoiceBurst(2);
        _tracker.OnEmbeddedLinkControl(2, GroupCall);

        var started = Assert.IsType<CallStarted>(Assert.Single(_sink.Events));
        Assert.True(started.Call.LateEntry);
        Assert.Equal(2, started.Call.Slot);
    }

    [Fact]
    public void Voice_without_link_control_starts_no_call()
    {
        Voice(1, 10);

        Assert.Empty(_sink.Events);
    }

    [Fact]
    public void Silence_longer_than_the_frame_timeout_ends_the_call_at_its_last_frame()
    {
        _tracker.OnVoiceHeader(1, GroupCall);
        Voice(1, 10);
        var lastFrame = _time.GetUtcNow();

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Single(_sink.Events);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var ended = Assert.IsType<CallEnded>(_sink.Events[1]);
        Assert.Equal(CallEndReason.Timeout, ended.Call.EndReason);
        Assert.Equal(lastFrame, ended.Call.End);
        Assert.Equal(600, ended.Call.DurationMs);
    }

    [Fact]
    public void A_new_talker_without_terminator_closes_the_previous_call()
    {
        _tracker.OnVoiceHeader(1, GroupCall);
        Voice(1, 5);
        _tracker.OnVoiceHeader(1, GroupCall with { SourceId = 3120101 });

        Assert.Collection(
            _sink.Events,
            e => Assert.IsType<CallStarted>(e),
            e => Assert.Equal(CallEndReason.Timeout, Assert.IsType<CallEnded>(e).Call.EndReason),
            e => Assert.Equal(3120101u, Assert.IsType<CallStarted>(e).Call.Source.Id));
    }

    [Fact]
    public void Both_slots_carry_independent_calls_and_link_loss_ends_both()
    {
        _tracker.OnVoiceHeader(1, GroupCall);
        _tracker.OnVoiceHeader(2, GroupCall with { DestinationId = 3120001, DestinationType = TargetType.Unit });
        _tracker.EndAll(CallEndReason.LinkLost);

        var ended = _sink.Events.OfType<CallEnded>().ToList();
        Assert.Equal(2, ended.Count);
        Assert.All(ended, e => Assert.Equal(CallEndReason.LinkLost, e.Call.EndReason));
        Assert.Equal([1, 2], ended.Select(e => e.Call.Slot).Order());
        Assert.Null(_tracker.ActiveCall(1));
    }

    [Fact]
    public void Lost_frames_rssi_and_bit_errors_are_summarised_on_the_ended_call()
    {
        _tracker.OnVoiceHeader(1, GroupCall, rssi: -80);
        _tracker.OnVoiceBurst(1, rssi: -90, bitErrors: 2, bitsChecked: 100);
        _tracker.OnVoiceBurst(1, rssi: -100, bitErrors: 0, bitsChecked: 100);
        _tracker.OnLostFrame(1);
        _tracker.OnTerminator(1, GroupCall);

        var ended = Assert.IsType<CallEnded>(_sink.Events[1]);
        Assert.Equal(1, ended.Call.LostFrames);
        Assert.Equal(-90, ended.Call.Rssi);
        Assert.Equal(1.0, ended.Call.Ber);
    }

    [Fact]
    public void A_call_without_bit_measurements_reports_no_ber()
    {
        _tracker.OnVoiceHeader(1, GroupCall);
        _tracker.OnTerminator(1, GroupCall);

        Assert.Null(Assert.IsType<CallEnded>(_sink.Events[1]).Call.Ber);
    }

    [Fact]
    public void The_talker_alias_is_attached_once_and_carried_to_the_ended_call()
    {
        _tracker.OnVoiceHeader(1, GroupCall);
        _tracker.OnTalkerAlias(1, "تیم ۱۲ تهران");
        _tracker.OnTalkerAlias(1, "تیم ۱۲ تهران");
        _tracker.OnTerminator(1, GroupCall);

        var alias = Assert.Single(_sink.Events.OfType<TalkerAliasHeard>());
        Assert.Equal("تیم ۱۲ تهران", alias.Alias);
        Assert.Equal("تیم ۱۲ تهران", _sink.Events.OfType<CallEnded>().Single().Call.Source.Alias);
    }

    [Fact]
    public void An_emergency_flag_seen_mid_call_marks_the_call_as_emergency()
    {
        _tracker.OnVoiceHeader(1, GroupCall);
        _tracker.OnEmbeddedLinkControl(1, GroupCall with { Emergency = true });
        _tracker.OnTerminator(1, GroupCall);

        Assert.True(_sink.Events.OfType<CallEnded>().Single().Call.Emergency);
    }

    [Fact]
    public void A_terminator_for_an_unseen_call_is_ignored()
    {
        _tracker.OnTerminator(1, GroupCall);

        Assert.Empty(_sink.Events);
    }

    [Fact]
    public void Event_ids_are_derived_from_the_call_id()
    {
        _tracker.OnVoiceHeader(1, GroupCall);
        _tracker.OnTerminator(1, GroupCall);

        var callId = Assert.IsType<CallStarted>(_sink.Events[0]).Call.CallId;
        Assert.Equal("gw.radio0.ts1.20261122T080000.000Z.2145007", callId);
        Assert.Equal([callId + "/started", callId + "/ended"], _sink.Events.Select(e => e.Id));
    }
}

internal sealed class CollectingSink : IEventSink
{
    private readonly List<DomainEvent> _events = [];

    public IReadOnlyList<DomainEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Publish(DomainEvent domainEvent)
    {
        lock (_events)
        {
            _events.Add(domainEvent);
        }
    }
}
