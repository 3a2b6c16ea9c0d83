using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using RadioGateway.Audio.Alsa;
using RadioGateway.Core.Announcements;

namespace RadioGateway.Audio;

/// <summary>
/// Plays WAV clips on an ALSA PCM (the radio's transmit audio), converted to the profile's rate and channels with
/// NAudio's managed resampler. Writes 100 ms at a time on a thread of its own and stops between writes when cancelled.
/// </summary>
public sealed class AlsaAudioPlayer(string device, int sampleRate, int channels, string? alsaConfig = null) : IAudioPlayer
{
    public Task PlayAsync(AudioClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Task.Factory.StartNew(() => Play(clip.Path, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Play(string path, CancellationToken cancellationToken)
    {
        using var reader = new WaveFileReader(path);
        var pcm16 = WavClips.Convert(reader, sampleRate, channels);
        using var pcm = AlsaPcm.Open(device, capture: false, sampleRate, channels, alsaConfig);
        var chunk = new byte[sampleRate / 10 * pcm.BytesPerFrame];
        int read;
        while ((read = pcm16.Read(chunk.AsSpan())) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            pcm.Write(chunk.AsSpan(0, read));
        }

        pcm.Drain();
    }
}

/// <summary>WAV clips: duration, and conversion to 16-bit PCM at a given rate and channel count.</summary>
public static class WavClips
{
    /// <exception cref="IOException">Not a WAV file NAudio can read; the message names the file.</exception>
    public static AudioClip Open(string path)
    {
        try
        {
            using var reader = new WaveFileReader(path);
            return new AudioClip(path, reader.TotalTime);
        }
        catch (FormatException e)
        {
            throw new IOException($"{path}: not a WAV file ({e.Message})", e);
        }
    }

    public static IWaveProvider Convert(WaveStream source, int sampleRate, int channels)
    {
        ArgumentNullException.ThrowIfNull(source);
        ISampleProvider samples = source.ToSampleProvider();
        if (samples.WaveFormat.Channels == 2 && channels == 1)
        {
            samples = new StereoToMonoSampleProvider(samples);
        }
        else if (samples.WaveFormat.Channels == 1 && channels == 2)
        {
            samples = new MonoToStereoSampleProvider(samples);
        }

        if (samples.WaveFormat.SampleRate != sampleRate)
        {
            samples = new WdlResamplingSampleProvider(samples, sampleRate);
        }

        return new SampleToWaveProvider16(samples);
    }
}
