using NAudio.Wave;
using RadioGateway.Audio.Recording;
using RadioGateway.Testing;

namespace RadioGateway.Audio.Tests;

/// <summary>Receive audio for recording tests: 20 ms blocks of tone or silence, and decoding by opusdec.</summary>
internal static class RecordingTestAudio
{
    public static readonly DateTimeOffset Origin = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Block <paramref name="index"/> (20 ms from <see cref="Origin"/>): a 1 kHz tone when <paramref name="loud"/>, else silence.</summary>
    public static AudioBlock Block(int index, int sampleRate, bool loud)
    {
        var frames = sampleRate / 50;
        var samples = new short[frames];
        if (loud)
        {
            for (var i = 0; i < frames; i++)
            {
                samples[i] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * ((index * frames) + i) / sampleRate));
            }
        }

        return new AudioBlock(Origin + (RecordingPipeline.BlockDuration * index), samples);
    }

    /// <summary>Decodes an Ogg Opus file with opusdec (libopus) at 48 kHz; returns the samples.</summary>
    public static async Task<short[]> DecodeAsync(string opus)
    {
        var opusdec = ExternalTool.Require("opusdec", "opus-tools");
        var wav = Path.ChangeExtension(opus, ".decoded.wav");
        using (var decoder = ExternalTool.Start(opusdec, ["--rate", "48000", opus, wav]))
        {
            await decoder.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(decoder.Process.ExitCode == 0, decoder.Output);
        }

        using var reader = new WaveFileReader(wav);
        var bytes = new byte[reader.Length];
        var read = reader.Read(bytes, 0, bytes.Length);
        File.Delete(wav);
        return [.. Enumerable.Range(0, read / 2).Select(i => BitConverter.ToInt16(bytes, i * 2))];
    }

    /// <summary>RMS of <paramref name="samples"/> from <paramref name="from"/> for <paramref name="count"/>.</summary>
    public static double Rms(short[] samples, int from, int count) =>
        Math.Sqrt(samples.Skip(from).Take(count).Select(s => (double)s * s).Average());
}
