using RadioGateway.Core.Profiles;

namespace RadioGateway.Core.Tests.Profiles;

public sealed class AudioProfileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-audio-profiles-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (HardwareProfile? Profile, IReadOnlyList<ProfileDiagnostic> Problems) Load(string audio)
    {
        var path = Path.Combine(_directory, "radio.json");
        File.WriteAllText(path, $$"""
            {
              "kind": "hardware", "id": "r", "dialect": "mmdvm",
              "transport": { "kind": "simulator" },
              "capabilities": { "slots": 1, "txTimeoutSeconds": 120 },
              "band": { "minHz": 400000000, "maxHz": 470000000 }{{(audio.Length > 0 ? ",\n  \"audio\": " + audio : "")}}
            }
            """);
        var profile = ProfileLoader.LoadHardware(path, out var problems);
        return (profile, problems);
    }

    [Fact]
    public void A_profile_without_audio_has_none()
    {
        Assert.Null(Load("").Profile!.Audio);
    }

    [Fact]
    public void The_audio_section_gives_device_format_ptt_and_cat()
    {
        var (profile, problems) = Load("""{ "device": "plughw:1,0", "sampleRate": 16000, "ptt": { "method": "dtr", "port": "/dev/ttyUSB1", "activeLow": true }, "cat": { "rigctld": "127.0.0.1:4532", "channelFrequencyHz": 438975000 } }""");

        Assert.Empty(problems);
        Assert.Equal(new AudioProfile("plughw:1,0", 16000, 1, PttMethod.SerialDtr, "/dev/ttyUSB1", true, "127.0.0.1:4532", 438975000), profile!.Audio);
    }

    [Theory]
    [InlineData("""{ "sampleRate": 11025 }""", "audio.sampleRate", "not one of 8000")]
    [InlineData("""{ "ptt": { "method": "vox" } }""", "audio.ptt.method", "not one of rts, dtr, cat")]
    [InlineData("""{ "ptt": { "method": "rts" } }""", "audio.ptt.port", "needs the serial port")]
    [InlineData("""{ "ptt": { "method": "cat" } }""", "audio.ptt.method", "needs audio.cat.rigctld")]
    [InlineData("""{ "cat": { "rigctld": "localhost" } }""", "audio.cat.rigctld", "not host:port")]
    [InlineData("""{ "cat": { "channelFrequencyHz": 438975000 } }""", "audio.cat.channelFrequencyHz", "set audio.cat.rigctld")]
    [InlineData("""{ "pttLine": "rts" }""", "audio.pttLine", "unknown key")]
    public void Mistakes_are_reported_by_key(string audio, string key, string message)
    {
        var (profile, problems) = Load(audio);

        Assert.Null(profile);
        var problem = Assert.Single(problems);
        Assert.Equal(key, problem.Key);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_recording_section_takes_the_audio_device_unless_it_names_its_own()
    {
        var (profile, problems) = Load("""{ "device": "plughw:1,0", "channels": 2, "recording": { "cut": "level", "format": "wav", "sampleRate": 8000, "levelDbfs": -35, "hangMs": 800 } }""");

        Assert.Empty(problems);
        Assert.Equal(new RecordingProfile("plughw:1,0", 8000, 2, ByLevel: true, Wav: true, -35, TimeSpan.FromMilliseconds(800)), profile!.Audio!.Recording);
        Assert.Equal(new RecordingProfile("dsnoop:1", 16000, 1, ByLevel: false, Wav: false, -40, TimeSpan.FromSeconds(1.5)), Load("""{ "recording": { "device": "dsnoop:1" } }""").Profile!.Audio!.Recording);
    }

    [Theory]
    [InlineData("""{ "recording": { "format": "mp3" } }""", "audio.recording.format", "not one of opus, wav")]
    [InlineData("""{ "recording": { "cut": "vox" } }""", "audio.recording.cut", "not one of calls")]
    [InlineData("""{ "recording": { "sampleRate": 44100 } }""", "audio.recording.sampleRate", "not one of 8000, 12000, 16000, 24000, 48000 (opus)")]
    [InlineData("""{ "recording": { "hang": 800 } }""", "audio.recording.hang", "unknown key")]
    public void Recording_mistakes_are_reported_by_key(string audio, string key, string message) => Mistakes_are_reported_by_key(audio, key, message);
}
