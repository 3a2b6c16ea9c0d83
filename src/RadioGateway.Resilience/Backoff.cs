namespace RadioGateway.Resilience;

/// <summary>
/// The wait between attempts of every retry loop of the gateway: exponential backoff with "equal jitter". The
/// n-th wait after a success is drawn uniformly from [d/2, d], where d = minimum · 2ⁿ capped at the maximum, so
/// no wait exceeds the maximum, waits never shrink towards zero, and gateways (or loops) that failed together do
/// not retry in step. <see cref="Reset"/> after a success starts the next outage from the minimum again.
/// Not thread-safe: one instance per loop.
/// </summary>
public sealed class Backoff
{
    private readonly TimeSpan _minimum;
    private readonly TimeSpan _maximum;
    private readonly Random _random;
    private int _failures;

    /// <param name="minimum">Ceiling of the first wait (the first wait is in [minimum/2, minimum]).</param>
    /// <param name="maximum">No wait is longer.</param>
    /// <param name="random">Source of the jitter; <see cref="Random.Shared"/> when null (tests pass a seeded one).</param>
    public Backoff(TimeSpan minimum, TimeSpan maximum, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minimum, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, minimum);
        _minimum = minimum;
        _maximum = maximum;
        _random = random ?? Random.Shared;
    }

    /// <summary>Failures since the last <see cref="Reset"/>.</summary>
    public int Failures => _failures;

    /// <summary>The wait before the next attempt; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        var ceiling = Math.Min(_maximum.Ticks, _minimum.Ticks * (1L << Math.Min(_failures, 30)));
        if (ceiling < 0)
        {
            ceiling = _maximum.Ticks; // minimum · 2³⁰ overflowed: far beyond any maximum
        }

        _failures++;
        return TimeSpan.FromTicks((ceiling / 2) + _random.NextInt64((ceiling / 2) + 1));
    }

    /// <summary>The attempt worked (or the connection proved healthy): the next outage starts at the minimum.</summary>
    public void Reset() => _failures = 0;
}
