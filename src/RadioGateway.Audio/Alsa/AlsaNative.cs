using System.Runtime.InteropServices;

namespace RadioGateway.Audio.Alsa;

/// <summary>
/// The few libasound calls the gateway needs (alsa-lib PCM "simple" API: open, set_params, readi/writei, drain,
/// close; name hints for listing). Chosen over a managed wrapper package: none is served, and these nine calls
/// are stable since alsa-lib 1.0.
/// </summary>
internal static partial class AlsaNative
{
    private const string Library = "libasound.so.2";

    public const int StreamPlayback = 0;
    public const int StreamCapture = 1;

    /// <summary>SND_PCM_FORMAT_S16_LE.</summary>
    public const int FormatS16Le = 2;

    /// <summary>SND_PCM_ACCESS_RW_INTERLEAVED.</summary>
    public const int AccessReadWriteInterleaved = 3;

    [LibraryImport(Library, EntryPoint = "snd_pcm_open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PcmOpen(out nint pcm, string name, int stream, int mode);

    [LibraryImport(Library, EntryPoint = "snd_pcm_open_lconf", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PcmOpenLocalConfig(out nint pcm, string name, int stream, int mode, nint config);

    [LibraryImport(Library, EntryPoint = "snd_pcm_set_params")]
    public static partial int PcmSetParams(nint pcm, int format, int access, uint channels, uint rate, int softResample, uint latencyMicroseconds);

    [LibraryImport(Library, EntryPoint = "snd_pcm_writei")]
    public static unsafe partial nint PcmWriteInterleaved(nint pcm, void* buffer, nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_readi")]
    public static unsafe partial nint PcmReadInterleaved(nint pcm, void* buffer, nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_recover")]
    public static partial int PcmRecover(nint pcm, int error, int silent);

    [LibraryImport(Library, EntryPoint = "snd_pcm_drain")]
    public static partial int PcmDrain(nint pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_close")]
    public static partial int PcmClose(nint pcm);

    [LibraryImport(Library, EntryPoint = "snd_strerror")]
    public static partial nint StrError(int error);

    [LibraryImport(Library, EntryPoint = "snd_config_top")]
    public static partial int ConfigTop(out nint config);

    [LibraryImport(Library, EntryPoint = "snd_config_load")]
    public static partial int ConfigLoad(nint config, nint input);

    [LibraryImport(Library, EntryPoint = "snd_config_delete")]
    public static partial int ConfigDelete(nint config);

    [LibraryImport(Library, EntryPoint = "snd_input_stdio_open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InputStdioOpen(out nint input, string file, string mode);

    [LibraryImport(Library, EntryPoint = "snd_input_close")]
    public static partial int InputClose(nint input);

    [LibraryImport(Library, EntryPoint = "snd_device_name_hint", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DeviceNameHint(int card, string iface, out nint hints);

    [LibraryImport(Library, EntryPoint = "snd_device_name_get_hint", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint DeviceNameGetHint(nint hint, string id);

    [LibraryImport(Library, EntryPoint = "snd_device_name_free_hint")]
    public static partial int DeviceNameFreeHint(nint hints);

    public static string Error(int code) => Marshal.PtrToStringUTF8(StrError(code)) ?? $"ALSA error {code}";
}
