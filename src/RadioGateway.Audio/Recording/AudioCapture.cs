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
    int Read(Span<short> samples);
}

/// <summary>Receive audio captured from one radio: <see cref="Samples"/> (interleaved) beginning at <see cref="Start"/>.</summary>
public readonly record struct AudioBlock(DateTimeOffset Start, short[] Samples);

/// <summary>The ALSA capture PCM of a radio (libasound through <see cref="Alsa.AlsaPcm"/>).</summary>
public sealed class AlsaAudioCapture(string device, int sampleRate, int channels, string? alsaConfig = null) : IAudioCapture
{
    private readonly Alsa.AlsaPcm _pcm = Alsa.AlsaPcm.Open(device, capture: true, sampleRate, channels, alsaConfig);

    public string Description => $"ALSA {device}";

    public int SampleRate => sampleRate;

    public int Channels => channels;

    public int Read(Span<short> samples) => _pcm.Read(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples)) / 2;

    public void Dispose() => _pcm.Dispose();
}
