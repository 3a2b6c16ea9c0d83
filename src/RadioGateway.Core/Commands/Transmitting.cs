namespace RadioGateway.Core.Commands;

/// <summary>Transmitter protection: transmissions (first sends and resends alike) per minute per unit and in total, and the transmit duty cycle.</summary>
public sealed record TransmitLimits
{
    public int MaxPerUnitPerMinute { get; init; } = 4;

    public int MaxPerMinute { get; init; } = 20;

    /// <summary>Share of <see cref="DutyWindow"/> the gateway may transmit.</summary>
    public double MaxDutyCycle { get; init; } = 0.25;

    public TimeSpan DutyWindow { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>Sliding-window accounting of <see cref="TransmitLimits"/>; says how long to wait when a transmission would exceed them.</summary>
public sealed class TransmitLimiter(TransmitLimits limits, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly List<(DateTimeOffset At, uint Unit, TimeSpan Airtime)> _sent = [];

    /// <summary>Records the transmission and returns true, or returns false with the wait until it would be allowed.</summary>
    public bool TryAcquire(uint unit, TimeSpan airtime, out TimeSpan retryAfter, out string? reason)
    {
        if (!WouldAllow(unit, airtime, out retryAfter, out reason, out _))
        {
            return false;
        }

        _sent.Add((time.GetUtcNow(), unit, airtime));
        return true;
    }

    /// <summary>
    /// Whether a transmission to <paramref name="unit"/> would be allowed now, without booking it; when not, the
    /// wait, the limit's name and whether only this unit's limit holds it (other units may still go).
    /// </summary>
    public bool WouldAllow(uint unit, TimeSpan airtime, out TimeSpan retryAfter, out string? reason, out bool unitLimit)
    {
        var now = time.GetUtcNow();
        _sent.RemoveAll(s => now - s.At >= limits.DutyWindow && now - s.At >= Minute);
        var lastMinute = _sent.Where(s => now - s.At < Minute).ToList();
        var forUnit = lastMinute.Where(s => s.Unit == unit).ToList();
        retryAfter = TimeSpan.Zero;
        reason = null;
        unitLimit = false;
        if (forUnit.Count >= limits.MaxPerUnitPerMinute)
        {
            retryAfter = forUnit[0].At + Minute - now;
            reason = $"{limits.MaxPerUnitPerMinute} commands per minute to unit {unit}";
            unitLimit = true;
        }
        else if (lastMinute.Count >= limits.MaxPerMinute)
        {
            retryAfter = lastMinute[0].At + Minute - now;
            reason = $"{limits.MaxPerMinute} commands per minute";
        }
        else
        {
            var budget = limits.DutyWindow * limits.MaxDutyCycle;
            var used = _sent.Where(s => now - s.At < limits.DutyWindow).Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Airtime);
            if (used + airtime > budget)
            {
                // A transmission longer than the whole budget never fits: the wait is a whole window.
                var oldest = _sent.Where(s => now - s.At < limits.DutyWindow).Select(s => (DateTimeOffset?)s.At).FirstOrDefault();
                retryAfter = oldest is { } at ? at + limits.DutyWindow - now : limits.DutyWindow;
                reason = $"duty cycle {limits.MaxDutyCycle:P0} over {limits.DutyWindow.TotalMinutes:0} min";
            }
        }

        return reason is null;
    }
}
