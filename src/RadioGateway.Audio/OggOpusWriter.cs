using System.Buffers;
using Concentus;
using Concentus.Enums;
using RadioGateway.Protocols.Ogg;

namespace RadioGateway.Audio;

/// <summary>
/// Writes 16-bit PCM as Opus in Ogg (RFC 7845): OpusHead and OpusTags pages, then one 20 ms Opus packet per page
/// with the granule position in 48 kHz samples including the pre-skip, the last page marked end of stream.
/// Encoded by Concentus (a managed Opus). Input rates Opus takes: 8, 12, 16, 24 or 48 kHz.
/// </summary>
public sealed class OggOpusWriter : IDisposable
{
    private readonly Stream _output;
    private readonly IOpusEncoder _encoder;
    private readonly int _sampleRate;
    private readonly int _channels;
    private readonly int _frameSamples;
    private readonly int _preSkip;
    private readonly uint _serial;
    private readonly short[] _pending;
    private readonly byte[] _packet = new byte[4000];
    private readonly ArrayBufferWriter<byte> _page = new();
    private int _pendingSamples;
    private uint _sequence;
    private long _granule;
    private bool _finished;
    private (byte[] Packet, long Granule)? _held;

    public OggOpusWriter(Stream output, int sampleRate, int channels, uint serial, IReadOnlyList<string> comments)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _sampleRate = sampleRate;
        _channels = channels;
        _serial = serial;
        _frameSamples = sampleRate / 50;
        _pending = new short[_frameSamples * channels];
        _encoder = OpusCodecFactory.CreateEncoder(sampleRate, channels, OpusApplication.OPUS_APPLICATION_VOIP);
        // RFC 7845 §4.2: pre-skip counts 48 kHz samples to drop at the start (the encoder's look-ahead).
        _preSkip = _encoder.Lookahead * (48000 / sampleRate);
        _granule = _preSkip;
        Page(OggPage.BeginningOfStream, 0, OpusHeaders.Identification(channels, _preSkip, sampleRate));
        Page(0, 0, OpusHeaders.Comments("RadioGateway (Concentus)", comments));
    }

    /// <summary>Audio written so far (whole 20 ms frames and the pending part).</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((_granule - _preSkip) / 48000.0 + (_pendingSamples / (double)_sampleRate));

    /// <summary>Appends interleaved 16-bit samples.</summary>
    public void Write(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, _pending.Length - (_pendingSamples * _channels));
            samples[..take].CopyTo(_pending.AsSpan(_pendingSamples * _channels));
            _pendingSamples += take / _channels;
            samples = samples[take..];
            if (_pendingSamples == _frameSamples)
            {
                EncodeFrame();
            }
        }
    }

    /// <summary>
    /// Encodes what is pending (padded with silence) and writes the last page marked end of stream; its granule
    /// position ends at the real last sample (RFC 7845 §4.4 end trimming).
    /// </summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        if (_pendingSamples > 0 || _held is null)
        {
            var real = _pendingSamples;
            _pending.AsSpan(_pendingSamples * _channels).Clear();
            _pendingSamples = _frameSamples;
            EncodeFrame(realSamples: real);
        }

        Page(OggPage.EndOfStream, _held!.Value.Granule, _held.Value.Packet);
        _held = null;
        _finished = true;
        _output.Flush();
    }

    // One packet is held back so that the last one can go out on a page marked end of stream.
    private void EncodeFrame(int? realSamples = null)
    {
        var length = _encoder.Encode(_pending, _frameSamples, _packet, _packet.Length);
        if (_held is { } previous)
        {
            Page(0, previous.Granule, previous.Packet);
        }

        _granule += (realSamples ?? _frameSamples) * (48000 / _sampleRate);
        _held = (_packet[..length], _granule);
        _pendingSamples = 0;
    }

    private void Page(byte headerType, long granule, ReadOnlySpan<byte> packet)
    {
        _page.ResetWrittenCount();
        OggPage.Write(_page, headerType, granule, _serial, _sequence++, packet);
        _output.Write(_page.WrittenSpan);
    }

    public void Dispose()
    {
        Finish();
        _encoder.Dispose();
    }
}
