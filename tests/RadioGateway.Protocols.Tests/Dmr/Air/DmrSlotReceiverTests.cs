using System.Buffers;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Dmr.Air;

public sealed class DmrSlotReceiverTests
{
    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_csbk.py test_single_csbk (DMRD bytes 20–52).
    private const string PreambleCsbkDmrd = "444d52440923383b0008fd0006690fe33391012951dd0c4d8bb40ac413a86c5094fdff57d75df5dcadfa1268aaa87b82b9d8291910003c";

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/transmission/test_transmission.py SMS_BURST: a preamble, the header, two blocks.
    private static readonly string[] SmsAcknowledgementBursts =
    [
        "55e105fbbde427040a68305294fdff57d75df5dcae42369824097da3bedb329255",
        "7abc3520240678e3a3436a8b55bdff57d75df5d55ed179b2304122624d0589a7bc",
        "430d22106233407c00b0219a55ddff57d75df5d6f1492a46d43d20c20b8291214b",
        "008a00da01b401400330180015ddff57d75df5d6f104025802700ae0250010001e",
    ];

    private const byte ColourCode = 1;
    private static readonly FullLinkControl Group101From3120101 = FullLinkControl.Voice(group: true, destination: 101, source: 3120101);

    private static SlotBurst DataBurst(int slot, DmrDataType type, Action<byte[]> writeInfo, byte colourCode = ColourCode)
    {
        var bytes = new byte[DmrBurst.Length];
        writeInfo(bytes);
        DmrBurst.WriteSlotType(bytes, colourCode, type);
        DmrBurst.WriteSync(bytes, DmrSyncPattern.MsSourcedData);
        return SlotBurst.Data(slot, bytes, type);
    }

    private static SlotBurst LinkControlBurst(FullLinkControl lc, DmrDataType type) => DataBurst(1, type, b => lc.WriteToBurst(b, type));

    /// <summary>Voice burst A–F (0–5); B–E carry the four fragments of <paramref name="embedded"/>, F a null fragment.</summary>
    private static SlotBurst VoiceBurst(int position, FullLinkControl? embedded, byte colourCode = ColourCode, int seed = 7)
    {
        var bytes = new byte[DmrBurst.Length];
        new Random(seed + position).NextBytes(bytes);
        if (position == 0)
        {
            DmrBurst.WriteSync(bytes, DmrSyncPattern.MsSourcedVoice);
            return SlotBurst.Voice(1, 0, bytes);
        }

        if (embedded is null || position == 5)
        {
            DmrBurst.WriteEmb(bytes, new Emb(colourCode, false, Lcss.SingleFragment));
            DmrBurst.WriteEmbeddedFragment(bytes, 0);
        }
        else
        {
            DmrBurst.WriteEmb(bytes, new Emb(colourCode, false, position switch { 1 => Lcss.FirstFragment, 4 => Lcss.LastFragment, _ => Lcss.Continuation }));
            DmrBurst.WriteEmbeddedFragment(bytes, EmbeddedLinkControl.Encode(embedded)[position - 1]);
        }

        return SlotBurst.Voice(1, position, bytes);
    }

    private static IEnumerable<SlotBurst> Superframe(FullLinkControl? embedded, byte colourCode = ColourCode) =>
        Enumerable.Range(0, 6).Select(position => VoiceBurst(position, embedded, colourCode));

    /// <summary>A group call with its header, a talker alias over three superframes, the voice LC between, and the terminator.</summary>
    private static List<SlotBurst> GroupCallWithAlias()
    {
        var alias = TalkerAlias.Encode("Team 1 Tehran");
        var bursts = new List<SlotBurst> { LinkControlBurst(Group101From3120101, DmrDataType.VoiceLcHeader) };
        bursts.AddRange(Superframe(Group101From3120101));
        foreach (var part in alias)
        {
            bursts.AddRange(Superframe(part));
            bursts.AddRange(Superframe(Group101From3120101));
        }

        bursts.Add(LinkControlBurst(Group101From3120101, DmrDataType.TerminatorWithLc));
        return bursts;
    }

    /// <summary>One line per item with the fields that say what it is.</summary>
    private static string Describe(SlotItem item) =>
        $"{item.Kind} pos {item.VoicePosition} err {item.BitErrors}/{item.BitsChecked} lc {item.LinkControl?.SourceId}>{item.LinkControl?.DestinationId} {item.LinkControl?.Opcode} "
        + $"late {item.LateEntry} alias {item.Alias} csbk {item.Csbk?.Name} header {item.DataHeader?.Format} packet {item.Packet?.IsIntact} {item.Service?.Kind} {item.Reason}";

    private static List<string> ReceiveAll(DmrSlotReceiver receiver, IEnumerable<SlotBurst> bursts)
    {
        var items = new List<string>();
        foreach (var burst in bursts)
        {
            var received = receiver.Receive(burst);
            Assert.InRange(received.Length, 1, 4);
            Assert.True(received[0].IsBurstItem);
            foreach (var item in received[1..])
            {
                Assert.False(item.IsBurstItem);
            }

            foreach (var item in received)
            {
                items.Add(Describe(item));
            }
        }

        return items;
    }

    [Fact]
    public void The_public_preamble_csbk_is_a_csbk_item_from_2308155_to_2301()
    {
        var burst = SlotBurst.FromAir(1, Hex.Parse(PreambleCsbkDmrd)[20..53]);
        Assert.True(burst.TryReadColourCode(out var colourCode));

        var item = Assert.Single(new DmrSlotReceiver(1, colourCode).Receive(burst).ToArray());

        Assert.Equal(SlotItemKind.Csbk, item.Kind);
        Assert.Equal((Csbk.Preamble, 2308155u, 2301u), (item.Csbk!.Opcode, item.Csbk.SourceId, item.Csbk.TargetId));
    }

    [Fact]
    public void The_public_sms_data_call_is_rebuilt_into_a_tms_acknowledgement_with_its_service_decoded()
    {
        var bursts = SmsAcknowledgementBursts.Select(hex => SlotBurst.FromAir(1, Convert.FromHexString(hex))).ToList();
        Assert.True(bursts[0].TryReadColourCode(out var colourCode));
        var receiver = new DmrSlotReceiver(1, colourCode);

        var items = bursts.SelectMany(b => receiver.Receive(b).ToArray()).ToList();

        Assert.Equal([SlotItemKind.Csbk, SlotItemKind.DataHeader, SlotItemKind.DataBlock, SlotItemKind.DataBlock, SlotItemKind.DataPacket], items.Select(i => i.Kind));
        var packet = items[^1];
        Assert.True(packet.Packet!.IsIntact);
        Assert.Equal((DataServiceKind.Tms, 4007), (packet.Service!.Kind, packet.Service.Port));
        Assert.Equal((TmsPduType.Acknowledgement, 7), (packet.Service.Tms!.Type, packet.Service.Tms.SequenceNumber));
        Assert.False(receiver.DataInProgress);
    }

    [Fact]
    public void A_group_call_gives_its_header_every_voice_burst_the_embedded_lc_the_alias_once_and_the_terminator()
    {
        var receiver = new DmrSlotReceiver(1, ColourCode);

        var items = new List<SlotItem>();
        foreach (var burst in GroupCallWithAlias())
        {
            items.AddRange(receiver.Receive(burst).ToArray());
        }

        Assert.Equal(SlotItemKind.VoiceHeader, items[0].Kind);
        Assert.Equal((3120101u, 101u, true), (items[0].LinkControl!.SourceId, items[0].LinkControl!.DestinationId, items[0].LinkControl!.IsGroupCall));
        Assert.Equal(DmrSlotReceiver.LinkControlBitsChecked, items[0].BitsChecked);
        var aliasParts = TalkerAlias.Encode("Team 1 Tehran").Count;
        Assert.Equal(6 * (1 + (2 * aliasParts)), items.Count(i => i.Kind == SlotItemKind.VoiceBurst));
        Assert.All(items.Where(i => i.Kind == SlotItemKind.VoiceBurst && i.VoicePosition > 0), i => Assert.Equal((0, DmrSlotReceiver.EmbBits), (i.BitErrors, i.BitsChecked)));
        var embedded = items.Where(i => i.Kind == SlotItemKind.EmbeddedLc).ToList();
        Assert.Equal(1 + aliasParts, embedded.Count);
        Assert.All(embedded, e => Assert.False(e.LateEntry));
        Assert.Equal("Team 1 Tehran", Assert.Single(items, i => i.Kind == SlotItemKind.TalkerAlias).Alias);
        Assert.Equal(SlotItemKind.Terminator, items[^1].Kind);
        Assert.False(receiver.CallInProgress);
    }

    [Fact]
    public void The_call_as_an_mmdvm_byte_stream_gives_the_same_items_whole_split_at_every_offset_and_byte_by_byte()
    {
        var call = GroupCallWithAlias().Take(14).Append(LinkControlBurst(Group101From3120101, DmrDataType.TerminatorWithLc)).ToList();
        var expected = ReceiveAll(new DmrSlotReceiver(1, ColourCode), call);
        var stream = call.SelectMany(b =>
        {
            var frame = MmdvmDmrFrame.FromSlotBurst(b);
            return MmdvmFrameWriter.ToArray(frame.Command, frame.EncodePayload());
        }).ToArray();

        foreach (var (label, chunks) in SplitInput.Chunkings(stream))
        {
            var frames = new MmdvmFrameBuffer();
            var receiver = new DmrSlotReceiver(1, ColourCode);
            var items = new List<string>();
            foreach (var chunk in chunks)
            {
                foreach (var read in frames.Add(chunk))
                {
                    Assert.True(MmdvmDmrFrame.TryReadBurst(read.Frame!.Value, out var burst, out var error), error);
                    items.AddRange(ReceiveAll(receiver, [burst]));
                }
            }

            Assert.True(expected.SequenceEqual(items), label);
        }
    }

    [Fact]
    public void An_embedded_lc_without_its_header_is_a_late_entry_once_and_a_new_talker_is_another()
    {
        var receiver = new DmrSlotReceiver(1, ColourCode);
        var other = FullLinkControl.Voice(group: true, destination: 101, source: 3120102);

        var items = Superframe(Group101From3120101).Concat(Superframe(Group101From3120101)).Concat(Superframe(other))
            .SelectMany(b => receiver.Receive(b).ToArray())
            .Where(i => i.Kind == SlotItemKind.EmbeddedLc)
            .ToList();

        Assert.Equal([true, false, true], items.Select(i => i.LateEntry));
        Assert.Same(items[0].LinkControl, items[1].LinkControl);
        Assert.Equal(3120102u, items[2].LinkControl!.SourceId);
    }

    [Fact]
    public void A_gps_info_lc_in_the_embedded_signalling_gives_the_position()
    {
        // TS 102 361-2 §7.1.1.3: position error 3 bits, longitude 25 bits × 360/2^25, latitude 24 bits × 180/2^24.
        var longitude = (long)Math.Round(51.389 * (1 << 25) / 360.0);
        var latitude = (long)Math.Round(-34.6037 * (1 << 24) / 180.0);
        var bits = (2UL << 49) | (((ulong)longitude & 0x1FFFFFF) << 24) | ((ulong)latitude & 0xFFFFFF);
        var lc = new byte[FullLinkControl.Length];
        lc[0] = (byte)Flco.GpsInfo;
        for (var i = 0; i < 7; i++)
        {
            lc[2 + i] = (byte)(bits >> (48 - (8 * i)));
        }

        var receiver = new DmrSlotReceiver(1, ColourCode);
        var gps = Superframe(new FullLinkControl(lc)).SelectMany(b => receiver.Receive(b).ToArray()).Single(i => i.Kind == SlotItemKind.GpsInfo).Gps!;

        Assert.Equal((-34.6037, 51.389, 200.0), (Math.Round(gps.Latitude, 4), Math.Round(gps.Longitude, 3), gps.AccuracyM!.Value));
    }

    [Fact]
    public void Bursts_of_another_colour_code_are_named_and_their_embedded_signalling_is_not_used()
    {
        var receiver = new DmrSlotReceiver(1, ColourCode);

        var header = receiver.Receive(DataBurst(1, DmrDataType.VoiceLcHeader, b => Group101From3120101.WriteToBurst(b, DmrDataType.VoiceLcHeader), colourCode: 7)).ToArray();
        var voice = Superframe(Group101From3120101, colourCode: 7).SelectMany(b => receiver.Receive(b).ToArray()).ToList();

        Assert.Equal((SlotItemKind.OtherColourCode, (byte?)7, (DmrDataType?)DmrDataType.VoiceLcHeader), (Assert.Single(header).Kind, header[0].ColourCode, header[0].DataType));
        Assert.All(voice, i => Assert.Equal(SlotItemKind.VoiceBurst, i.Kind));
        Assert.False(receiver.CallInProgress);
    }

    [Fact]
    public void Damaged_bursts_say_which_field_failed()
    {
        var receiver = new DmrSlotReceiver(1, ColourCode);
        var header = LinkControlBurst(Group101From3120101, DmrDataType.VoiceLcHeader).Bytes.ToArray();
        var slotType = (byte[])header.Clone();
        slotType[12] ^= 0x3F; // six of the slot type's first ten bits (bits 98–107): beyond Golay(20,8)
        var info = (byte[])header.Clone();
        for (var i = 0; i < 12; i++)
        {
            info[i] ^= 0xFF; // 96 bits of the first BPTC half: beyond BPTC(196,96)
        }

        var emb = VoiceBurst(2, Group101From3120101).Bytes.ToArray();
        emb[13] ^= 0x0F;
        emb[14] ^= 0xF0; // the EMB's first eight bits (108–115) all but flipped: beyond QR(16,7,6)

        Assert.Equal("slot type beyond Golay(20,8) correction", Assert.Single(receiver.Receive(SlotBurst.Data(1, slotType)).ToArray()).Reason);
        Assert.Equal("VoiceLcHeader beyond BPTC/RS correction", Assert.Single(receiver.Receive(SlotBurst.Data(1, info)).ToArray()).Reason);
        Assert.Contains("33 bytes", Assert.Single(receiver.Receive(SlotBurst.Data(1, new byte[20])).ToArray()).Reason, StringComparison.Ordinal);
        var voice = Assert.Single(receiver.Receive(SlotBurst.Voice(1, 2, emb)).ToArray());
        Assert.Equal(("EMB beyond QR(16,7,6) correction", 3, 16), (voice.Reason, voice.BitErrors, voice.BitsChecked));
    }

    [Fact]
    public void A_response_packet_is_an_item_of_its_own_naming_the_acknowledging_unit()
    {
        var ack = DataCallBursts.Acknowledgement(2, ColourCode, DmrSyncPattern.MsSourcedData, source: 3120102, target: 3120001, sendSequence: 3);

        var items = new DmrSlotReceiver(2, ColourCode).Receive(ack).ToArray();

        Assert.Equal([SlotItemKind.DataHeader, SlotItemKind.ResponsePacket], items.Select(i => i.Kind));
        Assert.True(items[1].Packet!.Header.IsAcknowledgement);
        Assert.Equal(3120102u, items[1].Packet!.Header.Source);
    }

    [Fact]
    public void A_data_call_sent_by_the_gateway_is_rebuilt_with_its_lrrp_request()
    {
        var payload = new ArrayBufferWriter<byte>();
        Lrrp.WriteImmediateRequest(payload, [0x00, 0x00, 0x00, 0x2A]);
        var bursts = DataCallBursts.Udp(1, ColourCode, DmrSyncPattern.BsSourcedData, 3120001, 3120101, groupTarget: false, Lrrp.Port, payload.WrittenSpan, identification: 42, confirmed: true);
        var receiver = new DmrSlotReceiver(1, ColourCode);

        var packet = bursts.SelectMany(b => receiver.Receive(b).ToArray()).Single(i => i.Kind == SlotItemKind.DataPacket);

        Assert.Equal(DataPacketFormat.Confirmed, packet.Packet!.Header.Format);
        Assert.Equal((DataServiceKind.Lrrp, LrrpDocument.ImmediateRequest, "0000002A"), (packet.Service!.Kind, packet.Service.Lrrp!.Document, packet.Service.Lrrp.RequestIdHex));
    }

    [Fact]
    public void The_voice_path_allocates_nothing_once_a_call_is_running()
    {
        var receiver = new DmrSlotReceiver(1, ColourCode);
        var superframes = Superframe(Group101From3120101).Concat(Superframe(TalkerAlias.Encode("Team 1")[0])).ToArray();
        foreach (var burst in superframes)
        {
            receiver.Receive(burst);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var repeat = 0; repeat < 100; repeat++)
        {
            foreach (var burst in superframes)
            {
                receiver.Receive(burst);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Random_and_mangled_bursts_never_throw_and_every_burst_gives_one_burst_item_first()
    {
        var random = new Random(20261129);
        var valid = GroupCallWithAlias()
            .Concat(SmsAcknowledgementBursts.Select(hex => SlotBurst.FromAir(1, Convert.FromHexString(hex))))
            .Concat(DataCallBursts.Udp(1, ColourCode, DmrSyncPattern.MsSourcedData, 1, 2, false, 4007, new byte[300], 1))
            .ToArray();
        var receiver = new DmrSlotReceiver(1, ColourCode);
        for (var i = 0; i < 20_000; i++)
        {
            SlotBurst burst;
            if (i % 2 == 0)
            {
                var bytes = new byte[random.Next(3) == 0 ? random.Next(0, 40) : DmrBurst.Length];
                random.NextBytes(bytes);
                burst = new SlotBurst(1, (BurstSync)random.Next(3), random.Next(-1, 6), bytes);
            }
            else
            {
                var template = valid[random.Next(valid.Length)];
                var bytes = template.Bytes.ToArray();
                for (var flips = random.Next(0, 12); flips > 0; flips--)
                {
                    var bit = random.Next(bytes.Length * 8);
                    bytes[bit >> 3] ^= (byte)(0x80 >> (bit & 7));
                }

                burst = template with { Bytes = bytes };
            }

            ReceiveAll(receiver, [burst]);
        }
    }

    [Fact]
    public void A_garbled_mmdvm_stream_never_throws_between_the_frame_reader_and_the_receivers()
    {
        var random = new Random(4242);
        var valid = GroupCallWithAlias().SelectMany(b =>
        {
            var frame = MmdvmDmrFrame.FromSlotBurst(b);
            return MmdvmFrameWriter.ToArray(frame.Command, frame.EncodePayload());
        }).ToArray();
        var receivers = new[] { new DmrSlotReceiver(1, ColourCode), new DmrSlotReceiver(2, ColourCode) };
        var frames = new MmdvmFrameBuffer();
        for (var round = 0; round < 200; round++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(0, 64); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            foreach (var chunk in bytes.Chunk(random.Next(1, 200)))
            {
                foreach (var read in frames.Add(chunk))
                {
                    if (read.Frame is { } frame && MmdvmDmrFrame.TryReadBurst(frame, out var burst, out _))
                    {
                        ReceiveAll(receivers[burst.Slot - 1], [burst]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Blocks_without_a_header_are_not_kept_and_a_header_announcing_the_most_blocks_completes_after_them()
    {
        var receiver = new DmrSlotReceiver(1, ColourCode);
        var block = DataBurst(1, DmrDataType.Rate12Data, b => DmrBurst.WriteBptcInfo(b, new byte[12]));
        for (var i = 0; i < 1_000; i++)
        {
            Assert.Equal(SlotItemKind.DataBlock, Assert.Single(receiver.Receive(block).ToArray()).Kind);
        }

        Assert.False(receiver.DataInProgress);
        var (header, _) = DataPacketEncoder.Rate12(new byte[DataPacketEncoder.MaxUserData(confirmed: false)], ServiceAccessPoint.IpPacketData, 1, 2, isGroup: false, confirmed: false);
        Assert.Equal(SlotItemKind.DataHeader, Assert.Single(receiver.Receive(DataBurst(1, DmrDataType.DataHeader, b => DmrBurst.WriteBptcInfo(b, header))).ToArray()).Kind);
        Assert.True(receiver.DataInProgress);
        var last = Array.Empty<SlotItem>();
        for (var i = 0; i < DataCallAssembler.MaxBlocks; i++)
        {
            last = receiver.Receive(block).ToArray();
        }

        Assert.Equal(DataCallAssembler.MaxBlocks, DataHeader.Decode(header, out _)!.BlocksToFollow);

        Assert.Equal(SlotItemKind.DataPacket, last[^1].Kind);
        Assert.False(receiver.DataInProgress);
    }
}
