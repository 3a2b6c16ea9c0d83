using Microsoft.Extensions.Time.Testing;
using RadioGateway.Simulator.Modem;

namespace RadioGateway.Tests.Audio;

/// <summary>The simulated receive audio follows the modem's voice bursts on the shared clock.</summary>
public sealed class SimulatedAirTests
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    private static double Rms(SimulatedAir air, DateTimeOffset start, int milliseconds)
    {
        var samples = new short[16 * milliseconds];
        air.Render(start, samples, 16000);
        return Math.Sqrt(samples.Average(s => (double)s * s));
    }

    [Fact]
    public void A_slot_without_a_terminator_falls_silent_a_second_after_its_last_burst()
    {
        var time = new FakeTimeProvider(Origin);
        var air = new SimulatedAir(time);
        air.Heard(2);
        time.Advance(TimeSpan.FromSeconds(3));

        Assert.InRange(Rms(air, Origin, 1000), 4000, 4500);
        Assert.InRange(Rms(air, Origin + TimeSpan.FromSeconds(1), 100), 0, 1);
    }

    [Fact]
    public void A_slot_sounds_from_its_first_burst_until_its_terminator()
    {
        var time = new FakeTimeProvider(Origin);
        var air = new SimulatedAir(time);
        for (var burst = 0; burst < 10; burst++)
        {
            air.Heard(1);
            // Bursts 60 ms apart, one of them 200 ms late: no gap.
            time.Advance(TimeSpan.FromMilliseconds(burst == 5 ? 200 : 60));
        }

        air.Ended(1);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.InRange(Rms(air, Origin - TimeSpan.FromMilliseconds(100), 100), 0, 1);
        Assert.InRange(Rms(air, Origin, 740), 4000, 4500); // 6000 peak: RMS 6000/√2
        Assert.InRange(Rms(air, Origin + TimeSpan.FromMilliseconds(740), 100), 0, 1);
    }
}
