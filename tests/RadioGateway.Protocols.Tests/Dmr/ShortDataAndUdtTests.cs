using RadioGateway.Protocols.Dmr.Crc;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Dmr;

/// <summary>Rate 1 blocks, short data, UDT and the CRC-9 bit order of confirmed blocks.</summary>
public sealed class ShortDataAndUdtTests
{
    private static DataPacket? Feed(DataCallAssembler assembler, byte[] header, IEnumerable<byte[]> blocks, Func<DataCallAssembler, byte[], DataPacket?> add)
    {
        var opened = assembler.OnHeader(DataHeader.Decode(header, out var error) ?? throw new InvalidOperationException(error));
        return opened.Count > 0 ? opened[^1] : blocks.Select(b => add(assembler, b)).ToList()[^1];
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_rate34_data.py test_rate34_conversion: a confirmed rate ¾
    // block (serial 0) starting an IPv4 header from 12.35.55.252. Its CRC-9 field reads 23 most significant bit
    // first, which is the CRC-9 of its data; least significant bit first it would read 464.
    [Fact]
    public void The_public_confirmed_block_carries_its_crc9_most_significant_bit_first()
    {
        const string bits = "000000000001011101000101000000000000000000101110111111111111111100000000000000000100000000010001111100100111111100001100001000110011011111111100";
        var block = Enumerable.Range(0, 18).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();

        var expected = DataCrc.Crc9(block.AsSpan(2), (byte)(block[0] >> 1), DataCrc.Rate34Mask);

        Assert.Equal(23, expected);
        Assert.Equal(expected, Crc9Field.Read(block, Crc9BitOrder.MsbFirst));
        Assert.NotEqual(expected, Crc9Field.Read(block, Crc9BitOrder.LsbFirst));
    }

    [Theory]
    [InlineData(Crc9BitOrder.MsbFirst)]
    [InlineData(Crc9BitOrder.LsbFirst)]
    public void Confirmed_packets_in_either_crc9_order_are_accepted_and_counted_by_the_order_that_matched(Crc9BitOrder order)
    {
        var data = Enumerable.Range(0, 61).Select(i => (byte)(i * 7)).ToArray();
        var (header, blocks) = DataPacketEncoder.Rate12(data, ServiceAccessPoint.IpPacketData, 3120101, 3120001, isGroup: false, confirmed: true, crc9Order: order);
        var assembler = new DataCallAssembler();

        var packet = Feed(assembler, header, blocks, (a, b) => a.OnRate12Block(b, false));

        Assert.True(packet!.IsIntact, packet.Problem);
        Assert.Equal(data, packet.UserData);
        Assert.Equal(order, packet.Crc9Order);
        Assert.Equal(order == Crc9BitOrder.MsbFirst ? (1L, 0L) : (0L, 1L), (assembler.MsbFirstCrc9Packets, assembler.LsbFirstCrc9Packets));
    }

    [Fact]
    public void Blocks_that_disagree_on_the_crc9_order_are_damaged()
    {
        var (header, msb) = DataPacketEncoder.Rate12(new byte[40], ServiceAccessPoint.IpPacketData, 1, 2, isGroup: false, confirmed: true);
        var (_, lsb) = DataPacketEncoder.Rate12(new byte[40], ServiceAccessPoint.IpPacketData, 1, 2, isGroup: false, confirmed: true, crc9Order: Crc9BitOrder.LsbFirst);
        var mixed = msb.Select((b, i) => i == 1 ? lsb[1] : b).ToList();

        var packet = Feed(new DataCallAssembler(), header, mixed, (a, b) => a.OnRate12Block(b, false))!;

        Assert.False(packet.IsIntact);
        Assert.Null(packet.Crc9Order);
        Assert.Contains("CRC-9", packet.Problem, StringComparison.Ordinal);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_rate1_data.py: rate 1 confirmed blocks (mask 0x10F).
    [Theory]
    [InlineData("534ce318038bf285569e781f0a26e8ccf56fac97e263", 1, 106)]
    [InlineData("2ae27cffe812a3eaa3c4213bc066dc7df953826afd58", 1, 285)]
    public void Crc9_of_rate1_blocks_matches_the_public_values(string data, int serial, int crc9)
    {
        Assert.Equal(crc9, DataCrc.Crc9(Hex.Parse(data), (byte)serial, DataCrc.Rate1Mask));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 100)]
    [InlineData(true, 19)]
    [InlineData(true, 300)]
    public void Rate1_packets_round_trip_through_bursts(bool confirmed, int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i * 11)).ToArray();
        var (header, blocks) = DataPacketEncoder.Rate1(data, ServiceAccessPoint.IpPacketData, 3120101, 3120001, isGroup: false, confirmed);
        var assembler = new DataCallAssembler();
        var burst = new byte[DmrBurst.Length];
        burst.AsSpan().Fill(0xFF);
        var read = new byte[Rate1Block.Length];

        var packet = Feed(assembler, header, blocks, (a, b) =>
        {
            Rate1Block.Write(burst, b);
            Rate1Block.Read(burst, read);
            return a.OnRate1Block(read);
        });

        Assert.True(packet!.IsIntact, packet.Problem);
        Assert.Equal(data, packet.UserData);
        Assert.Equal((0, 0), (burst[12] & 0xC0, burst[20] & 0x03)); // the 4 reserved information bits are written as 0
    }

    [Fact]
    public void A_rate1_block_with_a_flipped_bit_fails_its_crc()
    {
        var (header, blocks) = DataPacketEncoder.Rate1(new byte[50], ServiceAccessPoint.IpPacketData, 1, 2, isGroup: false, confirmed: true);
        blocks[0][9] ^= 0x04;

        var packet = Feed(new DataCallAssembler(), header, blocks, (a, b) => a.OnRate1Block(b))!;

        Assert.Contains("block 0 (serial 0) CRC-9", packet.Problem, StringComparison.Ordinal);
    }

    // A southern and western fix (Santiago de Chile) in the one-block NMEA-coded form of TS 102 361-4 UDT format 0101.
    [Fact]
    public void A_udt_nmea_location_decodes_to_a_position_with_its_signs_and_time()
    {
        var coded = ShortMessages.EncodeNmeaLocationShort(-33.4489, -70.6693, knots: 12, new TimeSpan(14, 5, 30));
        var (header, blocks) = DataPacketEncoder.UnifiedDataTransport(coded, (int)UdtFormat.NmeaLocation, udtOpcode: 0x1B, source: 2620647, destination: 262, isGroup: false);

        var packet = Feed(new DataCallAssembler(), header, blocks, (a, b) => a.OnRate12Block(b, false))!;
        var message = ShortMessages.DecodeUnifiedDataTransport(packet.Header, packet.UserData, out var error);

        Assert.True(packet.IsIntact, packet.Problem);
        Assert.Null(error);
        var fix = message!.Position!.Fix!;
        Assert.Equal(-33.4489, fix.Latitude, 4);
        Assert.Equal(-70.6693, fix.Longitude, 4);
        Assert.Equal(12 * 1.852, fix.SpeedKmh!.Value, 3);
        Assert.Equal(new TimeSpan(14, 5, 30), message.Position.TimeOfDay);
    }

    [Fact]
    public void An_encrypted_or_out_of_range_nmea_location_is_refused_naming_the_field()
    {
        var coded = ShortMessages.EncodeNmeaLocationShort(10, 20, 0, TimeSpan.Zero);
        coded[0] |= 0x80;
        Assert.Null(ShortMessages.DecodeNmeaLocation(coded, 1, out var encrypted));
        Assert.Contains("encrypted", encrypted, StringComparison.Ordinal);

        coded = ShortMessages.EncodeNmeaLocationShort(10, 20, 0, TimeSpan.Zero);
        coded[2] |= 0x3F; // latitude minutes (bits 18–23) = 63
        Assert.Null(ShortMessages.DecodeNmeaLocation(coded, 1, out var minutes));
        Assert.Contains("latitude minutes 63 at bit 18", minutes, StringComparison.Ordinal);

        Assert.Null(ShortMessages.DecodeNmeaLocation(coded.AsSpan(0, 9), 1, out var shortInput));
        Assert.Contains("needs 80 bits", shortInput, StringComparison.Ordinal);
    }

    [Fact]
    public void Udt_text_and_its_damaged_crc()
    {
        var text = "$GPRMC,081836,A,3751.65,S,14507.36,E,000.0,360.0,130998,011.3,E*62"u8.ToArray()[..46];
        var (header, blocks) = DataPacketEncoder.UnifiedDataTransport(text, (int)UdtFormat.Iso8, udtOpcode: 0x1B, source: 5, destination: 9, isGroup: false);

        var packet = Feed(new DataCallAssembler(), header, blocks, (a, b) => a.OnRate12Block(b, false))!;
        Assert.Equal(System.Text.Encoding.ASCII.GetString(text), ShortMessages.DecodeUnifiedDataTransport(packet.Header, packet.UserData, out _)!.Text);

        blocks[^1][3] ^= 1;
        var damaged = Feed(new DataCallAssembler(), header, blocks, (a, b) => a.OnRate12Block(b, false))!;
        Assert.Contains("UDT CRC-16", damaged.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x15, "Grüße aus Praha")]
    [InlineData(0x03, "Bonjour, ça va")]
    [InlineData(0x12, "Ahoj ☺")]
    public void Defined_short_data_decodes_its_text_format(int format, string text)
    {
        var bytes = format switch
        {
            0x15 => System.Text.Encoding.Unicode.GetBytes(text),
            0x03 => System.Text.Encoding.Latin1.GetBytes(text),
            _ => System.Text.Encoding.UTF8.GetBytes(text),
        };
        var (header, blocks) = DataPacketEncoder.ShortDataDefined(bytes, format, 2308155, 2308195, isGroup: false);

        var packet = Feed(new DataCallAssembler(), header, blocks, (a, b) => a.OnRate12Block(b, false))!;
        var message = ShortMessages.DecodeShortData(packet.Header, packet.UserData, out var error);

        Assert.True(packet.IsIntact, packet.Problem);
        Assert.Null(error);
        Assert.Equal(text, message!.Text);
        Assert.Equal(bytes, packet.UserData);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_data_header.py: a defined short data header (BCD,
    // one appended block) and a UDT header (NMEA location, UDT inbound header opcode).
    [Fact]
    public void Public_short_data_and_udt_headers_round_trip_through_our_encoder()
    {
        foreach (var hex in new[] { "4da123386323383b05005757", "800500010627fce7001bacaf" })
        {
            var header = DataHeader.Decode(Hex.Parse(hex), out var error)!;
            var encoded = new byte[DataHeader.Length];
            header.Encode(encoded);

            Assert.Null(error);
            Assert.Equal(hex, Convert.ToHexString(encoded), ignoreCase: true);
        }
    }

    [Fact]
    public void A_status_short_data_header_carries_its_status_and_completes_alone()
    {
        // SP_HEAD (TS 102 361-1 §9.2.10): raw short data format, no appended blocks, status 0x2A5.
        var bytes = new byte[DataHeader.Length];
        bytes[0] = 0x0E;
        bytes[1] = 0xA0;
        bytes[8] = (byte)((1 << 5) | (2 << 2) | 0x02);
        bytes[9] = 0xA5;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), Crc16Ccitt.Compute(bytes.AsSpan(0, 10), Crc16Ccitt.DataHeaderMask));

        var header = DataHeader.Decode(bytes, out _)!;
        var packets = new DataCallAssembler().OnHeader(header);

        Assert.Equal(0x2A5, header.StatusPrecoded);
        Assert.True(Assert.Single(packets).IsIntact);
    }

    [Fact]
    public void Random_short_data_udt_and_rate1_input_never_throws()
    {
        var random = new Random(11);
        var assembler = new DataCallAssembler();
        var header = new byte[DataHeader.Length];
        var block = new byte[Rate1Block.Length];
        for (var i = 0; i < 20000; i++)
        {
            random.NextBytes(block);
            if (i % 4 == 0)
            {
                random.NextBytes(header);
                header[0] = (byte)((header[0] & 0xF0) | new[] { 0x00, 0x0D, 0x0E, 0x03 }[random.Next(4)]);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), Crc16Ccitt.Compute(header.AsSpan(0, 10), Crc16Ccitt.DataHeaderMask));
                foreach (var opened in assembler.OnHeader(DataHeader.Decode(header, out _)!))
                {
                    Decode(opened);
                }
            }
            else if ((i % 3 == 0 ? assembler.OnRate1Block(block) : assembler.OnRate12Block(block, false)) is { } packet)
            {
                Decode(packet);
            }

            ShortMessages.DecodeNmeaLocation(block.AsSpan(0, random.Next(block.Length)), random.Next(3), out _);
        }

        static void Decode(DataPacket packet)
        {
            var data = packet.UserData ?? [];
            _ = packet.Header.Format == DataPacketFormat.UnifiedDataTransport
                ? ShortMessages.DecodeUnifiedDataTransport(packet.Header, data, out _)
                : ShortMessages.DecodeShortData(packet.Header, data, out _);
        }
    }
}
