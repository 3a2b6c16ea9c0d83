using System.Collections.Concurrent;
using System.Runtime.Versioning;
using NAudio.Wave;
using RadioGateway.Audio.Recording;
using RadioGateway.Core.Announcements;

namespace RadioGateway.Audio.Windows;

/// <summary>
/// Windows sound devices through NAudio's WinMM wrappers (waveIn/waveOut, which convert to the asked format):
/// <c>audio.device</c> is <c>default</c> or (part of) a device's name as <c>radiogw audio devices</c> lists it.
/// </summary>
[SupportedOSPlatform("windows")]
public static class WinMmDevices
{
    /// <summary>Input and output device names (waveInGetDevCaps / waveOutGetDevCaps product names).</summary>
    public static IReadOnlyList<(string Name, string Direction)> List() =>
    [
        .. Enumerable.Range(0, WaveIn.DeviceCount).Select(n => (WaveIn.GetCapabilities(n).ProductName, "Input")),
        .. Enumerable.Range(0, WaveOut.DeviceCount).Select(n => (WaveOut.GetCapabilities(n).ProductName, "Output")),
    ];

    /// <summary>The waveIn device number of <paramref name="device"/>.</summary>
    /// <exception cref="IOException">No input device has that name; the message lists those there are.</exception>
    public static int Input(string device) => Find(device, 0, WaveIn.DeviceCount, n => WaveIn.GetCapabilities(n).ProductName, "input");

    /// <summary>The waveOut device number of <paramref name="device"/> (-1: the wave mapper, Windows' default output).</summary>
    public static int Output(string device) => Find(device, -1, WaveOut.DeviceCount, n => WaveOut.GetCapabilities(n).ProductName, "output");

    private static int Find(string device, int fallback, int count, Func<int, string> name, string direction)
    {
        if (device == "default")
        {
            return fallback;
        }

        for (var n = 0; n < count; n++)
        {
            if (name(n).Contains(device, StringComparison.OrdinalIgnoreCase))
            {
                return n;
            }
        }

        throw new IOException($"No {direction} sound device named '{device}'; there are: {string.Join(", ", Enumerable.Range(0, count).Select(name))}");
    }
}

/// <summary>Receive audio from a waveIn device (NAudio <see cref="WaveIn"/>), 20 ms buffers.</summary>
[SupportedOSPlatform("windows")]
public sealed class WinMmAudioCapture : IAudioCapture
{
    private readonly WaveIn _waveIn;
    private readonly BlockingCollection<byte[]> _buffers = new(boundedCapacity: 500);
    private readonly SampleClock _clock;
    private byte[]? _current;
    private int _offset;

    public WinMmAudioCapture(string device, int sampleRate, int channels, TimeProvider time)
    {
        _clock = new SampleClock(time, sampleRate);
        _waveIn = new WaveIn { DeviceNumber = WinMmDevices.Input(device), WaveFormat = new WaveFormat(sampleRate, 16, channels), BufferMilliseconds = 20 };
        Description = $"WinMM {device}";
        SampleRate = sampleRate;
        Channels = channels;
        // Buffers beyond 10 s waiting are dropped here, never held in the driver's callback.
        _waveIn.DataAvailable += (_, data) => _buffers.TryAdd(data.Buffer[..data.BytesRecorded]);
        _waveIn.RecordingStopped += (_, _) => _buffers.CompleteAdding();
        _waveIn.StartRecording();
    }

    public string Description { get; }

    public int SampleRate { get; }

    public int Channels { get; }

    public int Read(Span<short> samples, out DateTimeOffset start)
    {
        while (_current is null || _offset == _current.Length)
        {
            if (!_buffers.TryTake(out _current, Timeout.Infinite))
            {
                start = default;
                return 0; // recording stopped
            }

            _offset = 0;
        }

        var bytes = Math.Min(samples.Length * 2, _current.Length - _offset);
        _current.AsSpan(_offset, bytes).CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples));
        _offset += bytes;
        start = _clock.Next(bytes / 2 / Channels);
        return bytes / 2;
    }

    public void Dispose()
    {
        _waveIn.StopRecording();
        _waveIn.Dispose();
        _buffers.Dispose();
    }
}

/// <summary>Plays WAV clips on a waveOut device (NAudio <see cref="WaveOut"/>), converted to the profile's rate and channels.</summary>
[SupportedOSPlatform("windows")]
public sealed class WinMmAudioPlayer(string device, int sampleRate, int channels) : IAudioPlayer
{
    public async Task PlayAsync(AudioClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        using var reader = new WaveFileReader(clip.Path);
        using var waveOut = new WaveOut { DeviceNumber = WinMmDevices.Output(device) };
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waveOut.PlaybackStopped += (_, e) =>
        {
            if (e.Exception is { } error)
            {
                stopped.TrySetException(new IOException($"WinMM {device}: {error.Message}", error));
            }
            else
            {
                stopped.TrySetResult();
            }
        };
        waveOut.Init(WavClips.Convert(reader, sampleRate, channels));
        waveOut.Play();
        await using (cancellationToken.Register(waveOut.Stop))
        {
            await stopped.Task.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
