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

/// <summary>
/// The simulated base station's transmitter for announcements: keying is a flag, playing takes the clip's length on
/// the clock, and the field radios hear it (<see cref="SimulatedAir.Transmitted"/>).
/// </summary>
public sealed class SimulatedAirTransmitter(SimulatedAir air, TimeProvider time) : Core.Announcements.IPtt, Core.Announcements.IAudioPlayer
{
    private volatile bool _keyed;

    public string Description => "simulated base station";

    public bool Keyed => _keyed;

    public ValueTask KeyAsync(CancellationToken cancellationToken)
    {
        _keyed = true;
        return ValueTask.CompletedTask;
    }

    public ValueTask UnkeyAsync()
    {
        _keyed = false;
        return ValueTask.CompletedTask;
    }

    public async Task PlayAsync(Core.Announcements.AudioClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        await Task.Delay(clip.Duration, time, cancellationToken).ConfigureAwait(false);
        air.Transmit(clip.Duration);
    }
}
