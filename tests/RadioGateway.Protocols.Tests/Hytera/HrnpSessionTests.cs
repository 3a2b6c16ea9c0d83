using System.Buffers;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Hytera;

/// <summary>
/// The HRNP session the Hytera control-station link runs, and every frame it sends or receives: public vectors
/// from OK-DMR/ok-dmrlib (okdmr/tests/dmrlib/hytera/pdu/test_hrnp.py, test_rcp.py, test_tmp.py, test_lp.py, test_rrs.py)
/// where they exist, own vectors (marked "own", checked against the checksum rules) where none does.
/// </summary>
public sealed class HrnpSessionTests
{
    private static string Format(HrnpFrame frame)
    {
        var output = new ArrayBufferWriter<byte>();
        Hrnp.Write(output, frame);
        return Hex.Format(output.WrittenSpan);
    }

    private static byte[] Written(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void The_pc_side_opens_and_numbers_data_as_the_public_captures_do()
    {
        var pc = new HrnpSession();

        // test_hrnp.py: "hrnp connect" (version 4, PC node 0x20 → radio 0x10).
        Assert.Equal("7e0400fe20100000000c60e1", Format(pc.Connect()));
        // test_hrnp.py: the PC's DATA frames 0 (RCP call request 0x0841) and 1 (RCP 0x0004) of one session.
        Assert.Equal("7e04000020100000001873890241080500006f0000007503", Format(pc.Data(Hex.Parse("0241080500006F0000007503"))));
        Assert.Equal("7e0400002010000100189b6002040005006400000001c403", Format(pc.Data(Hex.Parse("02040005006400000001c403"))));
        // Own: CLOSE.
        Assert.Equal("7e0400fb20100000000c60e4", Format(pc.Close()));
        // A new CONNECT numbers from 0 again.
        pc.Connect();
        Assert.Equal(0, pc.Data([]).PacketNumber);
    }

    [Fact]
    public void The_radio_side_accepts_and_acknowledges_as_the_public_captures_do()
    {
        var radio = new HrnpSession(HrnpSession.RadioNode, HrnpSession.PcNode);
        var data = DecoderHarness.DecodeEveryWay<HrnpFrame>(Hex.Parse("7e0400002010000100189b6002040005006400000001c403"), Hrnp.TryDecode);

        // test_hrnp.py "accept"; test_valid_checksums DATA_ACK of packet 1.
        Assert.Equal("7e0400fd10200000000c70d2", Format(radio.Accept()));
        Assert.Equal(HrnpReceived.NewData, radio.Receive(data));
        Assert.Equal("7e04001010200001000c71be", Format(radio.AckOf(data)));
        // Own: CLOSE_ACK.
        Assert.Equal("7e0400fa10200000000c70d5", Format(radio.CloseAck()));
    }

    [Fact]
    public void A_repeated_data_frame_is_acknowledged_again_but_not_handed_up_twice()
    {
        var pc = new HrnpSession();
        var radio = new HrnpSession(HrnpSession.RadioNode, HrnpSession.PcNode);
        pc.Connect();
        var first = radio.Data([1]);
        var second = radio.Data([2]);

        Assert.Equal(
            [HrnpReceived.NewData, HrnpReceived.RepeatedData, HrnpReceived.NewData, HrnpReceived.RepeatedData],
            new[] { first, first, second, second }.Select(pc.Receive));
    }

    [Fact]
    public void Packet_numbers_wrap_after_65535()
    {
        var pc = new HrnpSession();
        pc.Connect();
        for (var i = 0; i < 65535; i++)
        {
            pc.Data([]);
        }

        Assert.Equal(((ushort)65535, (ushort)0), (pc.Data([]).PacketNumber, pc.Data([]).PacketNumber));
    }

    [Theory]
    [InlineData("7e0400fe20100000000c60e1", HrnpOpcode.Connect, HrnpReceived.ConnectRequest)] // test_hrnp.py
    [InlineData("7e0400fd10200000000c70d2", HrnpOpcode.Accept, HrnpReceived.Accepted)] // test_hrnp.py
    [InlineData("7e0400fc10200000000c70d3", HrnpOpcode.Reject, HrnpReceived.Rejected)] // own
    [InlineData("7e0400fb20100000000c60e4", HrnpOpcode.Close, HrnpReceived.CloseRequest)] // own
    [InlineData("7e0400fa10200000000c70d5", HrnpOpcode.CloseAck, HrnpReceived.Closed)] // own
    [InlineData("7E04001010200001000C71BE", HrnpOpcode.DataAck, HrnpReceived.DataAck)] // test_hrnp.py test_valid_checksums
    [InlineData("7e040000201000020014807e025204010000db03", HrnpOpcode.Data, HrnpReceived.NewData)] // own: keepalive (RCP radio id query)
    public void Every_session_frame_decodes_in_every_chunking_and_is_classified(string hex, HrnpOpcode opcode, HrnpReceived meaning)
    {
        var frame = DecoderHarness.DecodeEveryWay<HrnpFrame>(Hex.Parse(hex), Hrnp.TryDecode);

        Assert.Equal(opcode, frame.Opcode);
        Assert.Equal(meaning, new HrnpSession().Receive(frame));
        Assert.Equal(Hex.Format(Hex.Parse(hex)), Format(frame));
    }

    [Fact]
    public void The_keepalive_query_and_its_reply_are_the_own_vectors()
    {
        // Own vectors: RCP 0x0452 (target radio id) and 0x8452 (result 0, target 0, radio id 3120000 little-endian).
        Assert.Equal("025204010000db03", Hex.Format(Written(w => HyteraRcp.WriteRadioIdQuery(w))));
        Assert.Equal("02528406000000809b2f000c03", Hex.Format(Written(w => HyteraRcp.WriteRadioIdReply(w, 3120000))));
        var reply = DecoderHarness.DecodeEveryWay<HdapMessage>(Hex.Parse("02528406000000809b2f000c03"), Hdap.TryDecode);

        Assert.Equal(DecodeStatus.Done, HyteraRcp.TryDecodeRadioIdReply(reply, out var decoded, out _));
        Assert.Equal(new HyteraRcpRadioIdReply(0, 0, 3120000), decoded);
    }

    [Fact]
    public void A_short_or_foreign_rcp_reply_is_invalid_and_says_why()
    {
        Assert.Equal(DecodeStatus.Invalid, HyteraRcp.TryDecodeRadioIdReply(new HdapMessage(HdapService.RadioControl, false, HyteraRcp.RadioIdQueryReply, [0, 0, 1]), out var shortReply, out var shortError));
        Assert.Null(shortReply);
        Assert.Equal(3, shortError.Offset);
        Assert.Contains("shorter than result, target and value (6)", shortError.Message, StringComparison.Ordinal);

        // test_rcp.py "call request, private call to 1234" is RCP but no radio id reply.
        var callRequest = DecoderHarness.DecodeEveryWay<HdapMessage>(Hex.Parse("024108050000d20400000e03"), Hdap.TryDecode);
        Assert.Equal(DecodeStatus.Invalid, HyteraRcp.TryDecodeRadioIdReply(callRequest, out _, out var foreign));
        Assert.Contains("0x0841 is not an RCP radio id reply", foreign.Message, StringComparison.Ordinal);
    }

    /// <summary>Every HDAP message the control-station link sends or receives, in an HRNP DATA frame, whole, split and byte by byte.</summary>
    public static TheoryData<string, byte[]> LinkMessages()
    {
        var fix = new GeoFix(-34.6037, -58.3816, SpeedKmh: 37.04, HeadingDeg: 270, FixTime: new DateTimeOffset(2026, 11, 30, 1, 2, 3, TimeSpan.Zero));
        return new TheoryData<string, byte[]>
        {
            { "rrs registration (own)", Written(w => HyteraRrs.Write(w, HyteraRrs.Registration, 3120101)) },
            { "rrs going offline (own)", Written(w => HyteraRrs.Write(w, HyteraRrs.GoingOffline, 3120101)) },
            { "rrs registration answer (test_rrs.py)", Hex.Parse("91008000090a0000500000000e103103") },
            { "lp standard request (own)", Written(w => HyteraLp.WriteStandardRequest(w, 7, 3120104)) },
            { "lp triggered request (own)", Written(w => HyteraLp.WriteTriggeredRequest(w, 0x80000000 | 3120101, 3120101, 30)) },
            { "lp triggered answer (own)", Written(w => HyteraLp.WriteStop(w, HyteraLp.TriggeredAnswer, 0x80000000 | 3120101, 3120101)) },
            { "lp stop request (own)", Written(w => HyteraLp.WriteStop(w, HyteraLp.TriggeredStopRequest, 0x80000000 | 3120101, 3120101)) },
            { "lp stop answer (own)", Written(w => HyteraLp.WriteStop(w, HyteraLp.TriggeredStopAnswer, 0x80000000 | 3120101, 3120101)) },
            { "lp standard report (test_lp.py)", Hex.Parse("08a0020032000000010a2110dd0000413138333634383236313031354e343731382e383035314530313835342e34333837302e313132310b03") },
            { "lp triggered report (own)", Written(w => HyteraLp.WriteReport(w, HyteraLp.TriggeredReport, 0x80000000 | 3120105, 3120105, fix)) },
            { "lp condition report (own)", Written(w => HyteraLp.WriteReport(w, HyteraLp.ConditionReport, 0, 3120105, fix)) },
            { "lp emergency report (own)", Written(w => HyteraLp.WriteReport(w, HyteraLp.EmergencyReport, 0, 3120105, fix)) },
            { "tmp private text (test_tmp.py)", Hex.Parse("0980a10022000000010a01b2070a03640e4f004c004900560045005200200054004500530054007a03") },
            { "tmp persian text (own)", Written(w => HyteraTmp.WriteText(w, group: false, confirmed: true, 9, 3120101, 3120001, "به مرکز برگردید")) },
            { "tmp private ack (test_tmp.py)", Hex.Parse("0980a2000D000000010a01b2070a030000003103") },
            { "tmp group text (test_hrnp.py)", Hex.Parse("0980B1001400000001000000010A000835610068006F006A000203") },
            { "rcp radio id query (own)", Written(w => HyteraRcp.WriteRadioIdQuery(w)) },
            { "rcp radio id reply (own)", Written(w => HyteraRcp.WriteRadioIdReply(w, 3120000)) },
        };
    }

    [Theory]
    [MemberData(nameof(LinkMessages))]
    public void Every_link_message_survives_its_data_frame_in_every_chunking(string what, byte[] hdap)
    {
        var frame = new HrnpSession().Data(hdap);
        var output = new ArrayBufferWriter<byte>();
        Hrnp.Write(output, frame);

        var decoded = DecoderHarness.DecodeEveryWay<HrnpFrame>(output.WrittenSpan.ToArray(), Hrnp.TryDecode);
        var message = DecoderHarness.DecodeEveryWay<HdapMessage>(decoded.Data, Hdap.TryDecode);

        Assert.True(hdap.AsSpan().SequenceEqual(decoded.Data), what);
        var typed = message.Service switch
        {
            HdapService.Location => HyteraLp.TryDecode(message, out _, out _),
            HdapService.TextMessage => HyteraTmp.TryDecode(message, out _, out _),
            HdapService.RadioRegistration => HyteraRrs.TryDecode(message, out _, out _),
            _ => message.Opcode == HyteraRcp.RadioIdQueryRequest ? DecodeStatus.Done : HyteraRcp.TryDecodeRadioIdReply(message, out _, out _),
        };
        Assert.Equal(DecodeStatus.Done, typed);
    }

    [Fact]
    public void Truncated_and_fuzzed_link_frames_never_throw()
    {
        var frames = LinkMessages().Select(row =>
        {
            var output = new ArrayBufferWriter<byte>();
            Hrnp.Write(output, new HrnpSession().Data((byte[])row[1]));
            return output.WrittenSpan.ToArray();
        }).ToList();
        foreach (var frame in frames)
        {
            DecoderHarness.TruncationsNeverDecode<HrnpFrame>(frame, Hrnp.TryDecode);
        }

        DecoderHarness.SurvivesFuzz<HrnpFrame>(frames, Hrnp.TryDecode);
        var random = new Random(14);
        for (var i = 0; i < 2000; i++)
        {
            var payload = new byte[random.Next(0, 12)];
            random.NextBytes(payload);
            var status = HyteraRcp.TryDecodeRadioIdReply(new HdapMessage(HdapService.RadioControl, false, HyteraRcp.RadioIdQueryReply, payload), out var reply, out var error);
            Assert.True(status == DecodeStatus.Done ? reply is not null : reply is null && error.Message is not null);
        }
    }
}
