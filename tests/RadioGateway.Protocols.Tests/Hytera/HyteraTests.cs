using System.Buffers;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Hytera;

public sealed class HyteraTests
{
    private delegate DecodeStatus MessageDecoder<T>(HdapMessage message, out T? decoded, out DecodeError error);

    /// <summary>A whole message decodes to Done with a value and no error.</summary>
    private static T Decoded<T>(MessageDecoder<T> decode, HdapMessage message)
        where T : class
    {
        var status = decode(message, out var decoded, out var error);
        Assert.True(status == DecodeStatus.Done, $"{status}: {error}");
        Assert.Null(error.Message);
        return decoded!;
    }

    /// <summary>The decode-status convention: Done with a value, or Invalid with no value and a reason; never NeedMoreData for a whole message.</summary>
    private static void AssertConvention<T>(MessageDecoder<T> decode, HdapMessage message)
        where T : class
    {
        var status = decode(message, out var decoded, out var error);
        Assert.True(status is DecodeStatus.Done ? decoded is not null && error.Message is null : status is DecodeStatus.Invalid && decoded is null && !string.IsNullOrEmpty(error.Message));
        Assert.InRange(error.Offset, 0, message.Payload.Length);
    }

    private static HdapMessage Hdap(string hex) => DecoderHarness.DecodeEveryWay<HdapMessage>(Hex.Parse(hex), RadioGateway.Protocols.Hytera.Hdap.TryDecode);

    private static string Written(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Hex.Format(output.WrittenSpan);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/hytera/pdu/test_hdap.py test_hdap_frombytes (RCP, little-endian)
    // and test_tmp.py, test_rrs.py, test_lp.py, test_hrnp.py test_valid_checksums (TMP group "ahoj").
    [Theory]
    [InlineData("02040005006400000001c403", HdapService.RadioControl, 0x0004)]
    [InlineData("0204800600000f690600012903", HdapService.RadioControl, 0x8004)]
    [InlineData("0241080500006f0000007503", HdapService.RadioControl, 0x0841)]
    [InlineData("0980a10022000000010a01b2070a03640e4f004c004900560045005200200054004500530054007a03", HdapService.TextMessage, 0x80A1)]
    [InlineData("0980a2000D000000010a01b2070a030000003103", HdapService.TextMessage, 0x80A2)]
    [InlineData("09c0a200120003000000020a01b2070a03000000010203e203", HdapService.TextMessage, 0xC0A2)]
    [InlineData("0980B1001400000001000000010A000835610068006F006A000203", HdapService.TextMessage, 0x80B1)]
    [InlineData("91008000090a0000500000000e103103", HdapService.RadioRegistration, 0x0080)]
    [InlineData("910002000 40a0000140e03", HdapService.RadioRegistration, 0x0002)]
    [InlineData("110082000 50a0000210 08003", HdapService.RadioRegistration, 0x0082)]
    public void Public_hdap_messages_pass_their_checksum_in_every_chunking(string hex, HdapService service, int opcode)
    {
        var message = Hdap(hex);

        Assert.Equal((service, (ushort)opcode), (message.Service, message.Opcode));
        Assert.Equal(Hex.Format(Hex.Parse(hex)), Written(w => RadioGateway.Protocols.Hytera.Hdap.Write(w, message.Service, message.Reliable, message.Opcode, message.Payload)));
    }

    [Fact]
    public void The_public_private_message_decodes_to_its_text_and_radio_ids()
    {
        var tmp = Decoded<HyteraTmpMessage>(HyteraTmp.TryDecode, Hdap("0980a10022000000010a01b2070a03640e4f004c004900560045005200200054004500530054007a03"));

        Assert.Equal(("OLIVER TEST", 111111u, 222222u, true, false), (tmp.Text, tmp.DestinationId, tmp.SourceId, tmp.Confirmed, tmp.IsGroup));
    }

    [Fact]
    public void A_report_cut_short_is_invalid_and_says_where()
    {
        // An LP standard report (0xA002) with request id and radio IP but only 12 of its 40 GPS octets.
        var message = new HdapMessage(HdapService.Location, false, HyteraLp.StandardReport, new byte[22]);

        Assert.Equal(DecodeStatus.Invalid, HyteraLp.TryDecode(message, out var lp, out var error));
        Assert.Null(lp);
        Assert.Equal(22, error.Offset);
        Assert.Contains("shorter than its GPS data (50)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_public_group_message_and_acks_decode()
    {
        var group = Decoded<HyteraTmpMessage>(HyteraTmp.TryDecode, Hdap("0980B1001400000001000000010A000835610068006F006A000203"));
        Assert.Equal(("ahoj", 1u, 2101u, true), (group.Text, group.DestinationId, group.SourceId, group.IsGroup));

        var ack = Decoded<HyteraTmpMessage>(HyteraTmp.TryDecode, Hdap("0980a2000D000000010a01b2070a030000003103"));
        Assert.Equal((true, 0, 1u), (ack.IsAck, ack.Result, ack.RequestId));

        var withOption = Decoded<HyteraTmpMessage>(HyteraTmp.TryDecode, Hdap("09c0a200120003000000020a01b2070a03000000010203e203"));
        Assert.Equal((2u, 196608u, 0), (withOption.RequestId, withOption.SourceId, withOption.Result));
    }

    [Fact]
    public void Persian_text_we_send_decodes_back_and_acks_round_trip()
    {
        var text = Written(w => HyteraTmp.WriteText(w, group: false, confirmed: true, requestId: 9, destinationId: 3120101, sourceId: 3120001, "به مرکز برگردید"));
        var decoded = Decoded<HyteraTmpMessage>(HyteraTmp.TryDecode, Hdap(text));
        Assert.Equal(("به مرکز برگردید", 3120101u, 3120001u, 9u), (decoded.Text, decoded.DestinationId, decoded.SourceId, decoded.RequestId));

        var ack = Decoded<HyteraTmpMessage>(HyteraTmp.TryDecode, Hdap(Written(w => HyteraTmp.WriteAck(w, group: false, requestId: 9, destinationId: 3120001, sourceId: 3120101))));
        Assert.Equal((true, 9u, 0), (ack.IsAck, ack.RequestId, ack.Result));
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/hytera/pdu/test_lp.py test_location_protocol (two standard reports)
    [Fact]
    public void Public_standard_reports_decode_to_their_positions()
    {
        var first = Decoded<HyteraLpMessage>(HyteraLp.TryDecode, Hdap("08a0020032000000010a2110dd0000413138333634383236313031354e343731382e383035314530313835342e34333837302e313132310b03"));
        Assert.Equal((1u, 0x2110DDu, 0), (first.RequestId, first.RadioId, first.Result));
        Assert.Equal(47.31341833, first.Fix!.Latitude, 6);
        Assert.Equal(18.90731167, first.Fix.Longitude, 6);
        Assert.Equal(0.185, first.Fix.SpeedKmh);
        Assert.Equal(121, first.Fix.HeadingDeg);
        Assert.Equal(new DateTimeOffset(2015, 10, 26, 18, 36, 48, TimeSpan.Zero), first.Fix.FixTime);

        // Time, date, speed and direction NUL-filled: not known, so absent rather than invented.
        var second = Decoded<HyteraLpMessage>(HyteraLp.TryDecode, Hdap("08a002003200000003002337fb0000410000000000000000000000004e353030332e383737314530313432362e353330320000000000007003"));
        Assert.Equal((50.06461833, 14.44217), (Math.Round(second.Fix!.Latitude, 8), Math.Round(second.Fix.Longitude, 8)));
        Assert.Null(second.Fix.FixTime);
        Assert.Null(second.Fix.SpeedKmh);
    }

    [Theory]
    [InlineData(-34.6037, -58.3816)]
    [InlineData(-33.8688, 151.2093)]
    [InlineData(35.6892, 51.389)]
    public void Reports_we_write_keep_their_hemispheres(double latitude, double longitude)
    {
        var fix = new GeoFix(latitude, longitude, SpeedKmh: 37.04, HeadingDeg: 270, FixTime: new DateTimeOffset(2026, 11, 22, 9, 5, 7, TimeSpan.Zero));

        var report = Decoded<HyteraLpMessage>(HyteraLp.TryDecode, Hdap(Written(w => HyteraLp.WriteReport(w, HyteraLp.StandardReport, 5, 3120102, fix))));

        Assert.Equal(latitude, report.Fix!.Latitude, 5);
        Assert.Equal(longitude, report.Fix.Longitude, 5);
        Assert.Equal((37.04, 270.0, fix.FixTime), (report.Fix.SpeedKmh, report.Fix.HeadingDeg, report.Fix.FixTime));
    }

    [Fact]
    public void A_report_without_a_fix_carries_no_position_and_requests_round_trip()
    {
        Assert.Null(Decoded<HyteraLpMessage>(HyteraLp.TryDecode, Hdap(Written(w => HyteraLp.WriteReport(w, HyteraLp.StandardReport, 1, 2, fix: null)))).Fix);
        var request = Decoded<HyteraLpMessage>(HyteraLp.TryDecode, Hdap(Written(w => HyteraLp.WriteTriggeredRequest(w, 4, 3120101, 30))));
        Assert.Equal((HyteraLp.TriggeredRequest, 4u, 3120101u, (int?)30), (request.Opcode, request.RequestId, request.RadioId, request.IntervalSeconds));
    }

    [Fact]
    public void Public_rrs_answers_decode()
    {
        var answer = Decoded<HyteraRrsMessage>(HyteraRrs.TryDecode, Hdap("91008000090a0000500000000e103103"));
        Assert.Equal((80u, 0, 3600), (answer.RadioId, answer.Result, answer.RenewSeconds));

        Assert.True(Decoded<HyteraRrsMessage>(HyteraRrs.TryDecode, Hdap("110082000 50a0000210 08003")).Online);
        Assert.True(Decoded<HyteraRrsMessage>(HyteraRrs.TryDecode, Hdap(Written(w => HyteraRrs.Write(w, HyteraRrs.Registration, 3120103)))).IsRegistration);
    }

    [Theory]
    [InlineData("0980a2000D000000010a01b2070a030000003003", "checksum 0x30, expected 0x31")]
    [InlineData("0980a2000D000000010a01b2070a030000003104", "end mark 0x04")]
    [InlineData("7f", "not an HDAP service")]
    [InlineData("0980a2ffff", "exceeds")]
    public void Broken_hdap_is_invalid_naming_the_problem(string hex, string reason)
    {
        var status = RadioGateway.Protocols.Hytera.Hdap.TryDecode(new ReadOnlySequence<byte>(Hex.Parse(hex)), out _, out _, out var error);

        Assert.Equal(DecodeStatus.Invalid, status);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/hytera/pdu/test_hrnp.py test_hrnp_frombytes and test_valid_checksums
    [Theory]
    [InlineData("7e0400fe20100000000c60e1", HrnpOpcode.Connect, 0)]
    [InlineData("7e0300fe20100000000c60e2", HrnpOpcode.Connect, 0)]
    [InlineData("7e0400fd10200000000c70d2", HrnpOpcode.Accept, 0)]
    [InlineData("7E04001010200001000C71BE", HrnpOpcode.DataAck, 0)]
    [InlineData("7e0400002010000100189b6002040005006400000001c403", HrnpOpcode.Data, 12)]
    [InlineData("7e04000020100001001b43b502471808000700000000000000c403", HrnpOpcode.Data, 15)]
    [InlineData("7E04000010200004002767790980B1001400000001000000010A000835610068006F006A000203", HrnpOpcode.Data, 27)]
    [InlineData("7e030000201000000018fefe02c910050002000101014f03", HrnpOpcode.Data, 12)]
    public void Public_hrnp_frames_decode_with_their_checksums(string hex, HrnpOpcode opcode, int dataLength)
    {
        var bytes = Hex.Parse(hex);
        var frame = DecoderHarness.DecodeEveryWay<HrnpFrame>(bytes, Hrnp.TryDecode);

        Assert.Equal((opcode, dataLength), (frame.Opcode, frame.Data.Length));
        Assert.Equal(Hex.Format(bytes), Written(w => Hrnp.Write(w, frame)));
    }

    [Fact]
    public void A_stream_of_frames_with_garbage_between_is_read_frame_by_frame_with_skips_named()
    {
        var stream = Hex.Parse("0102" + "7e0400fe20100000000c60e1" + "7e0400fd10200000000c70d3" + "7E04000010200004002767790980B1001400000001000000010A000835610068006F006A000203");
        var reader = new HrnpFrameReader();
        var frames = new List<HrnpFrame>();
        var skips = new List<DecodeError>();
        var buffer = new ReadOnlySequence<byte>(stream);
        while (reader.TryRead(ref buffer, out var frame, out var skipped) != DecodeStatus.NeedMoreData)
        {
            if (frame is not null)
            {
                frames.Add(frame);
            }
            else
            {
                skips.Add(skipped);
            }
        }

        Assert.Equal([HrnpOpcode.Connect, HrnpOpcode.Data], frames.Select(f => f.Opcode));
        Assert.Equal("ahoj", Decoded<HyteraTmpMessage>(HyteraTmp.TryDecode, Hdap(Hex.Format(frames[1].Data))).Text);
        Assert.Equal(2, skips.Count);
        Assert.Contains("not the HRNP header", skips[0].Message, StringComparison.Ordinal);
        Assert.Contains("checksum", skips[1].Message, StringComparison.Ordinal);
        Assert.Equal(24, skips[1].Offset);
    }

    [Fact]
    public void Truncated_and_random_input_never_throws()
    {
        var tmp = Hex.Parse("0980a10022000000010a01b2070a03640e4f004c004900560045005200200054004500530054007a03");
        var lp = Hex.Parse("08a0020032000000010a2110dd0000413138333634383236313031354e343731382e383035314530313835342e34333837302e313132310b03");
        DecoderHarness.TruncationsNeverDecode<HdapMessage>(tmp, RadioGateway.Protocols.Hytera.Hdap.TryDecode);
        DecoderHarness.SurvivesFuzz<HdapMessage>([tmp, lp], RadioGateway.Protocols.Hytera.Hdap.TryDecode);
        DecoderHarness.SurvivesFuzz<HrnpFrame>([Hex.Parse("7E04000010200004002767790980B1001400000001000000010A000835610068006F006A000203")], Hrnp.TryDecode);
        // Every envelope that passes its checksum goes through the typed decoders without throwing.
        var random = new Random(3);
        for (var i = 0; i < 3000; i++)
        {
            var payload = new byte[random.Next(0, 80)];
            random.NextBytes(payload);
            var message = new HdapMessage((HdapService)new[] { 0x08, 0x09, 0x11 }[i % 3], false, (ushort)random.Next(0x10000), payload);
            AssertConvention<HyteraLpMessage>(HyteraLp.TryDecode, message);
            AssertConvention<HyteraTmpMessage>(HyteraTmp.TryDecode, message);
            AssertConvention<HyteraRrsMessage>(HyteraRrs.TryDecode, message);
        }
    }
}

public sealed class HyteraEncoderVectorTests
{
    [Fact]
    public void Our_tmp_private_message_encodes_the_public_vector_byte_for_byte()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/hytera/pdu/test_tmp.py test_tmp: "OLIVER TEST", request 1, 10.3.100.14 → 10.1.178.7
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        HyteraTmp.WriteText(output, group: false, confirmed: true, requestId: 1, destinationId: 111111, sourceId: 222222, "OLIVER TEST");
        // Our source IP uses subnet 10 as the vector's: 10.3.100.14 is radio 0x03640E = 222222.
        Assert.Equal("0980a10022000000010a01b2070a03640e4f004c004900560045005200200054004500530054007a03", RadioGateway.Testing.Hex.Format(output.WrittenSpan));
    }
}
