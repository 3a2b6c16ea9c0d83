namespace RadioGateway.Core.Profiles;

/// <summary>
/// The <c>audio.recording</c> section of a hardware profile: the receive audio (the radio's speaker output on a line
/// in) recorded per call (issue 15). Device and channels default to the <c>audio</c> section's.
/// </summary>
/// <param name="ByLevel">Cut by level with hang time (analog radios) instead of by the call tracker's calls (DMR).</param>
/// <param name="Wav">Keep 16-bit PCM WAV instead of Opus in Ogg (RFC 7845).</param>
/// <param name="LevelDbfs">With <paramref name="ByLevel"/>: RMS level (dBFS) that opens or extends a recording.</param>
public sealed record RecordingProfile(string Device, int SampleRate, int Channels, bool ByLevel, bool Wav, int LevelDbfs, TimeSpan HangTime);

public static partial class ProfileLoader
{
    // RFC 6716 §2: the rates an Opus encoder takes.
    private static readonly int[] OpusSampleRates = [8000, 12000, 16000, 24000, 48000];

    /// <summary>The optional <c>audio.recording</c> section; null when the profile has none.</summary>
    private static RecordingProfile? ReadRecording(ProfileReader reader, string device, int channels)
    {
        if (reader.Find("audio.recording") is null)
        {
            return null;
        }

        reader.AllowOnly("audio.recording", "device", "sampleRate", "channels", "cut", "format", "levelDbfs", "hangMs");
        var cut = reader.String("audio.recording.cut") ?? "calls";
        if (cut is not ("calls" or "level"))
        {
            reader.Problem("audio.recording.cut", $"'{cut}' is not one of calls (DMR: the call tracker's start and end), level (analog: level with hang time)");
        }

        var format = reader.String("audio.recording.format") ?? "opus";
        if (format is not ("opus" or "wav"))
        {
            reader.Problem("audio.recording.format", $"'{format}' is not one of opus, wav");
        }

        var sampleRate = reader.Int("audio.recording.sampleRate", 8000, 48000, fallback: 16000);
        if (!(format == "wav" ? SampleRates : OpusSampleRates).Contains(sampleRate))
        {
            reader.Problem("audio.recording.sampleRate", $"{sampleRate} is not one of {string.Join(", ", format == "wav" ? SampleRates : OpusSampleRates)} ({format})");
        }

        return new RecordingProfile(
            reader.String("audio.recording.device") ?? device,
            sampleRate,
            reader.Int("audio.recording.channels", 1, 2, fallback: channels),
            cut == "level",
            format == "wav",
            reader.Int("audio.recording.levelDbfs", -90, 0, fallback: -40),
            TimeSpan.FromMilliseconds(reader.Int("audio.recording.hangMs", 0, 30_000, fallback: 1500)));
    }
}
