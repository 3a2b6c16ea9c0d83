using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Dmr;

public sealed class Layer2Tests
{
    /// <summary>The 33-byte burst inside a Homebrew DMRD packet (20-byte header, burst, BER, RSSI).</summary>
    private static byte[] BurstOfDmrd(string hex) => Hex.Parse(hex)[20..53];

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/test_burst.py
    private const string MsVoiceBurst = "444d5244192807220000090028072290864b516baded847205ae0062959308849047f7d5dd57dfd9537a101efe3ed4206e153827e70139";
    private const string BsDataCsbkCc5 = "444d52440223383b2338630006690f632e40c70153df0a83b7a8282c2509625014fdff57d75df5dcadde429028c87ae3341e24191c003c";
    private const string EmbeddedCc1Lcss3 = "444d52440320baef0000090020baef8100000001b9e881526173002a6bb9e8815261303000a0391173002a6bb9e881526173002a6b3334";

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_csbk.py test_single_csbk
    private const string PreambleCsbkBurst = "444d52440923383b0008fd0006690fe33391012951dd0c4d8bb40ac413a86c5094fdff57d75df5dcadfa1268aaa87b82b9d8291910003c";

    [Fact]
    public void Sync_patterns_of_public_bursts_are_recognised()
    {
        Assert.Equal(DmrSyncPattern.MsSourcedVoice, DmrBurst.FindSync(BurstOfDmrd(MsVoiceBurst)));
        Assert.Equal(DmrSyncPattern.BsSourcedData, DmrBurst.FindSync(BurstOfDmrd(BsDataCsbkCc5)));
        Assert.Equal(DmrSyncPattern.None, DmrBurst.FindSync(BurstOfDmrd(EmbeddedCc1Lcss3)));
    }

    [Fact]
    public void A_sync_with_a_few_bit_errors_is_found_only_within_the_tolerance()
    {
        var burst = BurstOfDmrd(BsDataCsbkCc5);
        burst[14] ^= 0x41;

        Assert.Equal(DmrSyncPattern.None, DmrBurst.FindSync(burst));
        Assert.Equal(DmrSyncPattern.BsSourcedData, DmrBurst.FindSync(burst, maxBitErrors: 2));
    }

    [Fact]
    public void Slot_type_of_a_public_csbk_burst_is_colour_code_5_csbk()
    {
        Assert.True(DmrBurst.TryReadSlotType(BurstOfDmrd(BsDataCsbkCc5), out var cc, out var type, out var corrected));

        Assert.Equal(5, cc);
        Assert.Equal(DmrDataType.Csbk, type);
        Assert.Equal(0, corrected);
    }

    [Fact]
    public void Emb_of_a_public_embedded_burst_is_colour_code_1()
    {
        // The EMB bits are 0001 0 01 110010001: CC 1, PI 0, LCSS 01 (first fragment, TS 102 361-1 §9.3.3)
        // and a QR(16,7,6) parity that checks. ok-dmrlib's test comment reads "LCSS 3" for this burst; the
        // standard's field layout (§9.1.2) gives 1.
        Assert.True(DmrBurst.TryReadEmb(BurstOfDmrd(EmbeddedCc1Lcss3), out var emb, out var corrected));

        Assert.Equal(new Emb(1, false, Lcss.FirstFragment), emb);
        Assert.Equal(0, corrected);
    }

    [Fact]
    public void Public_preamble_csbk_decodes_to_target_and_source()
    {
        var info = new byte[12];
        Assert.True(DmrBurst.ReadBptcInfo(BurstOfDmrd(PreambleCsbkBurst), info) >= 0);

        var csbk = Csbk.Decode(info, out var error);

        Assert.NotNull(csbk);
        Assert.Null(error);
        Assert.True(csbk.LastBlock);
        Assert.Equal(Csbk.Preamble, csbk.Opcode);
        Assert.Equal("preamble", csbk.Name);
        Assert.Equal(0, csbk.FeatureSetId);
        Assert.Equal(2301u, csbk.TargetId);
        Assert.Equal(2308155u, csbk.SourceId);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_csbk.py test_csbk (96-bit CSBK PDUs)
    [Theory]
    [InlineData("101111010000000000000000000000010000000000000001100110100000000000000001100111000101011011001110", 0x3D)]
    [InlineData("100001110000000000000001010000010000000000000000001010000000000000000000000100010011000001010111", 0x07)]
    [InlineData("101110000000000000000000000000000000000000000000011001010000000000000000110010101100010000101111", 0x38)]
    [InlineData("100001000000000000000000000000000000010011100011101001000000010011100011100100011110101000011010", 0x04)]
    [InlineData("100001010000000000000000001000000000010011100011100100010000010011100011101001000001110111110011", 0x05)]
    [InlineData("101001100000000011000100001000010000011001101001111000000000011001101001110101100011011001110101", 0x26)]
    public void Public_csbk_pdus_pass_their_crc_and_round_trip(string bits, byte opcode)
    {
        var bytes = Enumerable.Range(0, 12).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();

        var csbk = Csbk.Decode(bytes, out _);

        Assert.NotNull(csbk);
        Assert.Equal(opcode, csbk.Opcode);
        Assert.Equal(bytes, Csbk.Create(csbk.Opcode, csbk.FeatureSetId, csbk.Bytes[2..10], csbk.LastBlock).Bytes.ToArray());
    }

    // NACK_Rsp (TS 102 361-2 §7.1.2, NACK_Rsp PDU): AI, source type, service type, reason code, then the
    // SOURCE address (octets 4–6) before the TARGET address (octets 7–9) — the reverse of UU_V_Req/Pre_CSBK.
    // Vector: OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_csbk.py test_csbk ("negative acknowledgement
    // response"), which its csbk.py decodes as source 420320, target 420310.
    [Fact]
    public void Nack_response_reads_the_source_before_the_target()
    {
        var bits = "101001100000000011000100001000010000011001101001111000000000011001101001110101100011011001110101";
        var bytes = Enumerable.Range(0, 12).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();

        var csbk = Csbk.Decode(bytes, out _);

        Assert.NotNull(csbk);
        Assert.Equal(Csbk.NegativeAcknowledge, csbk.Opcode);
        Assert.Equal(420320u, csbk.SourceId);
        Assert.Equal(420310u, csbk.TargetId);
        Assert.Equal(0x21, csbk.ReasonCode);
        Assert.Equal(0x04, csbk.NackedServiceType);
        Assert.Equal(bytes, Csbk.NegativeAcknowledgeResponse(0x04, 0x21, msSourced: true, source: 420320, target: 420310).Bytes.ToArray());
    }

    [Fact]
    public void A_csbk_with_a_wrong_crc_is_rejected_naming_the_octet()
    {
        var bytes = Csbk.Addressed(Csbk.RadioCheck, 0x10, 3120101, 3120001).Bytes.ToArray();
        bytes[11] ^= 1;

        Assert.Null(Csbk.Decode(bytes, out var error));
        Assert.Contains("octet 10", error, StringComparison.Ordinal);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_full_link_control.py test_embedded_lc
    [Theory]
    [InlineData("0300030a0f0006060f033a030c393530", true, 2145007u, 6u)]
    [InlineData("03000a03060906060f03030a05000c09", true, 2145007u, 9u)]
    [InlineData("0a00030a170a06050c11220005223f3a", true, 2145016u, 2149u)]
    [InlineData("0a00030a170906060f12110305120f0a", true, 2145007u, 2149u)]
    [InlineData("09001d17271e81b730060c9a9a8e09b1", false, 250997u, 2504105u)]
    public void Public_embedded_lc_decodes_to_the_call(string hex, bool group, uint source, uint destination)
    {
        var lc = EmbeddedLinkControl.Decode(Fragments(hex), out var corrected, out var error);

        Assert.True(lc is not null, error);
        Assert.Equal(0, corrected);
        Assert.Equal(group, lc.IsGroupCall);
        Assert.Equal(source, lc.SourceId);
        Assert.Equal(destination, lc.DestinationId);
        Assert.Equal(Fragments(hex), EmbeddedLinkControl.Encode(lc));
    }

    [Fact]
    public void Embedded_lc_assembler_takes_fragments_in_lcss_order_and_corrects_one_bit_per_row()
    {
        var fragments = Fragments("0300030a0f0006060f033a030c393530");
        fragments[2] ^= 0x00800000; // position 72: row 1, column 10
        var assembler = new EmbeddedLcAssembler();

        Assert.Null(assembler.Add(Lcss.FirstFragment, fragments[0], out _));
        Assert.Null(assembler.Add(Lcss.Continuation, fragments[1], out _));
        Assert.Null(assembler.Add(Lcss.Continuation, fragments[2], out _));
        var lc = assembler.Add(Lcss.LastFragment, fragments[3], out var error);

        Assert.True(lc is not null, error);
        Assert.Equal(2145007u, lc.SourceId);
    }

    [Fact]
    public void Embedded_lc_assembler_restarts_when_a_fragment_is_missing()
    {
        var fragments = Fragments("0300030a0f0006060f033a030c393530");
        var assembler = new EmbeddedLcAssembler();

        assembler.Add(Lcss.FirstFragment, fragments[0], out _);
        assembler.Add(Lcss.Continuation, fragments[1], out _);

        Assert.Null(assembler.Add(Lcss.LastFragment, fragments[3], out _));
    }

    [Fact]
    public void Embedded_lc_with_two_errors_in_a_row_is_rejected()
    {
        var fragments = Fragments("0300030a0f0006060f033a030c393530");
        // positions 0 and 8 are row 1, columns 1 and 2
        fragments[0] ^= 0x80800000;

        Assert.Null(EmbeddedLinkControl.Decode(fragments, out _, out var error));
        Assert.Contains("row 1", error, StringComparison.Ordinal);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_full_link_control.py test_assemble_talker_alias
    [Fact]
    public void Public_talker_alias_assembles_to_R4WBP_Dmitrii()
    {
        var assembler = new TalkerAliasAssembler();
        string? alias = null;
        foreach (var hex in new[] { "0400da00520034005748", "050000420050002000e0", "060044006d0069007408", "070000720069006900a8" })
        {
            alias = assembler.Add(new FullLinkControl(Hex.Parse(hex)[..9]));
        }

        Assert.Equal("R4WBP Dmitrii", alias);
    }

    [Theory]
    [InlineData("Team 7 Karaj")]
    [InlineData("تیم ۱۲ تهران")]
    [InlineData("مرکز هماهنگی")]
    [InlineData("A")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ01234")]
    public void Talker_alias_round_trips_with_blocks_in_any_order_after_the_header(string alias)
    {
        var lcs = TalkerAlias.Encode(alias);
        var assembler = new TalkerAliasAssembler();
        string? result = null;
        foreach (var lc in lcs.Take(1).Concat(lcs.Skip(1).Reverse()))
        {
            result = assembler.Add(lc);
        }

        Assert.Equal(alias, result);
    }

    [Fact]
    public void Voice_header_and_terminator_round_trip_through_a_burst_with_their_masks()
    {
        var lc = FullLinkControl.Voice(group: true, destination: 101, source: 3120101, emergency: true);
        var burst = new byte[DmrBurst.Length];
        lc.WriteToBurst(burst, DmrDataType.VoiceLcHeader);

        var decoded = FullLinkControl.FromBurst(burst, DmrDataType.VoiceLcHeader, out var corrected);
        Assert.NotNull(decoded);
        Assert.Equal(0, corrected);
        Assert.True(decoded.Emergency);
        Assert.Equal(101u, decoded.DestinationId);
        Assert.Equal(3120101u, decoded.SourceId);

        // A header read as a terminator fails the RS mask check or comes out different.
        var asTerminator = FullLinkControl.FromBurst(burst, DmrDataType.TerminatorWithLc, out _);
        Assert.True(asTerminator is null || !asTerminator.Bytes.SequenceEqual(lc.Bytes));
    }

    [Fact]
    public void Slot_type_and_emb_round_trip_and_survive_their_correctable_errors()
    {
        var burst = new byte[DmrBurst.Length];
        DmrBurst.WriteSlotType(burst, 12, DmrDataType.TerminatorWithLc);
        burst[12] ^= 0x07; // three errors in the first half of the slot type (bits 101–103)

        Assert.True(DmrBurst.TryReadSlotType(burst, out var cc, out var type, out var corrected));
        Assert.Equal((12, DmrDataType.TerminatorWithLc, 3), (cc, type, corrected));

        DmrBurst.WriteEmb(burst, new Emb(7, true, Lcss.FirstFragment));
        burst[13] ^= 0x03; // two errors in the EMB's first byte (bits 110–111)
        Assert.True(DmrBurst.TryReadEmb(burst, out var emb, out var embCorrected));
        Assert.Equal((new Emb(7, true, Lcss.FirstFragment), 2), (emb, embCorrected));
    }

    [Fact]
    public void Random_bursts_never_throw()
    {
        var random = new Random(11);
        var burst = new byte[DmrBurst.Length];
        var info = new byte[12];
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(burst);
            DmrBurst.FindSync(burst, 4);
            DmrBurst.TryReadSlotType(burst, out _, out _, out _);
            DmrBurst.TryReadEmb(burst, out _, out _);
            if (DmrBurst.ReadBptcInfo(burst, info) >= 0)
            {
                Csbk.Decode(info, out _);
            }

            FullLinkControl.FromBurst(burst, DmrDataType.VoiceLcHeader, out _);
            EmbeddedLinkControl.Decode([(uint)random.Next(), (uint)random.Next(), (uint)random.Next(), (uint)random.Next()], out _, out _);
            new TalkerAliasAssembler().Add(new FullLinkControl(burst.AsSpan(0, 9)));
        }
    }

    private static uint[] Fragments(string hex)
    {
        var bytes = Hex.Parse(hex);
        return Enumerable.Range(0, 4).Select(i => (uint)((bytes[i * 4] << 24) | (bytes[(i * 4) + 1] << 16) | (bytes[(i * 4) + 2] << 8) | bytes[(i * 4) + 3])).ToArray();
    }

    [Fact]
    public void A_public_gps_info_lc_decodes_with_position_error_not_known()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_full_link_control.py test_embedded_lc (GPSInfo)
        var lc = EmbeddedLinkControl.Decode(Fragments("2100122d8d1b3318305a5c2debb7c92d"), out _, out var error);

        Assert.Null(error);
        var gps = Assert.IsType<GpsInfo>(lc!.Gps);
        Assert.Equal(7, gps.PositionError);
        Assert.Null(gps.AccuracyM);
        Assert.InRange(gps.Latitude, -90, 90);
        Assert.InRange(gps.Longitude, -180, 180);
    }

    [Theory]
    [InlineData(-33.8688, 151.2093)]
    [InlineData(-34.6037, -58.3816)]
    [InlineData(35.6892, 51.389)]
    public void Gps_info_fields_are_twos_complement_on_both_axes(double latitude, double longitude)
    {
        var bytes = new byte[9];
        bytes[0] = (byte)Flco.GpsInfo;
        var lon = (long)Math.Round(longitude * (1 << 25) / 360.0) & 0x1FFFFFF;
        var lat = (long)Math.Round(latitude * (1 << 24) / 180.0) & 0xFFFFFF;
        var bits = (1L << 49) | (lon << 24) | lat; // position error class 1: under 20 m
        for (var i = 0; i < 7; i++)
        {
            bytes[2 + i] = (byte)(bits >> (8 * (6 - i)));
        }

        var gps = new FullLinkControl(bytes).Gps!;

        Assert.Equal(latitude, gps.Latitude, 4);
        Assert.Equal(longitude, gps.Longitude, 4);
        Assert.Equal(20, gps.AccuracyM);
    }
}
