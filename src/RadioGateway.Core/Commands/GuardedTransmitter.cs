using RadioGateway.Core.Radio;
using RadioGateway.Protocols.Dmr.Air;

namespace RadioGateway.Core.Commands;

/// <summary>
/// The only way the command path keys the transmitter: every transmission — first send, confirmed-data resend,
/// CRC-9-order resend — is booked with the one <see cref="TransmitLimiter"/> before it reaches the link, whose
/// transmit watchdog (the profile's TX time-out) cuts anything that runs too long.
/// </summary>
/// <remarks>
/// A control-station radio (<paramref name="datagrams"/>) takes datagrams instead of bursts: each one is booked as
/// one transmission of its data call's airtime, and the link's watchdog bounds how long the radio may take it.
/// </remarks>
public sealed class GuardedTransmitter(IBurstTransmitter link, TransmitLimiter limiter, ControlStations.IDatagramTransmitter? datagrams = null)
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

    /// <summary>Sends a transmission: its bursts, or through a control station its datagrams, each booked before it goes.</summary>
    /// <exception cref="ControlStations.ControlStationAddressException">A datagram's destination is outside the configured networks (nothing of it was sent).</exception>
    public async Task<TransmitOutcome> TransmitAsync(uint unit, Transmission transmission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transmission);
        if (transmission.Datagrams.Count == 0)
        {
            return await TransmitAsync(unit, transmission.Bursts, cancellationToken).ConfigureAwait(false);
        }

        if (datagrams is null)
        {
            throw new RadioLinkDownException("this radio takes bursts, not datagrams: no control station carries the command path");
        }

        // Refused before anything is booked or sent: nothing goes outside the radios' networks.
        if (transmission.Datagrams.Select(datagrams.Refusal).FirstOrDefault(r => r is not null) is { } refusal)
        {
            throw new ControlStations.ControlStationAddressException(refusal);
        }

        foreach (var datagram in transmission.Datagrams)
        {
            if (!limiter.TryAcquire(unit, datagram.Airtime, out var retryAfter, out var limit))
            {
                return new TransmitOutcome(false, retryAfter, limit);
            }

            await datagrams.SendAsync(datagram, cancellationToken).ConfigureAwait(false);
        }

        return new TransmitOutcome(true, TimeSpan.Zero, null);
    }
}

/// <summary>Whether a transmission went out; if not, how long until the limit <see cref="Limit"/> would allow it.</summary>
public readonly record struct TransmitOutcome(bool Sent, TimeSpan RetryAfter, string? Limit);
