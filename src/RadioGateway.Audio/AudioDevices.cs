using RadioGateway.Audio.Recording;
using RadioGateway.Core.Announcements;

namespace RadioGateway.Audio;

/// <summary>The sound devices behind the audio seam: ALSA (libasound) on Linux, NAudio (WinMM waveIn/waveOut) on Windows.</summary>
public static class AudioDevices
{
    /// <summary>Opens the receive audio of a radio.</summary>
    /// <exception cref="IOException">The device cannot be opened or does not take the format; the message names both.</exception>
    public static IAudioCapture OpenCapture(string device, int sampleRate, int channels, string? alsaConfig, TimeProvider time) =>
        OperatingSystem.IsWindows()
            ? new Windows.WinMmAudioCapture(device, sampleRate, channels, time)
            : new AlsaAudioCapture(device, sampleRate, channels, time, alsaConfig);

    /// <summary>The player of a radio's transmit audio (announcements).</summary>
    public static IAudioPlayer Player(string device, int sampleRate, int channels, string? alsaConfig) =>
        OperatingSystem.IsWindows()
            ? new Windows.WinMmAudioPlayer(device, sampleRate, channels)
            : new AlsaAudioPlayer(device, sampleRate, channels, alsaConfig);
}
