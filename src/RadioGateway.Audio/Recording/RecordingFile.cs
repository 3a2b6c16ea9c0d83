using NAudio.Wave;

namespace RadioGateway.Audio.Recording;

/// <summary>How recordings are encoded: Opus in Ogg (RFC 7845) or 16-bit PCM WAV.</summary>
public enum RecordingEncoding
{
    Opus,
    Wav,
}

/// <summary>
/// One recording being written: Opus in Ogg by <see cref="OggOpusWriter"/>, or WAV by NAudio. It is written under
/// <see cref="PartialExtension"/> and takes its name when closed, so retention never counts or removes a recording
/// still being written; a <c>.part</c> file left by a crash is removed by age.
/// </summary>
internal sealed class RecordingFile : IDisposable
{
    public const string PartialExtension = ".part";

    private readonly FileStream _file;
    private readonly OggOpusWriter? _opus;
    private readonly WaveFileWriter? _wav;
    private readonly int _channels;
    private bool _closed;

    public RecordingFile(string path, RecordingEncoding encoding, int sampleRate, int channels, string callId)
    {
        Path = path;
        _channels = channels;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new FileStream(path + PartialExtension, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        if (encoding == RecordingEncoding.Opus)
        {
            // RFC 7845 §5.2: user comments; the serial number only has to be unique within the (single-stream) file.
            _opus = new OggOpusWriter(_file, sampleRate, channels, (uint)callId.GetHashCode(StringComparison.Ordinal), [$"CALL={callId}"]);
        }
        else
        {
            _wav = new WaveFileWriter(_file, new WaveFormat(sampleRate, 16, channels));
        }
    }

    public string Path { get; }

    /// <summary>Sample frames written (samples per channel).</summary>
    public long Frames { get; private set; }

    public void Write(ReadOnlySpan<short> samples)
    {
        if (_opus is not null)
        {
            _opus.Write(samples);
        }
        else
        {
            _wav!.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples));
        }

        Frames += samples.Length / _channels;
    }

    /// <summary>Ends the stream (last Ogg page, WAV header lengths) and closes the file; returns its size.</summary>
    public long Finish()
    {
        if (_opus is not null)
        {
            _opus.Dispose();
        }
        else
        {
            _wav!.Flush();
        }

        var bytes = _file.Length;
        Dispose();
        return bytes;
    }

    public void Dispose()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _wav?.Dispose();
        _opus?.Dispose();
        _file.Dispose();
        File.Move(Path + PartialExtension, Path);
    }
}
