using System.Text;
using System.Text.Json;
using RadioGateway.Cli;

namespace RadioGateway.Tests.Cli;

public sealed class DecodeCommandTests
{
    // Burst of ok-dmrlib okdmr/tests/dmrlib/etsi/layer2/pdu/test_csbk.py test_single_csbk (DMRD bytes 20–52).
    private const string PreambleCsbkBurst = "444d52440923383b0008fd0006690fe33391012951dd0c4d8bb40ac413a86c5094fdff57d75df5dcadfa1268aaa87b82b9d8291910003c";

    private static List<JsonElement> Decode(string format, string input)
    {
        using var output = new MemoryStream();
        DecodeCommand.Run(new StringReader(input), output, format);
        return Encoding.UTF8.GetString(output.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
    }

    [Fact]
    public void A_public_csbk_burst_decodes_to_a_preamble_from_2308155_to_2301()
    {
        var burst = Convert.FromHexString(PreambleCsbkBurst)[20..53];

        var item = Assert.Single(Decode("burst", Convert.ToHexString(burst)));

        Assert.Equal("preamble", item.GetProperty("csbk").GetString());
        Assert.Equal(2308155, item.GetProperty("source").GetProperty("id").GetInt32());
        Assert.Equal(2301, item.GetProperty("destination").GetProperty("id").GetInt32());
    }

    [Fact]
    public void A_bad_line_gives_an_error_object_and_decoding_goes_on()
    {
        var burst = Convert.ToHexString(Convert.FromHexString(PreambleCsbkBurst)[20..53]);

        var items = Decode("burst", "zz\n0102\n" + burst);

        Assert.Contains("not hex", items[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, items[0].GetProperty("line").GetInt32());
        Assert.Contains("33 bytes", items[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("preamble", items[2].GetProperty("csbk").GetString());
    }

    [Fact]
    public void An_mmdvm_stream_split_across_lines_decodes_frame_by_frame_with_resync_errors()
    {
        var items = Decode("mmdvm", "e0 03\n00 55 e0040302\ne004\n7003");

        Assert.Equal("GetVersion", items[0].GetProperty("command").GetString());
        Assert.Contains("skipped 1 bytes", items[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("SetMode", items[2].GetProperty("command").GetString());
        Assert.Equal("Ack", items[3].GetProperty("command").GetString());
        Assert.Equal("SetMode", items[3].GetProperty("of").GetString());
    }

    [Fact]
    public void Lrrp_payloads_decode_to_the_public_coordinates_and_bad_lines_to_errors()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_lrrp.py test_example_report
        var items = Decode("lrrp", "071A22042468ACE0341F4DBC778051118ECD8D118AD47B00636C0006\n0702EE00\n071A2204");

        Assert.Equal((12.345345, 24.668866), (items[0].GetProperty("lat").GetDouble(), items[0].GetProperty("lon").GetDouble()));
        Assert.Equal("2003-06-30T07:30:00.000Z", items[0].GetProperty("fixTime").GetString());
        Assert.Equal("byte 2: unknown report token 0xEE", items[1].GetProperty("error").GetString());
        Assert.Contains("truncated", items[2].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_call_given_burst_by_burst_prints_its_packet_and_service()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/transmission/test_transmission.py SMS_BURST: a preamble, the header, two blocks.
        var items = Decode("datacall", """
            55e105fbbde427040a68305294fdff57d75df5dcae42369824097da3bedb329255
            7abc3520240678e3a3436a8b55bdff57d75df5d55ed179b2304122624d0589a7bc
            430d22106233407c00b0219a55ddff57d75df5d6f1492a46d43d20c20b8291214b
            008a00da01b401400330180015ddff57d75df5d6f104025802700ae0250010001e
            """);

        var packet = Assert.Single(items);
        Assert.Equal(4, packet.GetProperty("line").GetInt32());
        Assert.True(packet.GetProperty("intact").GetBoolean());
        Assert.Equal(4007, packet.GetProperty("udp").GetProperty("destinationPort").GetInt32());
        Assert.Equal("TMS acknowledgement of message 7", packet.GetProperty("data").GetProperty("summary").GetString());
    }

    [Fact]
    public void Tms_and_ars_payloads_decode_with_text_and_registration()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_tms.py test_message and test_ars.py
        Assert.Equal("ahoj", Assert.Single(Decode("tms", "000DE00101954461006800 6F006A00")).GetProperty("text").GetString());
        Assert.True(Assert.Single(Decode("ars", "0007F0200231310000")).GetProperty("registered").GetBoolean());
    }

    [Fact]
    public void Hytera_hdap_and_an_hrnp_stream_split_across_lines_decode_with_errors_in_between()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/hytera/pdu/test_lp.py and test_hrnp.py test_valid_checksums
        var lp = Assert.Single(Decode("hytera-hdap", "08a0020032000000010a2110dd0000413138333634383236313031354e343731382e383035314530313835342e34333837302e313132310b03"));
        Assert.Equal((47.3134183, 18.9073117), (lp.GetProperty("lat").GetDouble(), lp.GetProperty("lon").GetDouble()));

        var items = Decode("hytera-hrnp", "01 7e0400fe20100000000c60e1 7E04000010\n200004002767790980B1001400000001000000010A000835610068006F006A000203\n7e04");

        Assert.Contains("not the HRNP header", items[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("Connect", items[1].GetProperty("opcode").GetString());
        Assert.Equal("ahoj", items[2].GetProperty("hdap").GetProperty("text").GetString());
        Assert.Equal(2, items[2].GetProperty("line").GetInt32());
        Assert.Contains("incomplete HRNP frame", items[3].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Nmea_given_as_text_or_hex_decodes_and_a_void_fix_says_so()
    {
        // Knio/pynmea2 test/test_types.py test_RMC and test/test_proprietary.py test_PKLSH, test_KWDWPL
        var items = Decode("nmea", """
            $GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68
            24504B4C53482C343935342E313437342C4E2C31313932332E363034342C572C3132323433342C412C3130302C313030312C2A3346
            $PKWDWPL,053125,V,4531.7900,N,12253.4800,W,,,200320,,AC7FD-1,/-*10
            $GPGLL,4916.45,N,12311.12,W,225444,A,*1E
            """);

        Assert.Equal(-123.1853333, items[0].GetProperty("lon").GetDouble());
        Assert.Equal("100-1001", items[1].GetProperty("senderId").GetString());
        Assert.Contains("status 'V'", items[2].GetProperty("noFix").GetString(), StringComparison.Ordinal);
        Assert.Contains("checksum 1E, expected 1D", items[3].GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
