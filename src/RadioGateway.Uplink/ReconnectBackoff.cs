namespace RadioGateway.Uplink;

/// <summary>
/// Waits between connection attempts: "equal jitter" exponential backoff, a delay drawn from [d/2, d] where d
/// doubles from the minimum up to the maximum, so gateways that lost the same broker do not return in step and no
/// wait exceeds the maximum. A connection that proved healthy starts the next outage from the minimum again.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _failures;

    /// <summary>The wait before the next attempt.</summary>
    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.Ticks, min.Ticks * (1L << Math.Min(_failures, 30)));
        _failures++;
        return TimeSpan.FromTicks((ceiling / 2) + _random.NextInt64((ceiling / 2) + 1));
    }

    /// <summary>The connection worked: the next outage starts at the minimum.</summary>
    public void Reset() => _failures = 0;
}
