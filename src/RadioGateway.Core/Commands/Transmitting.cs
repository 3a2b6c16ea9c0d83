namespace RadioGateway.Core.Commands;

/// <summary>Transmitter protection: commands per minute per unit and in total, and the transmit duty cycle.</summary>
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
        var now = time.GetUtcNow();
        _sent.RemoveAll(s => now - s.At >= limits.DutyWindow && now - s.At >= Minute);
        var lastMinute = _sent.Where(s => now - s.At < Minute).ToList();
        var forUnit = lastMinute.Where(s => s.Unit == unit).ToList();
        retryAfter = TimeSpan.Zero;
        reason = null;
        if (forUnit.Count >= limits.MaxPerUnitPerMinute)
        {
            retryAfter = forUnit[0].At + Minute - now;
            reason = $"{limits.MaxPerUnitPerMinute} commands per minute to unit {unit}";
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
                retryAfter = _sent.First(s => now - s.At < limits.DutyWindow).At + limits.DutyWindow - now;
                reason = $"duty cycle {limits.MaxDutyCycle:P0} over {limits.DutyWindow.TotalMinutes:0} min";
            }
        }

        if (reason is not null)
        {
            return false;
        }

        _sent.Add((now, unit, airtime));
        return true;
    }
}
