using RadioGateway.Audio.Recording;
using RadioGateway.Simulator.Modem;

namespace RadioGateway.Hosting;

/// <summary>
/// The simulated base station's receive audio as a capture device: each block is rendered from the
/// <see cref="SimulatedAir"/> once the clock has passed its end, and timed as rendered, so the audio keeps the time
/// of the simulated calls even when the capture thread wakes late.
/// </summary>
public sealed class SimulatedAirCapture(SimulatedAir air, int sampleRate, TimeProvider time, CancellationToken stopping) : IAudioCapture
{
    /// <summary>The rate of the simulated receive audio (wideband speech, an Opus rate).</summary>
    public const int SampleRateHz = 16000;

    private readonly SampleClock _clock = new(time, sampleRate);

    public string Description => "simulated base station";

    public int SampleRate => sampleRate;

    public int Channels => 1;

    public int Read(Span<short> samples, out DateTimeOffset start)
    {
        start = _clock.Next(samples.Length);
        var wait = start + TimeSpan.FromSeconds(samples.Length / (double)sampleRate) - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            try
            {
                Task.Delay(wait, time, stopping).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }

        air.Render(start, samples, sampleRate);
        return samples.Length;
    }

    public void Dispose()
    {
    }
}
