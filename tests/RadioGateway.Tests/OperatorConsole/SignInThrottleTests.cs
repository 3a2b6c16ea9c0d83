using Microsoft.Extensions.Time.Testing;
using RadioGateway.OperatorConsole;

namespace RadioGateway.Tests.OperatorConsole;

public sealed class SignInThrottleTests
{
    [Fact]
    public void Failures_block_an_address_for_the_window_and_a_success_clears_them()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
        var throttle = new SignInThrottle(time);
        for (var i = 0; i < SignInThrottle.FailuresAllowed - 1; i++)
        {
            throttle.Failed("10.0.0.5");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.False(throttle.IsBlocked("10.0.0.5"));
        throttle.Failed("10.0.0.5");
        Assert.True(throttle.IsBlocked("10.0.0.5"));
        Assert.False(throttle.IsBlocked("10.0.0.6"));

        // The first failure leaves the window one minute after it happened.
        time.Advance(SignInThrottle.Window - TimeSpan.FromSeconds(SignInThrottle.FailuresAllowed - 1));
        Assert.False(throttle.IsBlocked("10.0.0.5"));
        throttle.Failed("10.0.0.5");
        Assert.True(throttle.IsBlocked("10.0.0.5"));

        throttle.Succeeded("10.0.0.5");
        Assert.False(throttle.IsBlocked("10.0.0.5"));
    }

    [Fact]
    public void A_spray_of_addresses_keeps_memory_bounded_and_still_blocks_the_newest_guesser()
    {
        var throttle = new SignInThrottle(new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero)));
        for (var i = 0; i < SignInThrottle.AddressesKept * 2; i++)
        {
            throttle.Failed("10.1." + i);
        }

        for (var i = 0; i < SignInThrottle.FailuresAllowed; i++)
        {
            throttle.Failed("10.9.9.9");
        }

        Assert.True(throttle.IsBlocked("10.9.9.9"));
    }
}
