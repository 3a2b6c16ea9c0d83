using NAudio.Wave;
using RadioGateway.Testing;

namespace RadioGateway.Audio.Tests;

/// <summary>Ogg Opus files written by <see cref="OggOpusWriter"/> decoded by the reference tools of opus-tools (libopus, libogg).</summary>
public sealed class OggOpusWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-opus-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(16000, 2.0)]
    [InlineData(48000, 1.234)]
    public async Task A_tone_decodes_with_opusdec_to_the_same_length_within_a_frame(int sampleRate, double seconds)
    {
        var opusdec = ExternalTool.Require("opusdec", "opus-tools");
        var path = Path.Combine(_directory, "tone.opus");
        var samples = (int)(sampleRate * seconds);
        using (var file = File.Create(path))
        using (var writer = new OggOpusWriter(file, sampleRate, 1, 0x5EED, ["CALL=gw.radio0.ts1.20261129T220000.000Z.3120101"]))
        {
            // Written in odd-sized pieces, as capture delivers them.
            var tone = Enumerable.Range(0, samples).Select(i => (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / sampleRate))).ToArray();
            for (var at = 0; at < tone.Length; at += 777)
            {
                writer.Write(tone.AsSpan(at, Math.Min(777, tone.Length - at)));
            }

            Assert.Equal(seconds, writer.Duration.TotalSeconds, 3);
        }

        var wav = Path.Combine(_directory, "decoded.wav");
        using (var decoder = ExternalTool.Start(opusdec, ["--rate", "48000", path, wav]))
        {
            await decoder.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(decoder.Process.ExitCode == 0, decoder.Output);
            Assert.DoesNotContain("rror", decoder.Output, StringComparison.Ordinal);
        }

        using var reader = new WaveFileReader(wav);
        // opusdec trims the pre-skip and ends at the last page's granule position: the input length within one 20 ms frame.
        Assert.InRange(reader.TotalTime.TotalSeconds, seconds - 0.02, seconds + 0.02);
        var buffer = new byte[reader.Length];
        var read = reader.Read(buffer, 0, buffer.Length);
        var peak = Enumerable.Range(0, read / 2).Max(i => Math.Abs((int)BitConverter.ToInt16(buffer, i * 2)));
        Assert.InRange(peak, 4000, 12000);
    }
}
