using RadioGateway.Resilience;

namespace RadioGateway.Uplink.Tests;

// The MQTT session's reconnect waits: the shared Backoff as MqttSessionOptions configures it (1 s … 60 s).

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Delays_double_from_the_minimum_with_jitter_and_never_exceed_the_maximum()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(7));
        var delays = Enumerable.Range(0, 40).Select(_ => backoff.Next()).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(60)));
        Assert.InRange(delays[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(delays[3], TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        // Long outages settle between half the cap and the cap: spread out, bounded.
        Assert.All(delays.Skip(7), d => Assert.InRange(d, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)));
        Assert.True(delays.Skip(7).Distinct().Count() > 1, "jittered");
    }

    [Fact]
    public void A_healthy_connection_starts_the_next_outage_from_the_minimum()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(7));
        for (var i = 0; i < 10; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.InRange(backoff.Next(), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
    }
}
