using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Calls;
using RadioGateway.Core.Events;
using RadioGateway.Protocols.Dmr.Air;

namespace RadioGateway.Cli;

/// <summary>
/// The live gateway's receive pipeline — <see cref="DmrReceiveAdapter"/>, <see cref="CallTracker"/>, data service
/// mapping — over the bursts of a capture, with the events kept in memory instead of the journal. A capture has
/// no clock, so time is the TDMA schedule: 30 ms from a burst to the next on the other slot, 60 ms to the next on
/// the same one (TS 102 361-1 §4.2), starting at <see cref="Start"/>.
/// </summary>
public sealed class CaptureReplay : IEventSink, IDisposable
{
    public const string RadioId = "capture";

    /// <summary>The default colour code when the capture carries none before its first bursts run out.</summary>
    public const byte DefaultColourCode = 1;

    public static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;

    private static readonly TimeSpan HalfFrame = TimeSpan.FromMilliseconds(30);

    /// <summary>Bursts without a colour code held back until one tells the channel's (a superframe's worth on each slot).</summary>
    private const int MaxHeldBursts = 12;

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly List<DomainEvent> _events = [];
    private readonly List<(int Slot, SlotBurst? Burst)> _held = [];
    private readonly CallTrackerOptions _trackerOptions = new();
    private readonly SlotItemsObserver? _observer;
    private CallTracker? _tracker;
    private DmrReceiveAdapter? _adapter;
    private int _lastSlot;

    /// <param name="colourCode">The channel's colour code; null to take it from the first burst that carries one.</param>
    /// <param name="observer">Sees every burst with its items (per-burst output).</param>
    public CaptureReplay(byte? colourCode, SlotItemsObserver? observer)
    {
        _observer = observer;
        if (colourCode is { } known)
        {
            Open(known);
        }
    }

    public void Publish(DomainEvent domainEvent) => _events.Add(domainEvent);

    /// <summary>Events published since the last call, in order.</summary>
    public IReadOnlyList<DomainEvent> TakeEvents()
    {
        var taken = _events.ToList();
        _events.Clear();
        return taken;
    }

    public void OnBurst(SlotBurst burst)
    {
        if (_adapter is null)
        {
            if (!burst.TryReadColourCode(out var colourCode))
            {
                Hold(burst.Slot, burst);
                return;
            }

            Open(colourCode);
        }

        Feed(burst.Slot, burst);
    }

    /// <summary>The modem lost a burst on <paramref name="slot"/> (DMR_LOST).</summary>
    public void OnLost(int slot)
    {
        if (_adapter is null)
        {
            Hold(slot, null);
            return;
        }

        Feed(slot, null);
    }

    /// <summary>The capture ended: the line goes quiet, so calls still open end as the gateway would end them, by time-out.</summary>
    public void End()
    {
        if (_adapter is null && _held.Count > 0)
        {
            Open(DefaultColourCode);
        }

        _clock.Advance(_trackerOptions.FrameTimeout + _trackerOptions.FrameTimeout);
    }

    public void Dispose() => _tracker?.Dispose();

    private void Hold(int slot, SlotBurst? burst)
    {
        _held.Add((slot, burst));
        if (_held.Count >= MaxHeldBursts)
        {
            Open(DefaultColourCode);
        }
    }

    private void Open(byte colourCode)
    {
        _tracker = new CallTracker(RadioId, RadioId, this, _clock, NullLogger.Instance, _trackerOptions);
        _adapter = new DmrReceiveAdapter(RadioId, colourCode, _tracker, this, _clock, NullLogger.Instance) { Observer = _observer };
        foreach (var (slot, burst) in _held)
        {
            Feed(slot, burst);
        }

        _held.Clear();
    }

    private void Feed(int slot, SlotBurst? burst)
    {
        if (_lastSlot != 0)
        {
            _clock.Advance(slot == _lastSlot ? HalfFrame + HalfFrame : HalfFrame);
        }

        _lastSlot = slot;
        if (burst is { } received)
        {
            _adapter!.OnBurst(received);
        }
        else
        {
            _adapter!.OnLost(slot);
        }
    }
}
