using System.Runtime.InteropServices;

namespace RadioGateway.Audio.Alsa;

/// <summary>
/// One open ALSA PCM, 16-bit little-endian interleaved at the profile's rate and channels. Blocking calls: run it
/// on its own thread (the audio paths do). <paramref name="localConfig"/> is an alsa-lib configuration file used
/// instead of the system's (tests use a <c>file</c> plugin PCM so libasound runs without a sound card).
/// </summary>
public sealed class AlsaPcm : IDisposable
{
    private nint _pcm;

    private AlsaPcm(nint pcm, string name, int sampleRate, int channels)
    {
        _pcm = pcm;
        Name = name;
        SampleRate = sampleRate;
        Channels = channels;
    }

    public string Name { get; }

    public int SampleRate { get; }

    public int Channels { get; }

    public int BytesPerFrame => 2 * Channels;

    /// <exception cref="IOException">The device cannot be opened or does not take the format; the message names both.</exception>
    public static AlsaPcm Open(string name, bool capture, int sampleRate, int channels, string? localConfig = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stream = capture ? AlsaNative.StreamCapture : AlsaNative.StreamPlayback;
        int result;
        nint pcm;
        if (localConfig is null)
        {
            result = AlsaNative.PcmOpen(out pcm, name, stream, 0);
        }
        else
        {
            var config = LoadConfig(localConfig);
            try
            {
                result = AlsaNative.PcmOpenLocalConfig(out pcm, name, stream, 0, config);
            }
            finally
            {
                AlsaNative.ConfigDelete(config);
            }
        }

        Check(result, $"ALSA PCM '{name}' ({(capture ? "capture" : "playback")}): open");
        // soft_resample 1: alsa-lib's plug layer converts when the card cannot take the rate; 100 ms latency.
        result = AlsaNative.PcmSetParams(pcm, AlsaNative.FormatS16Le, AlsaNative.AccessReadWriteInterleaved, (uint)channels, (uint)sampleRate, 1, 100_000);
        if (result < 0)
        {
            AlsaNative.PcmClose(pcm);
            Check(result, $"ALSA PCM '{name}': S16_LE {channels} ch {sampleRate} Hz");
        }

        return new AlsaPcm(pcm, name, sampleRate, channels);
    }

    /// <summary>Plays whole frames of <paramref name="samples"/>, recovering from an underrun once per call.</summary>
    public unsafe void Write(ReadOnlySpan<byte> samples)
    {
        ObjectDisposedException.ThrowIf(_pcm == 0, this);
        var frames = samples.Length / BytesPerFrame;
        fixed (byte* start = samples)
        {
            var done = 0;
            var recovered = false;
            while (done < frames)
            {
                var written = AlsaNative.PcmWriteInterleaved(_pcm, start + (done * BytesPerFrame), (nuint)(frames - done));
                if (written < 0)
                {
                    if (recovered || AlsaNative.PcmRecover(_pcm, (int)written, 1) < 0)
                    {
                        Check((int)written, $"ALSA PCM '{Name}': write");
                    }

                    recovered = true;
                    continue;
                }

                done += (int)written;
            }
        }
    }

    /// <summary>Reads up to a buffer of whole frames; returns the bytes read (0 at the end of a file-backed capture).</summary>
    public int Read(Span<byte> buffer) => Read(buffer, out _);

    /// <summary>As <see cref="Read(Span{byte})"/>; <paramref name="overrun"/> when 0 bytes come back after recovering from an overrun (samples were lost).</summary>
    public unsafe int Read(Span<byte> buffer, out bool overrun)
    {
        overrun = false;
        ObjectDisposedException.ThrowIf(_pcm == 0, this);
        var frames = buffer.Length / BytesPerFrame;
        fixed (byte* start = buffer)
        {
            var read = AlsaNative.PcmReadInterleaved(_pcm, start, (nuint)frames);
            if (read < 0)
            {
                if (AlsaNative.PcmRecover(_pcm, (int)read, 1) < 0)
                {
                    Check((int)read, $"ALSA PCM '{Name}': read");
                }

                overrun = true;
                return 0;
            }

            return (int)read * BytesPerFrame;
        }
    }

    /// <summary>Waits until everything written has been played.</summary>
    public void Drain()
    {
        ObjectDisposedException.ThrowIf(_pcm == 0, this);
        Check(AlsaNative.PcmDrain(_pcm), $"ALSA PCM '{Name}': drain");
    }

    public void Dispose()
    {
        var pcm = Interlocked.Exchange(ref _pcm, 0);
        if (pcm != 0)
        {
            AlsaNative.PcmClose(pcm);
        }
    }

    /// <summary>PCM names and descriptions alsa-lib offers (<c>snd_device_name_hint</c>), for <c>radiogw audio devices</c>.</summary>
    public static IReadOnlyList<(string Name, string? Description, string? Direction)> Devices()
    {
        Check(AlsaNative.DeviceNameHint(-1, "pcm", out var hints), "ALSA device list");
        var devices = new List<(string, string?, string?)>();
        try
        {
            for (var at = hints; Marshal.ReadIntPtr(at) is var hint && hint != 0; at += IntPtr.Size)
            {
                var name = Take(AlsaNative.DeviceNameGetHint(hint, "NAME"));
                if (name is not null)
                {
                    devices.Add((name, Take(AlsaNative.DeviceNameGetHint(hint, "DESC"))?.Replace('\n', ' '), Take(AlsaNative.DeviceNameGetHint(hint, "IOID"))));
                }
            }
        }
        finally
        {
            AlsaNative.DeviceNameFreeHint(hints);
        }

        return devices;
    }

    // snd_device_name_get_hint returns malloc'd strings the caller frees.
    private static unsafe string? Take(nint text)
    {
        if (text == 0)
        {
            return null;
        }

        var value = Marshal.PtrToStringUTF8(text);
        NativeMemory.Free((void*)text);
        return value;
    }

    private static nint LoadConfig(string path)
    {
        Check(AlsaNative.ConfigTop(out var config), "ALSA configuration");
        var result = AlsaNative.InputStdioOpen(out var input, path, "r");
        if (result < 0)
        {
            AlsaNative.ConfigDelete(config);
            Check(result, $"ALSA configuration {path}");
        }

        result = AlsaNative.ConfigLoad(config, input);
        AlsaNative.InputClose(input);
        if (result < 0)
        {
            AlsaNative.ConfigDelete(config);
            Check(result, $"ALSA configuration {path}: parse");
        }

        return config;
    }

    private static void Check(int result, string what)
    {
        if (result < 0)
        {
            throw new IOException($"{what}: {AlsaNative.Error(result)}");
        }
    }
}
