namespace RadioGateway.Core.Profiles;

/// <summary>How the transmitter is keyed for announcements.</summary>
public enum PttMethod
{
    /// <summary>The serial port's RTS line (<c>ptt.port</c>).</summary>
    SerialRts,

    /// <summary>The serial port's DTR line (<c>ptt.port</c>).</summary>
    SerialDtr,

    /// <summary>Hamlib CAT through rigctld (<c>cat.rigctld</c>): <c>T 1</c> / <c>T 0</c>.</summary>
    Cat,
}

/// <summary>
/// The <c>audio</c> section of a hardware profile: the sound device wired to the radio (speaker out → line in,
/// line out → mic in), its format, how the PTT is keyed and where CAT answers (issue 15).
/// </summary>
/// <param name="Device">ALSA PCM name on Linux (<c>default</c>, <c>plughw:1,0</c>), device name on Windows.</param>
/// <param name="PttPort">Serial device whose RTS/DTR keys the radio (PTT by <see cref="PttMethod.SerialRts"/>/<see cref="PttMethod.SerialDtr"/>).</param>
/// <param name="Rigctld">rigctld's <c>host:port</c> (CAT: frequency, mode, and PTT by <see cref="PttMethod.Cat"/>).</param>
/// <param name="ChannelFrequencyHz">The frequency the radio must be on to transmit (checked over CAT when set).</param>
/// <param name="AlsaConfig">An alsa-lib configuration file defining <see cref="Device"/>, used instead of the system's (Linux).</param>
public sealed record AudioProfile(
    string Device,
    int SampleRate,
    int Channels,
    PttMethod? Ptt,
    string? PttPort,
    bool PttActiveLow,
    string? Rigctld,
    long? ChannelFrequencyHz,
    string? AlsaConfig = null)
{
    /// <summary>Recordings of the receive audio (<c>audio.recording</c>), if any.</summary>
    public RecordingProfile? Recording { get; init; }
}

public static partial class ProfileLoader
{
    private static readonly int[] SampleRates = [8000, 16000, 22050, 24000, 44100, 48000];

    /// <summary>The optional <c>audio</c> section; null when the profile has none.</summary>
    private static AudioProfile? ReadAudio(ProfileReader reader)
    {
        if (reader.Find("audio") is null)
        {
            return null;
        }

        reader.AllowOnly("audio", "device", "alsaConfig", "sampleRate", "channels", "ptt", "cat", "recording");
        reader.AllowOnly("audio.ptt", "method", "port", "activeLow");
        reader.AllowOnly("audio.cat", "rigctld", "channelFrequencyHz");
        var sampleRate = reader.Int("audio.sampleRate", 8000, 48000, fallback: 48000);
        if (!SampleRates.Contains(sampleRate))
        {
            reader.Problem("audio.sampleRate", $"{sampleRate} is not one of {string.Join(", ", SampleRates)} (Opus and most sound cards)");
        }

        var method = reader.String("audio.ptt.method");
        PttMethod? ptt = method switch
        {
            null => null,
            "rts" => PttMethod.SerialRts,
            "dtr" => PttMethod.SerialDtr,
            "cat" => PttMethod.Cat,
            _ => null,
        };
        if (method is not null && ptt is null)
        {
            reader.Problem("audio.ptt.method", $"'{method}' is not one of rts, dtr, cat");
        }

        var port = reader.String("audio.ptt.port");
        if (ptt is PttMethod.SerialRts or PttMethod.SerialDtr && string.IsNullOrWhiteSpace(port))
        {
            reader.Problem("audio.ptt.port", $"PTT by {method} needs the serial port whose line keys the radio");
        }

        var rigctld = reader.String("audio.cat.rigctld");
        if (rigctld is not null && !IsHostPort(rigctld))
        {
            reader.Problem("audio.cat.rigctld", $"'{rigctld}' is not host:port (rigctld listens on 4532 by default)");
        }

        if (ptt == PttMethod.Cat && rigctld is null)
        {
            reader.Problem("audio.ptt.method", "PTT by cat needs audio.cat.rigctld");
        }

        var frequency = reader.Find("audio.cat.channelFrequencyHz") is null ? (long?)null : reader.Long("audio.cat.channelFrequencyHz", 30_000_000, 1_000_000_000);
        if (frequency is not null && rigctld is null)
        {
            reader.Problem("audio.cat.channelFrequencyHz", "is checked over CAT: set audio.cat.rigctld too");
        }

        var device = reader.String("audio.device") ?? "default";
        var channels = reader.Int("audio.channels", 1, 2, fallback: 1);
        return new AudioProfile(
            device,
            sampleRate,
            channels,
            ptt,
            port,
            reader.Bool("audio.ptt.activeLow", false),
            rigctld,
            frequency,
            reader.String("audio.alsaConfig")) { Recording = ReadRecording(reader, device, channels) };
    }

    private static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;
    }
}
