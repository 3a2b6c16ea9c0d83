using NAudio.Wave;
using RadioGateway.Audio.Alsa;
using RadioGateway.Core.Announcements;
using RadioGateway.Testing;

namespace RadioGateway.Audio.Tests;

/// <summary>
/// The ALSA path through the real libasound without a sound card: an alsa-lib configuration whose PCMs are the
/// <c>file</c> plugin over the <c>null</c> plugin (alsa-lib "PCM (digital audio) plugins": playback is written to
/// <c>file</c>, capture is read from <c>infile</c>), loaded with <c>snd_pcm_open_lconf</c>.
/// </summary>
public sealed class AlsaFilePluginTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-alsa-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Config(string name, string body)
    {
        var path = Path.Combine(_directory, name + ".conf");
        File.WriteAllText(path, body);
        return path;
    }

    [Fact]
    public async Task An_espeak_announcement_is_played_through_libasound_into_the_file_plugin_at_the_profiles_rate()
    {
        ExternalTool.Require("espeak-ng", "espeak-ng");
        var output = Path.Combine(_directory, "played.raw");
        var config = Config("playback", $$"""pcm.radio { type file slave.pcm { type null } file "{{output}}" format "raw" }""");
        var clip = await EspeakSpeech.SpeakAsync("توجه، همه تیم‌ها. Attention all teams.", "fa", Path.Combine(_directory, "speech.wav"), CancellationToken.None);
        Assert.InRange(clip.Duration, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        await new AlsaAudioPlayer("radio", 48000, 1, config).PlayAsync(clip, CancellationToken.None);

        // 16-bit mono at 48 kHz: the clip's length (espeak-ng speaks at 22 050 Hz) within one 100 ms write.
        var played = new FileInfo(output).Length;
        var expected = clip.Duration.TotalSeconds * 48000 * 2;
        Assert.InRange(played, expected - 9600, expected + 9600);
        var samples = await File.ReadAllBytesAsync(output);
        Assert.Contains(Enumerable.Range(0, samples.Length / 2), i => Math.Abs(BitConverter.ToInt16(samples, i * 2)) > 1000);
    }

    [Fact]
    public void Capture_reads_the_infile_through_libasound()
    {
        var input = Path.Combine(_directory, "received.raw");
        var tone = Enumerable.Range(0, 8000).SelectMany(i => BitConverter.GetBytes((short)(10000 * Math.Sin(2 * Math.PI * 1000 * i / 8000.0)))).ToArray();
        File.WriteAllBytes(input, tone);
        var config = Config("capture", $$"""pcm.radio { type file slave.pcm { type null } file "/dev/null" infile "{{input}}" format "raw" }""");

        using var pcm = AlsaPcm.Open("radio", capture: true, 8000, 1, config);
        var captured = new MemoryStream();
        var buffer = new byte[1600];
        while (captured.Length < tone.Length)
        {
            var read = pcm.Read(buffer);
            Assert.True(read > 0, "capture ended early");
            captured.Write(buffer, 0, read);
        }

        Assert.Equal(tone, captured.ToArray()[..tone.Length]);
    }

    [Fact]
    public void An_unknown_device_or_format_is_refused_naming_the_device()
    {
        var config = Config("empty", "pcm.other { type null }");

        var error = Assert.Throws<IOException>(() => AlsaPcm.Open("radio", capture: false, 48000, 1, config));
        Assert.StartsWith("ALSA PCM 'radio' (playback): open:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancelled_announcement_stops_between_writes()
    {
        var output = Path.Combine(_directory, "played.raw");
        var config = Config("playback", $$"""pcm.radio { type file slave.pcm { type null } file "{{output}}" format "raw" }""");
        var wav = Path.Combine(_directory, "tone.wav");
        using (var writer = new WaveFileWriter(wav, new WaveFormat(8000, 16, 1)))
        {
            writer.Write(new byte[8000 * 2 * 5], 0, 8000 * 2 * 5);
        }

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new AlsaAudioPlayer("radio", 8000, 1, config).PlayAsync(new AudioClip(wav, TimeSpan.FromSeconds(5)), cancelled.Token).GetAwaiter().GetResult());
        Assert.False(File.Exists(output) && new FileInfo(output).Length > 0, "nothing was played");
        Assert.Equal(TimeSpan.FromSeconds(5), WavClips.Open(wav).Duration);
    }
}
