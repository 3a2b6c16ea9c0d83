using RadioGateway.Core.Radio;
using RadioGateway.Protocols.Dmr.Air;

namespace RadioGateway.Core.Commands;

/// <summary>
/// The only way the command path keys the transmitter: every transmission — first send, confirmed-data resend,
/// CRC-9-order resend — is booked with the one <see cref="TransmitLimiter"/> before it reaches the link, whose
/// transmit watchdog (the profile's TX time-out) cuts anything that runs too long.
/// </summary>
public sealed class GuardedTransmitter(IBurstTransmitter link, TransmitLimiter limiter)
{
    /// <summary>One DMR burst on a TDMA slot (ETSI TS 102 361-1 §4.2: 60 ms frame, 30 ms timeslot) counted as a whole frame.</summary>
    public static readonly TimeSpan BurstAirtime = TimeSpan.FromMilliseconds(60);

    /// <summary>Airtime the limiter books for these bursts.</summary>
    public static TimeSpan Airtime(IReadOnlyList<SlotBurst> bursts)
    {
        ArgumentNullException.ThrowIfNull(bursts);
        return BurstAirtime * bursts.Count;
    }

    /// <summary>Whether the counted limits let a transmission to <paramref name="unit"/> go now (nothing booked); see <see cref="TransmitLimiter.WouldAllow"/>.</summary>
    public bool WouldAllow(uint unit, out TimeSpan retryAfter, out string? limit, out bool unitLimit) =>
        limiter.WouldAllow(unit, TimeSpan.Zero, out retryAfter, out limit, out unitLimit);

    /// <summary>
    /// Books the transmission to <paramref name="unit"/> and sends it; false (nothing keyed) with the wait and the
    /// limit's name when it would exceed the per-unit, total or duty-cycle limit.
    /// </summary>
    /// <exception cref="RadioLinkDownException">No base station link (the booking stands: the limiter errs on the safe side).</exception>
    /// <exception cref="ChannelBusyException">The slot stayed busy.</exception>
    /// <exception cref="TransmitWatchdogException">The link's watchdog cut the transmission.</exception>
    public async Task<TransmitOutcome> TransmitAsync(uint unit, IReadOnlyList<SlotBurst> bursts, CancellationToken cancellationToken)
    {
        if (!limiter.TryAcquire(unit, Airtime(bursts), out var retryAfter, out var limit))
        {
            return new TransmitOutcome(false, retryAfter, limit);
        }

        await link.TransmitAsync(bursts, cancellationToken).ConfigureAwait(false);
        return new TransmitOutcome(true, TimeSpan.Zero, null);
    }
}

/// <summary>Whether a transmission went out; if not, how long until the limit <see cref="Limit"/> would allow it.</summary>
public readonly record struct TransmitOutcome(bool Sent, TimeSpan RetryAfter, string? Limit);
