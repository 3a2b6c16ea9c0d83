using RadioGateway.Protocols.Dmr.Crc;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Dmr;

public sealed class DataCallTests
{
    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/transmission/test_transmission.py SMS_BURST: 16 preamble CSBKs, a data
    // header and two rate ½ unconfirmed blocks from 2308094 to 2308092, colour code 5 — a TMS acknowledgement.
    private static readonly string[] SmsBursts =
    [
        "55e105fbbde427040a68305294fdff57d75df5dcae42369824097da3bedb329255",
        "5585057bbcfc273c0e0938f094fdff57d75df5dcae8a163824c97d63b65b281251",
        "55c505f9bde025240c38b4b094fdff57d75df5dcaefa360864297ec3b39b211267",
        "45a10577bcf026340c69bcf294fdff57d75df5dcae2e579865b978c1b39f299a42",
        "45e105f5bdec242c0e5830b294fdff57d75df5dcae5e77a825597b61b65f209a74",
        "45850575bcf424140a39381094fdff57d75df5dcae96570825997ba1bedf3a1a70",
        "45c505f7bde8260c0808b45094fdff57d75df5dcaee6773865797801bb1f331a46",
        "45c4053dbcfc263c0839b0d294fdff57d75df5dcaeb216a8e5d97881b75b331a65",
        "458405bfbde024240a083c9294fdff57d75df5dcaec23698a5397b21b29b3a1a53",
        "45e0053fbcf8241c0e69343094fdff57d75df5dcae0a1638a5f97be1ba1b209a57",
        "45a005bdbde426040c58b87094fdff57d75df5dcae7a3608e5197841bfdb299a61",
        "45a7053fbd6c26240e19b4d294fdff57d75df5dcaeb25690e7987aa1bb1f381257",
        "45e705bdbc70243c0c28389294fdff57d75df5dcaec276a0a7787901bedf311261",
        "4583053dbd6824040849303094fdff57d75df5dcae0a5600a7b879c1b65f2b9265",
        "45c305bfbc74261c0a78bc7094fdff57d75df5dcae7a7630e7587a61b39f229253",
        "45c20575bd60262c0a49b8f294fdff57d75df5dcae2e17a067f87ae1bfdb229270",
        "7abc3520240678e3a3436a8b55bdff57d75df5d55ed179b2304122624d0589a7bc",
        "430d22106233407c00b0219a55ddff57d75df5d6f1492a46d43d20c20b8291214b",
        "008a00da01b401400330180015ddff57d75df5d6f104025802700ae0250010001e",
    ];

    /// <summary>Runs bursts through slot type, CSBK/header/BPTC and the assembler, as the modem adapter does.</summary>
    private static List<DataPacket> Assemble(IEnumerable<byte[]> bursts)
    {
        var assembler = new DataCallAssembler();
        var packets = new List<DataPacket>();
        Span<byte> info = stackalloc byte[12];
        foreach (var burst in bursts)
        {
            Assert.True(DmrBurst.TryReadSlotType(burst, out _, out var type, out _));
            var corrected = DmrBurst.ReadBptcInfo(burst, info);
            switch (type)
            {
                case DmrDataType.DataHeader:
                    var header = DataHeader.Decode(info, out var error) ?? throw new InvalidOperationException(error);
                    packets.AddRange(assembler.OnHeader(header));
                    break;
                case DmrDataType.Rate12Data:
                    if (assembler.OnRate12Block(info, corrected < 0) is { } packet)
                    {
                        packets.Add(packet);
                    }

                    break;
            }
        }

        return packets;
    }

    [Fact]
    public void The_public_19_burst_data_call_is_a_tms_acknowledgement_with_sequence_7()
    {
        var packet = Assert.Single(Assemble(SmsBursts.Select(Hex.Parse)));

        Assert.True(packet.IsIntact, packet.Problem);
        Assert.Equal((DataPacketFormat.Unconfirmed, ServiceAccessPoint.UdpIpCompressed, 2308094u, 2308092u, 10), (packet.Header.Format, packet.Header.Sap, packet.Header.Source, packet.Header.Destination, packet.Header.PadOctets));
        Assert.Equal("d6790062620003bf0007", Hex.Format(packet.UserData));
        var datagram = UdpOverDmr.Decode(packet.Header, packet.UserData, out var udpError)!;
        Assert.Null(udpError);
        Assert.Equal((2308094u, 2308092u, Tms.Port), (datagram.SourceId, datagram.DestinationId, datagram.DestinationPort));
        var ack = DecoderHarness.DecodeEveryWay<TmsMessage>(datagram.Payload, Tms.TryDecode);
        Assert.Equal((TmsPduType.Acknowledgement, (int?)7), (ack.Type, ack.SequenceNumber));
    }

    [Fact]
    public void Our_encoder_rebuilds_the_public_header_and_blocks_byte_for_byte()
    {
        var (header, blocks) = DataPacketEncoder.Rate12(Hex.Parse("d6790062620003bf0007"), ServiceAccessPoint.UdpIpCompressed, source: 2308094, destination: 2308092, isGroup: false, confirmed: false);

        string BurstOf(DmrDataType type, byte[] info)
        {
            var burst = new byte[33];
            DmrBurst.WriteSync(burst, DmrSyncPattern.BsSourcedData);
            DmrBurst.WriteSlotType(burst, 5, type);
            DmrBurst.WriteBptcInfo(burst, info);
            return Hex.Format(burst);
        }

        Assert.Equal(SmsBursts[16], BurstOf(DmrDataType.DataHeader, header));
        Assert.Equal([SmsBursts[17], SmsBursts[18]], blocks.Select(b => BurstOf(DmrDataType.Rate12Data, b)));
    }

    [Fact]
    public void A_block_with_a_flipped_bit_beyond_bptc_repair_is_reported_not_accepted()
    {
        var bursts = SmsBursts.Select(Hex.Parse).ToList();
        // 32 wrong info bits, far beyond BPTC(196,96) (minimum distance 9). The twelve scattered bits this test
        // flipped before are within reach of a decoder that corrects every row (TS 102 361-1 B.1.1).
        for (var bit = 0; bit < 32; bit++)
        {
            bursts[17][bit / 8] ^= (byte)(0x80 >> (bit % 8));
        }

        var packet = Assert.Single(Assemble(bursts));

        Assert.False(packet.IsIntact);
        Assert.Null(packet.UserData);
        Assert.Matches("beyond FEC repair|CRC-32", packet.Problem);
    }

    [Fact]
    public void A_header_arriving_before_the_blocks_of_the_previous_one_ends_that_packet_as_damaged()
    {
        var bursts = SmsBursts.Select(Hex.Parse).ToList();
        var packets = Assemble([.. bursts[16..18], .. bursts[16..]]);

        Assert.Equal(2, packets.Count);
        Assert.Contains("1 of 2 blocks", packets[0].Problem, StringComparison.Ordinal);
        Assert.True(packets[1].IsIntact);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 8)]
    [InlineData(false, 9)]
    [InlineData(true, 6)]
    [InlineData(true, 7)]
    [InlineData(true, 300)]
    public void Confirmed_and_unconfirmed_packets_of_any_length_round_trip_with_their_crcs(bool confirmed, int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i * 37)).ToArray();
        var (header, blocks) = DataPacketEncoder.Rate12(data, ServiceAccessPoint.IpPacketData, 3120101, 9, isGroup: true, confirmed);
        var assembler = new DataCallAssembler();

        Assert.Empty(assembler.OnHeader(DataHeader.Decode(header, out _)!));
        var packet = blocks.Select(b => assembler.OnRate12Block(b, false)).ToList()[^1];

        Assert.NotNull(packet);
        Assert.True(packet.IsIntact, packet.Problem);
        Assert.Equal(data, packet.UserData);
    }

    // FSN (TS 102 361-1 §9.3, Fragment Sequence Number element of C_HEAD/U_HEAD): its most significant bit marks
    // the last fragment, so a confirmed packet in one fragment carries FSN 1000. The confirmed header a radio sent
    // in ok-dmrlib's test_data_header.py ("434e2337fe2337fc84781bd1", octet 9 = 0x78) carries exactly that, and
    // ok-dmrlib's fragment_sequence_number.py names 0b1000 "confirmed data single fragment", 0b0000 the unconfirmed one.
    [Fact]
    public void A_confirmed_single_fragment_header_sets_the_last_fragment_flag()
    {
        var (confirmedHeader, _) = DataPacketEncoder.Rate12(new byte[20], ServiceAccessPoint.IpPacketData, 2308092, 2308094, isGroup: false, confirmed: true);
        var (unconfirmedHeader, _) = DataPacketEncoder.Rate12(new byte[20], ServiceAccessPoint.IpPacketData, 2308092, 2308094, isGroup: false, confirmed: false);

        Assert.Equal(0b1000, DataHeader.Decode(confirmedHeader, out _)!.FragmentSequence);
        Assert.True(DataHeader.Decode(confirmedHeader, out _)!.LastFragment);
        Assert.Equal(0b0000, DataHeader.Decode(unconfirmedHeader, out _)!.FragmentSequence);
        Assert.True(DataHeader.Decode(Hex.Parse("434e2337fe2337fc84781bd1"), out _)!.LastFragment);
    }

    [Fact]
    public void A_confirmed_block_whose_crc9_fails_is_named_with_its_serial_number()
    {
        var (header, blocks) = DataPacketEncoder.Rate12(new byte[30], ServiceAccessPoint.IpPacketData, 1, 2, isGroup: false, confirmed: true);
        blocks[1][5] ^= 0x10;
        var assembler = new DataCallAssembler();
        assembler.OnHeader(DataHeader.Decode(header, out _)!);

        var packet = blocks.Select(b => assembler.OnRate12Block(b, false)).ToList()[^1]!;

        Assert.Contains("block 1 (serial 1) CRC-9", packet.Problem, StringComparison.Ordinal);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_data_header.py test_data_headers and test_kairos_header
    [Theory]
    [InlineData("023a2337fc2337fe820081a3", DataPacketFormat.Unconfirmed, ServiceAccessPoint.UdpIpCompressed, 2308094u, 2308092u, 2)]
    [InlineData("01402337fc2337fe000ff83a", DataPacketFormat.Response, ServiceAccessPoint.IpPacketData, 2308094u, 2308092u, 0)]
    [InlineData("434e2337fe2337fc84781bd1", DataPacketFormat.Confirmed, ServiceAccessPoint.IpPacketData, 2308092u, 2308094u, 4)]
    [InlineData("4da123386323383b05005757", DataPacketFormat.ShortDataDefined, ServiceAccessPoint.ShortData, 2308155u, 2308195u, 1)]
    [InlineData("800500010627fce7001bacaf", DataPacketFormat.UnifiedDataTransport, ServiceAccessPoint.UnifiedDataTransport, 2620647u, 262u, 1)]
    [InlineData("8DA30000010008350100B731", DataPacketFormat.ShortDataDefined, ServiceAccessPoint.ShortData, 2101u, 1u, 3)]
    public void Public_data_headers_decode_in_every_format(string hex, DataPacketFormat format, ServiceAccessPoint sap, uint source, uint destination, int blocks)
    {
        var header = DataHeader.Decode(Hex.Parse(hex), out var error);

        Assert.Null(error);
        Assert.Equal((format, sap, source, destination, blocks), (header!.Format, header.Sap, header.Source, header.Destination, header.BlocksToFollow));
    }

    [Fact]
    public void Public_header_fields_beyond_addresses_decode()
    {
        Assert.Equal(5, DataHeader.Decode(Hex.Parse("800500010627fce7001bacaf"), out _)!.UdtFormat); // LocationNMEA
        Assert.True(DataHeader.Decode(Hex.Parse("434e2337fe2337fc84781bd1"), out _)!.ResponseRequested);
        Assert.Equal(1, DataHeader.Decode(Hex.Parse("4da123386323383b05005757"), out _)!.DefinedDataFormat); // BCD
        // ok-dmrlib flags this one "CRC INVALID".
        Assert.Null(DataHeader.Decode(Hex.Parse("8DA000000100000101002B97"), out var error));
        Assert.Contains("CRC at byte 10", error, StringComparison.Ordinal);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/crc/test_crc32.py
    [Theory]
    [InlineData("d6790062620003bf000700000000000000000000", "210b9a3d")]
    [InlineData("45000038fb410000401125490c23380b0d0008fd0fa10fa10024276a0d1a22047fffffff694728710f0a522c2d82534e6c0048564770402b", "82616528")]
    [InlineData("0600fb4f3d3f82afc6d80b42ce88668afc7d8b1807e83c308d95bb8be5dd59e95b2837e795af87005ae2a743535ca421601d", "c76ae25c")]
    public void Crc32_matches_public_packets(string data, string crcLittleEndian)
    {
        Assert.Equal(BitConverter.ToUInt32(Hex.Parse(crcLittleEndian)), DataCrc.Crc32(Hex.Parse(data)));
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/crc/test_crc9.py (rate ¾ confirmed blocks from a Hytera radio)
    [Theory]
    [InlineData("47004d00500054002e004a0047004100", 17, 459, null)]
    [InlineData("2e00570047005400500044002e004a00", 16, 138, null)]
    [InlineData("0100000101004d004d00470054002e00", 0, 409, null)]
    [InlineData("0001410048004f004a000000", 0, 447, "a197ccb4")]
    [InlineData("000000000000000000000000", 2, 312, "f486aed8")]
    public void Crc9_matches_public_blocks(string data, int serial, int crc9, string? crc32)
    {
        var bytes = Hex.Parse(data + (crc32 ?? ""));

        Assert.Equal(crc9, DataCrc.Crc9(bytes, (byte)serial, DataCrc.Rate34Mask));
    }

    [Fact]
    public void The_public_lrrp_ip_packet_decodes_as_udp_port_4001_from_radio_2308107()
    {
        // The IPv4 packet of the CRC-32 vector above: 12.35.56.11 → 13.0.8.253, UDP 4001 → 4001.
        var datagram = UdpOverDmr.DecodeIpv4(Hex.Parse("45000038fb410000401125490c23380b0d0008fd0fa10fa10024276a0d1a22047fffffff694728710f0a522c2d82534e6c0048564770402b"), out var error);

        Assert.Null(error);
        Assert.Equal((0x23380Bu, 0x0008FDu, 4001, 4001), (datagram!.SourceId, datagram.DestinationId, datagram.SourcePort, datagram.DestinationPort));
        var report = DecoderHarness.DecodeEveryWay<LrrpMessage>(datagram.Payload, Lrrp.TryDecode);
        Assert.InRange(report.Fix!.Latitude, 49.0, 51.5);
    }

    [Fact]
    public void Ipv4_we_write_decodes_and_a_bad_checksum_is_named()
    {
        var packet = UdpOverDmr.EncodeIpv4(3120101, 9, 4001, 4001, [1, 2, 3], identification: 7);
        Assert.Equal([1, 2, 3], UdpOverDmr.DecodeIpv4(packet, out _)!.Payload);

        packet[11] ^= 1;
        Assert.Null(UdpOverDmr.DecodeIpv4(packet, out var error));
        Assert.Contains("checksum at byte 10", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_blocks_and_headers_never_throw()
    {
        var random = new Random(7);
        var assembler = new DataCallAssembler();
        var block = new byte[12];
        for (var i = 0; i < 20000; i++)
        {
            random.NextBytes(block);
            if (i % 5 == 0 && DataHeader.Decode(block, out _) is { } header)
            {
                assembler.OnHeader(header);
            }
            else if (assembler.OnRate12Block(block, random.Next(10) == 0) is { UserData: { } data } packet)
            {
                UdpOverDmr.Decode(packet.Header, data, out _);
            }

            UdpOverDmr.DecodeIpv4(block, out _);
        }
    }

    [Theory]
    [InlineData(false, 100)]
    [InlineData(true, 100)]
    [InlineData(true, 12)]
    public void Rate34_packets_round_trip_through_trellis_bursts_with_their_crcs(bool confirmed, int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i * 13)).ToArray();
        var (header, blocks) = DataPacketEncoder.Rate34(data, ServiceAccessPoint.IpPacketData, 3120101, 3120001, isGroup: false, confirmed);
        var assembler = new DataCallAssembler();
        assembler.OnHeader(DataHeader.Decode(header, out _)!);
        DataPacket? packet = null;
        foreach (var block in blocks)
        {
            var burst = new byte[DmrBurst.Length];
            DmrBurst.WriteRate34Info(burst, block);
            burst[3] ^= 0x10; // one bit error the Viterbi decoder repairs
            var decoded = new byte[18];
            Assert.True(DmrBurst.ReadRate34Info(burst, decoded) > 0);
            packet = assembler.OnRate34Block(decoded, fecFailed: false);
        }

        Assert.True(packet!.IsIntact, packet.Problem);
        Assert.Equal(data, packet.UserData);
    }
}
