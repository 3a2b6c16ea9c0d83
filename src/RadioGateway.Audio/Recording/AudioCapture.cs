namespace RadioGateway.Audio.Recording;

/// <summary>
/// A source of receive audio (the radio's speaker output on a line in): 16-bit interleaved samples at
/// <see cref="SampleRate"/> and <see cref="Channels"/>. <see cref="Read"/> blocks until samples are there, so it runs
/// on a thread of its own (<see cref="RecordingPipeline"/>). ALSA on Linux, NAudio on Windows, the simulated air.
/// </summary>
public interface IAudioCapture : IDisposable
{
    /// <summary>The device, for logs: <c>ALSA plughw:1,0</c>, <c>WASAPI Line In</c>, <c>simulated</c>.</summary>
    string Description { get; }

    int SampleRate { get; }

    int Channels { get; }

    /// <summary>Fills <paramref name="samples"/> with whole frames; returns the samples read, 0 when the source has ended.</summary>
    /// <param name="start">When the first of them was captured.</param>
    int Read(Span<short> samples, out DateTimeOffset start);
}

/// <summary>
/// Times captured samples by counting them from the moment capture began; restarted at the current time after
/// samples were lost (an overrun), so recordings keep the calls' times over weeks of capture.
/// </summary>
public sealed class SampleClock(TimeProvider time, int sampleRate)
{
    private DateTimeOffset? _origin;
    private long _frames;

    /// <summary>The start of the next <paramref name="frames"/> frames, then counts them.</summary>
    public DateTimeOffset Next(int frames)
    {
        _origin ??= time.GetUtcNow();
        var start = _origin.Value + TimeSpan.FromSeconds(_frames / (double)sampleRate);
        _frames += frames;
        return start;
    }

    /// <summary>Samples were lost: the next ones are timed from now.</summary>
    public void Restart()
    {
        _origin = null;
        _frames = 0;
    }
}

/// <summary>Receive audio captured from one radio: <see cref="Samples"/> (interleaved) beginning at <see cref="Start"/>.</summary>
public readonly record struct AudioBlock(DateTimeOffset Start, short[] Samples);

/// <summary>The ALSA capture PCM of a radio (libasound through <see cref="Alsa.AlsaPcm"/>).</summary>
public sealed class AlsaAudioCapture(string device, int sampleRate, int channels, TimeProvider time, string? alsaConfig = null) : IAudioCapture
{
    private readonly Alsa.AlsaPcm _pcm = Alsa.AlsaPcm.Open(device, capture: true, sampleRate, channels, alsaConfig);
    private readonly SampleClock _clock = new(time, sampleRate);

    public string Description => $"ALSA {device}";

    public int SampleRate => sampleRate;

    public int Channels => channels;

    public int Read(Span<short> samples, out DateTimeOffset start)
    {
        int read;
        while ((read = _pcm.Read(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples), out var overrun) / 2) == 0 && overrun)
        {
            _clock.Restart();
        }

        start = _clock.Next(read / channels);
        return read;
    }

    public void Dispose() => _pcm.Dispose();
}
