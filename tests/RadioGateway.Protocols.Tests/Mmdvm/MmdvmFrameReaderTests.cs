using System.Buffers;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Mmdvm;

public sealed class MmdvmFrameReaderTests
{
    // Host requests as MMDVMHost Modem.cpp writes them: GET_VERSION, GET_STATUS, SET_MODE(DMR).
    private const string GetVersion = "e00300";
    private const string GetStatus = "e00301";
    private const string SetModeDmr = "e0040302";

    // A DMR_DATA2 frame carrying the public CSBK burst of ok-dmrlib's test_burst.py (data sync, data type 3).
    private const string DmrDataCsbk = "e0271a43" + "53df0a83b7a8282c2509625014fdff57d75df5dcadde429028c87ae3341e24191c" + "0102030405";

    private static List<MmdvmFrame> ReadAll(ReadOnlySequence<byte> input, List<MmdvmSkip>? skips = null)
    {
        var reader = new MmdvmFrameReader();
        var frames = new List<MmdvmFrame>();
        while (true)
        {
            var result = reader.TryRead(ref input, out var frame, out var skip);
            if (result == MmdvmReadResult.NeedMoreData)
            {
                return frames;
            }

            if (result == MmdvmReadResult.Frame)
            {
                frames.Add(frame);
            }
            else
            {
                skips?.Add(skip);
            }
        }
    }

    /// <summary>Feeds chunks through the receive buffer as a stream read loop does.</summary>
    private static List<MmdvmFrame> ReadChunked(IReadOnlyList<byte[]> chunks, List<MmdvmSkip>? skips = null)
    {
        var buffer = new MmdvmFrameBuffer();
        var frames = new List<MmdvmFrame>();
        foreach (var chunk in chunks)
        {
            foreach (var item in buffer.Add(chunk))
            {
                if (item.Frame is { } frame)
                {
                    frames.Add(frame);
                }
                else
                {
                    skips?.Add(item.Skip!.Value);
                }
            }

            Assert.True(buffer.Pending <= MmdvmFrameReader.MaxFrameLength + 4, "buffered bytes stay bounded");
        }

        return frames;
    }

    [Theory]
    [InlineData(GetVersion, MmdvmCommand.GetVersion, "")]
    [InlineData(GetStatus, MmdvmCommand.GetStatus, "")]
    [InlineData(SetModeDmr, MmdvmCommand.SetMode, "02")]
    public void Host_requests_decode_whole_split_and_byte_by_byte(string hex, MmdvmCommand command, string payload)
    {
        foreach (var (label, sequence) in SplitInput.Sequences(Hex.Parse(hex)))
        {
            var frame = Assert.Single(ReadAll(sequence));
            Assert.True(frame.Command == command, label);
            Assert.Equal(payload, Hex.Format(frame.Payload.Span));
        }
    }

    [Fact]
    public void A_dmr_data_frame_decodes_in_every_chunking_with_its_rssi()
    {
        var bytes = Hex.Parse(DmrDataCsbk)[..^3];
        foreach (var (label, chunks) in SplitInput.Chunkings(bytes))
        {
            var frame = Assert.Single(ReadChunked(chunks));
            Assert.True(MmdvmDmrFrame.TryReadBurst(frame, out var burst, out var error), $"{label}: {error}");
            Assert.Equal((2, BurstSync.Data, (DmrDataType?)DmrDataType.Csbk), (burst.Slot, burst.Sync, burst.DataType));
            Assert.Equal(new Rssi(0x0102, RssiUnit.Raw), burst.Rssi);
            Assert.Equal(DmrBurst.Length, burst.Bytes.Length);
        }
    }

    [Fact]
    public void Writer_produces_the_golden_bytes()
    {
        Assert.Equal(GetVersion, Hex.Format(MmdvmFrameWriter.ToArray(MmdvmCommand.GetVersion, [])));
        Assert.Equal(SetModeDmr, Hex.Format(MmdvmFrameWriter.ToArray(MmdvmCommand.SetMode, [(byte)MmdvmMode.Dmr])));
    }

    [Fact]
    public void Long_frames_round_trip_through_the_e1_form()
    {
        var payload = Enumerable.Range(0, 400).Select(i => (byte)i).ToArray();
        var bytes = MmdvmFrameWriter.ToArray(MmdvmCommand.SerialData, payload);

        Assert.Equal(0xE1, bytes[0]);
        var frame = Assert.Single(ReadAll(new ReadOnlySequence<byte>(bytes)));
        Assert.Equal(payload, frame.Payload.ToArray());
    }

    [Fact]
    public void Garbage_between_frames_is_skipped_with_offset_and_reason()
    {
        var skips = new List<MmdvmSkip>();
        var bytes = Hex.Parse("0102 03" + GetVersion + "55aa" + GetStatus);

        var frames = ReadAll(new ReadOnlySequence<byte>(bytes), skips);

        Assert.Equal([MmdvmCommand.GetVersion, MmdvmCommand.GetStatus], frames.Select(f => f.Command));
        Assert.Equal([new MmdvmSkip(0, 3, "no frame start (0xE0/0xE1)"), new MmdvmSkip(6, 2, "no frame start (0xE0/0xE1)")], skips);
    }

    [Theory]
    [InlineData("e002", "shorter than its 3-byte header")]
    [InlineData("e00000", "shorter than its 3-byte header")]
    [InlineData("e1ffff00", "exceeds the 1024-byte limit")]
    public void Impossible_lengths_resynchronise_on_the_next_frame(string bad, string reason)
    {
        var skips = new List<MmdvmSkip>();
        var frames = ReadAll(new ReadOnlySequence<byte>(Hex.Parse(bad + GetStatus)), skips);

        Assert.Equal(MmdvmCommand.GetStatus, Assert.Single(frames).Command);
        Assert.Contains(skips, s => s.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_truncated_frame_waits_for_more_data_without_consuming()
    {
        var sequence = new ReadOnlySequence<byte>(Hex.Parse(DmrDataCsbk)[..20]);
        var reader = new MmdvmFrameReader();

        Assert.Equal(MmdvmReadResult.NeedMoreData, reader.TryRead(ref sequence, out _, out _));
        Assert.Equal(20, sequence.Length);
    }

    [Fact]
    public void Random_input_never_throws_and_never_buffers_more_than_one_frame()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 200; trial++)
        {
            var bytes = new byte[random.Next(1, 3000)];
            random.NextBytes(bytes);
            for (var i = 0; i < bytes.Length; i += random.Next(1, 50))
            {
                bytes[i] = random.Next(3) == 0 ? (byte)0xE0 : bytes[i];
            }

            var chunks = bytes.Chunk(random.Next(1, 64)).ToList();
            ReadChunked(chunks);
        }
    }

    [Fact]
    public void Typed_messages_round_trip()
    {
        var v1 = new MmdvmVersion(1, "MMDVM 20250101 (RadioGateway simulator)");
        Assert.Equal(v1, MmdvmVersion.Decode(v1.Encode(), out _));
        var v2 = new MmdvmVersion(2, "MMDVM_HS", 0x02, 0x00, 1, new string('A', 32));
        Assert.Equal(v2, MmdvmVersion.Decode(v2.Encode(), out _));

        foreach (byte protocol in new byte[] { 1, 2 })
        {
            var status = new MmdvmStatus(0x02, MmdvmMode.Dmr, 0x01, 10, 12);
            Assert.Equal(status, MmdvmStatus.Decode(status.Encode(protocol), protocol, out _));
            var config = new MmdvmConfig(true, false, true, true, 100, 50, 60, 7, 0);
            Assert.Equal(config, MmdvmConfig.Decode(config.Encode(protocol), protocol, out _));
        }

        var frequency = new MmdvmFrequency(438_975_000, 430_375_000, 255);
        Assert.Equal(frequency, MmdvmFrequency.Decode(frequency.Encode(), out _));
        Assert.Null(MmdvmFrequency.Decode([0, 1, 2], out var error));
        Assert.Contains("needs at least 10 bytes", error, StringComparison.Ordinal);
    }
}
