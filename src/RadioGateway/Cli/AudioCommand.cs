using System.CommandLine;
using RadioGateway.Audio.Alsa;

namespace RadioGateway.Cli;

/// <summary><c>radiogw audio devices</c> — the sound devices this machine offers, by the names <c>audio.device</c> takes.</summary>
public static class AudioCommand
{
    public static Command Create()
    {
        var devices = new Command("devices", "List the ALSA PCM names (Linux) or WinMM device names (Windows) a hardware profile's audio.device can name");
        devices.SetAction(_ =>
        {
            if (OperatingSystem.IsWindows())
            {
                foreach (var (name, direction) in Audio.Windows.WinMmDevices.List())
                {
                    Console.WriteLine($"{name}\t{direction}");
                }

                return 0;
            }

            if (!OperatingSystem.IsLinux())
            {
                Console.Error.WriteLine("radiogw: audio devices are listed through ALSA on Linux and WinMM on Windows");
                return 1;
            }

            IReadOnlyList<(string Name, string? Description, string? Direction)> found;
            try
            {
                found = AlsaPcm.Devices();
            }
            catch (Exception e) when (e is IOException or DllNotFoundException)
            {
                Console.Error.WriteLine($"radiogw: cannot list ALSA devices: {e.Message} (apt-get install libasound2)");
                return 1;
            }

            foreach (var (name, description, direction) in found)
            {
                // IOID absent means both directions (alsa-lib snd_device_name_get_hint).
                Console.WriteLine($"{name}\t{direction ?? "Input+Output"}\t{description}");
            }

            return 0;
        });
        return new Command("audio", "Sound devices for recordings and announcements") { devices };
    }
}
