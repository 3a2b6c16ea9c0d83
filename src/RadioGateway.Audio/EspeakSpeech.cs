using System.Diagnostics;
using RadioGateway.Core.Announcements;

namespace RadioGateway.Audio;

/// <summary>Speaks text into a WAV file with <c>espeak-ng</c> (voices <c>fa</c> Persian, <c>en</c> English, …).</summary>
public static class EspeakSpeech
{
    public static readonly string[] Voices = ["fa", "en"];

    /// <exception cref="IOException">espeak-ng is missing or failed; the message says which and how to install it.</exception>
    public static async Task<AudioClip> SpeakAsync(string text, string voice, string wavPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var info = new ProcessStartInfo("espeak-ng") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        // The text goes on stdin, never on the command line: no quoting, any length, any script.
        foreach (var argument in new[] { "-v", voice, "-w", wavPath, "--stdin" })
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new IOException("espeak-ng did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"espeak-ng is not installed ({e.Message}); apt-get install espeak-ng", e);
        }

        using (process)
        {
            await process.StandardInput.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            var errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0 || !File.Exists(wavPath))
            {
                throw new IOException($"espeak-ng -v {voice} failed (exit {process.ExitCode}): {errors.Trim()}");
            }
        }

        return WavClips.Open(wavPath);
    }
}
