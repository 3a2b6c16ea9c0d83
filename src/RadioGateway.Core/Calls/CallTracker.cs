using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;

namespace RadioGateway.Core.Calls;

/// <summary>
/// Turns what was heard on each TDMA slot of one base station into call records: start on a voice LC header
/// or, for late entry, on the first complete embedded LC; end on a terminator, when frames stop
/// (<see cref="CallTrackerOptions.FrameTimeout"/>), when the link is lost, or at shutdown.
/// Thread-safe: frames arrive on the adapter's read loop, time-outs on timer threads.
/// </summary>
public sealed partial class CallTracker : IDisposable
{
    private readonly string _gatewayId;
    private readonly string _radioId;
    private readonly IEventSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CallTrackerOptions _options;
    private readonly SlotState[] _slots;
    private readonly object _gate = new();

    public CallTracker(string gatewayId, string radioId, IEventSink sink, TimeProvider time, ILogger logger, CallTrackerOptions? options = null, UnitRoster? roster = null)
    {
        Roster = roster ?? UnitRoster.Empty;
        _gatewayId = gatewayId;
        _radioId = radioId;
        _sink = sink;
        _time = time;
        _logger = logger;
        _options = options ?? new CallTrackerOptions();
        _slots = [new SlotState(this, 1), new SlotState(this, 2)];
    }

    /// <summary>The units whose names calls (and everything else heard from this base station) carry.</summary>
    public UnitRoster Roster { get; }

    /// <summary>The call running on a slot, if any.</summary>
    public CallRecord? ActiveCall(int slot)
    {
        lock (_gate)
        {
            return Slot(slot).Call;
        }
    }

    /// <summary>Voice LC header (TS 102 361-1 §7.1.1): a call starts, or a running one is confirmed.</summary>
    public void OnVoiceHeader(int slot, CallLinkControl lc, int? rssi = null)
    {
        lock (_gate)
        {
            var state = Slot(slot);
            state.Touch();
            Begin(state, lc, lateEntry: false);
            Observe(state, rssi);
        }
    }

    /// <summary>A voice burst (A–F) with no new link control in it.</summary>
    public void OnVoiceBurst(int slot, int? rssi = null, int? bitErrors = null, int? bitsChecked = null)
    {
        lock (_gate)
        {
            var state = Slot(slot);
            state.Touch();
            if (state.Call is null)
            {
                return;
            }

            state.Frames++;
            Observe(state, rssi);
            if (bitErrors is { } errors && bitsChecked is { } bits && bits > 0)
            {
                state.BitErrors += errors;
                state.BitsChecked += bits;
            }
        }
    }

    /// <summary>Voice link control reassembled from embedded signalling (TS 102 361-1 §7.1.3.3): late entry, or a change of talker.</summary>
    public void OnEmbeddedLinkControl(int slot, CallLinkControl lc)
    {
        lock (_gate)
        {
            var state = Slot(slot);
            state.Touch();
            Begin(state, lc, lateEntry: true);
        }
    }

    /// <summary>Talker alias (TS 102 361-2 §7.1.1.4) decoded for the calling unit.</summary>
    public void OnTalkerAlias(int slot, string alias)
    {
        lock (_gate)
        {
            var state = Slot(slot);
            if (state.Call is not { } call || call.Source.Alias == alias)
            {
                return;
            }

            state.Call = call with { Source = call.Source with { Alias = alias } };
            _sink.Publish(new TalkerAliasHeard
            {
                Id = $"{call.CallId}/alias",
                Time = _time.GetUtcNow(),
                CallId = call.CallId,
                SourceId = call.Source.Id,
                Alias = alias,
            });
        }
    }

    /// <summary>Terminator with LC (TS 102 361-1 §7.1.2): the call ends normally.</summary>
    public void OnTerminator(int slot, CallLinkControl lc)
    {
        lock (_gate)
        {
            var state = Slot(slot);
            if (state.Call is null)
            {
                // Terminator of a call we never saw start: nothing to close.
                return;
            }

            End(state, CallEndReason.Terminator);
        }
    }

    /// <summary>The modem lost a frame on this slot (MMDVM DMR_LOST).</summary>
    public void OnLostFrame(int slot)
    {
        lock (_gate)
        {
            var state = Slot(slot);
            if (state.Call is not null)
            {
                state.LostFrames++;
                state.Touch();
            }
        }
    }

    /// <summary>Closes every running call, e.g. with <see cref="CallEndReason.LinkLost"/> or <see cref="CallEndReason.Shutdown"/>.</summary>
    public void EndAll(CallEndReason reason)
    {
        lock (_gate)
        {
            foreach (var state in _slots)
            {
                if (state.Call is not null)
                {
                    End(state, reason);
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var state in _slots)
        {
            state.Dispose();
        }
    }

    private SlotState Slot(int slot) => slot is 1 or 2
        ? _slots[slot - 1]
        : throw new ArgumentOutOfRangeException(nameof(slot), slot, "DMR has TDMA slots 1 and 2");

    private void Begin(SlotState state, CallLinkControl lc, bool lateEntry)
    {
        if (state.Call is { } running)
        {
            if (state.LinkControl!.SameCallAs(lc))
            {
                if (lc.Emergency && !running.Emergency)
                {
                    state.Call = running with { Emergency = true };
                }

                return;
            }

            // A different talker took the slot without a terminator in between.
            End(state, CallEndReason.Timeout);
        }

        var now = _time.GetUtcNow();
        var callId = $"{_gatewayId}.{_radioId}.ts{state.Number}.{EventIdTime.Of(now)}.{lc.SourceId}";
        state.Reset(lc);
        state.Call = new CallRecord
        {
            CallId = callId,
            RadioId = _radioId,
            Slot = state.Number,
            Source = Roster.Unit(lc.SourceId),
            Destination = new CallTarget(lc.DestinationId, lc.DestinationType),
            Start = now,
            Emergency = lc.Emergency,
            Privacy = lc.Privacy,
            FeatureSetId = lc.FeatureSetId,
            LateEntry = lateEntry,
        };
        _sink.Publish(new CallStarted { Id = $"{callId}/started", Time = now, Call = state.Call });
    }

    private void End(SlotState state, CallEndReason reason)
    {
        var call = state.Call!;
        var end = reason == CallEndReason.Timeout ? state.LastFrameAt : _time.GetUtcNow();
        var ended = call with
        {
            End = end < call.Start ? call.Start : end,
            EndReason = reason,
            Frames = state.Frames,
            LostFrames = state.LostFrames,
            Ber = state.BitsChecked > 0 ? Math.Round(100.0 * state.BitErrors / state.BitsChecked, 2) : null,
            Rssi = state.RssiSamples > 0 ? (int)Math.Round((double)state.RssiSum / state.RssiSamples) : null,
        };
        state.Call = null;
        state.LinkControl = null;
        state.StopTimer();
        _sink.Publish(new CallEnded { Id = $"{call.CallId}/ended", Time = _time.GetUtcNow(), Call = ended });
    }

    private static void Observe(SlotState state, int? rssi)
    {
        if (rssi is { } value)
        {
            state.RssiSum += value;
            state.RssiSamples++;
        }
    }

    private void OnFrameTimeout(SlotState state)
    {
        lock (_gate)
        {
            if (state.Call is null)
            {
                return;
            }

            // Timers and clocks differ by a tick or so: a timer that fires just early is re-armed for the rest.
            var silent = _time.GetElapsedTime(state.LastFrameTimestamp);
            if (silent < _options.FrameTimeout)
            {
                state.ArmFor(_options.FrameTimeout - silent);
                return;
            }

            LogFrameTimeout(_radioId, state.Number, state.Call.CallId, (int)_options.FrameTimeout.TotalMilliseconds);
            End(state, CallEndReason.Timeout);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio} TS{Slot}: no frame for {TimeoutMs} ms, closing call {CallId}")]
    private partial void LogFrameTimeout(string radio, int slot, string callId, int timeoutMs);

    private sealed class SlotState(CallTracker owner, int number) : IDisposable
    {
        private ITimer? _timer;

        public int Number { get; } = number;

        public CallRecord? Call { get; set; }

        public CallLinkControl? LinkControl { get; set; }

        public DateTimeOffset LastFrameAt { get; private set; }

        public long LastFrameTimestamp { get; private set; }

        public int Frames { get; set; }

        public int LostFrames { get; set; }

        public long BitErrors { get; set; }

        public long BitsChecked { get; set; }

        public long RssiSum { get; set; }

        public int RssiSamples { get; set; }

        public void Reset(CallLinkControl lc)
        {
            LinkControl = lc;
            Frames = 0;
            LostFrames = 0;
            BitErrors = 0;
            BitsChecked = 0;
            RssiSum = 0;
            RssiSamples = 0;
            LastFrameAt = owner._time.GetUtcNow();
            LastFrameTimestamp = owner._time.GetTimestamp();
            Arm();
        }

        public void Touch()
        {
            LastFrameAt = owner._time.GetUtcNow();
            LastFrameTimestamp = owner._time.GetTimestamp();
            if (Call is not null)
            {
                Arm();
            }
        }

        public void StopTimer() => _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public void Dispose() => _timer?.Dispose();

        public void ArmFor(TimeSpan due)
        {
            _timer ??= owner._time.CreateTimer(_ => owner.OnFrameTimeout(this), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }

        private void Arm() => ArmFor(owner._options.FrameTimeout);
    }
}

public sealed record CallTrackerOptions
{
    /// <summary>
    /// How long a slot may stay silent before its call is closed as <c>timeout</c>. Voice bursts come every
    /// 60 ms per slot; a superframe is 360 ms, so a second covers short fades without merging two overs.
    /// </summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
