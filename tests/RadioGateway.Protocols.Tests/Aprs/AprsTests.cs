using System.Buffers;
using System.Text;
using RadioGateway.Protocols.Aprs;
using RadioGateway.Protocols.Common;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Aprs;

/// <summary>
/// KISS → AX.25 → APRS. The KISS vectors were captured from Direwolf 1.6's KISS TCP port while it decoded audio made
/// by its gen_packets from the TNC-2 lines in the comments; the expected coordinates are Direwolf's decode_aprs output
/// for the same lines and the worked examples of APRS101 (APRS Protocol Reference 1.0.1, ch. 8-10, 14).
/// </summary>
public sealed class AprsTests
{
    public static TheoryData<string, string, double, double> Positions => new()
    {
        // EP2AAA-9>APRS,WIDE1-1:!3541.20N/05124.60E>Tehran — decode_aprs: N 35 41.2000, E 051 24.6000
        { "c00082a0a4a64040e08aa064828282f2ae92888a62406303f021333534312e32304e2f30353132342e3630453e54656872616e0ac0", "EP2AAA-9", 35.686666666666667, 51.41 },
        // PY1AA-9>APRS:=2254.50S/04311.00W-Rio — S 22 54.5000, W 043 11.0000
        { "c00082a0a4a64040e0a0b262828240f303f03d323235342e3530532f30343331312e3030572d52696f0ac0", "PY1AA-9", -22.908333333333333, -43.183333333333333 },
        // VK2AA-9>APRS:!3351.00S/15112.00E>Sydney — S 33 51.0000, E 151 12.0000
        { "c00082a0a4a64040e0ac9664828240f303f021333335312e3030532f31353131322e3030453e5379646e65790ac0", "VK2AA-9", -33.85, 151.2 },
        // W1AW-9>APRS:@092345z4237.14N/07120.83W>Boston — N 42 37.1400, W 071 20.8300
        { "c00082a0a4a64040e0ae6282ae4040f303f0403039323334357a343233372e31344e2f30373132302e3833573e426f73746f6e0ac0", "W1AW-9", 42.619, -71.347166666666667 },
        // EP2BBB>APRS:=/5L!!<*e7>7P[ — APRS101 ch. 9 example: 49°30' N, 72°45' W (decode_aprs: W 072 45.0002)
        { "c00082a0a4a64040e08aa064848484e103f03d2f354c21213c2a65373e37505b0ac0", "EP2BBB", 49.5, -72.750003 },
        // EP2CCC-7>S32U6T:`(_fn"Oj/ — Mic-E, decode_aprs: N 33 25.6400, W 012 07.7400, course 251
        { "c000a66664aa6ca8e08aa064868686ef03f060285f666e224f6a2f0ac0", "EP2CCC-7", 33.427333333333333, -12.129 },
        // EP2DDD-9>SUTQ20:`O4Xn"Oj/ — Mic-E, north-east: N 35 41.2000, E 051 24.6000
        { "c000a6aaa8a26460e08aa064888888f303f0604f34586e224f6a2f0ac0", "EP2DDD-9", 35.686666666666667, 51.41 },
        // VK2BB-9>SSU1P0:`O(Nn"Oj/ — Mic-E, south-east with the +100° longitude offset: S 33 51.0000, E 151 12.5000
        { "c000a6a6aa62a060e0ac9664848440f303f0604f284e6e224f6a2f0ac0", "VK2BB-9", -33.85, 151.20833333333333 },
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public void Direwolf_kiss_frames_decode_to_positions_in_every_hemisphere(string kissHex, string source, double lat, double lon)
    {
        var frame = DecoderHarness.DecodeEveryWay<KissFrame>(Hex.Parse(kissHex), Kiss.TryDecode);
        Assert.True(frame.IsData);
        Assert.Equal(0, frame.Port);

        Assert.Equal(DecodeStatus.Done, Ax25.TryDecode(frame.Payload, out var ui, out var error));
        Assert.Equal(source, ui!.Source.ToString());
        Assert.Equal(Ax25.NoLayer3, ui.Pid);

        Assert.Equal(DecodeStatus.Done, RadioGateway.Protocols.Aprs.Aprs.TryDecode(ui.Destination.Callsign, ui.Information, out var report, out error));
        var position = Assert.IsType<AprsPosition>(report);
        Assert.Equal(lat, position.Fix.Latitude, 5);
        Assert.Equal(lon, position.Fix.Longitude, 5);
        Assert.Equal(default, error);
    }

    [Fact]
    public void The_digipeater_path_keeps_its_order_ssid_and_repeated_bit()
    {
        var frame = Decode("c00082a0a4a64040e08aa064828282f2ae92888a62406303f021333534312e32304e2f30353132342e3630453e54656872616e0ac0");

        Assert.Equal(("APRS", "EP2AAA-9"), (frame.Destination.ToString(), frame.Source.ToString()));
        Assert.Equal(new Ax25Address("WIDE1", 1, Repeated: false), Assert.Single(frame.Digipeaters));
    }

    [Fact]
    public void Compressed_position_carries_course_and_speed()
    {
        // APRS101 ch. 9: "/5L!!<*e7>7P[" is course 88°, speed 36.2 knots.
        var position = Info("APRS", "=/5L!!<*e7>7P[");

        Assert.Equal(AprsPositionFormat.Compressed, position.Format);
        Assert.Equal(88, position.Fix.HeadingDeg);
        Assert.Equal(36.2, position.Fix.SpeedKmh!.Value / 1.852, 1);
        Assert.True(position.MessagingCapable);
    }

    [Fact]
    public void Mic_e_carries_speed_course_and_symbol()
    {
        // APRS101 ch. 10 example information field; decode_aprs: 23 MPH (20 knots), course 251, jeep symbol '/j'.
        var position = Info("S32U6T", "`(_fn\"Oj/");

        Assert.Equal(AprsPositionFormat.MicE, position.Format);
        Assert.Equal(251, position.Fix.HeadingDeg);
        Assert.Equal(20 * 1.852, position.Fix.SpeedKmh!.Value, 6);
        Assert.Equal(('/', 'j'), (position.SymbolTable, position.SymbolCode));
    }

    [Fact]
    public void Mic_e_altitude_is_read_from_the_base91_field_before_the_brace()
    {
        // APRS101 ch. 10: altitude "}" field, base 91, metres relative to -10000; "\"4T}" = 10004 - 10000... computed: ('"'-33)*8281 + ('4'-33)*91 + ('T'-33) - 10000.
        var position = Info("SUTQ20", "`O4Xn\"Oj/\"4T}hello");

        Assert.Equal((1 * 8281) + (19 * 91) + 51 - 10000.0, position.Fix.AltitudeM);
        Assert.Equal("hello", position.Comment);
    }

    [Fact]
    public void Uncompressed_position_reads_course_speed_and_altitude_in_feet()
    {
        // APRS101 ch. 8 data extension "088/036" and comment altitude "/A=001234".
        var position = Info("APRS", "!4903.50N/07201.75W>088/036/A=001234 Persian مرکز");

        Assert.Equal(49.058333333333333, position.Fix.Latitude, 9);
        Assert.Equal(-72.029166666666667, position.Fix.Longitude, 9);
        Assert.Equal(88, position.Fix.HeadingDeg);
        Assert.Equal(36 * 1.852, position.Fix.SpeedKmh!.Value, 6);
        Assert.Equal(1234 * 0.3048, position.Fix.AltitudeM!.Value, 6);
        Assert.EndsWith("مرکز", position.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public void Position_ambiguity_reads_as_the_centre_of_the_hidden_box_with_its_size_as_accuracy()
    {
        // APRS101 ch. 8 "Position Ambiguity": two spaces hide the minutes' hundredths and tenths.
        var position = Info("APRS", "!4903.  N/07201.  W-");

        Assert.Equal(2, position.Ambiguity);
        Assert.Equal(49 + (3.5 / 60), position.Fix.Latitude, 9);
        Assert.Equal(-(72 + (1.5 / 60)), position.Fix.Longitude, 9);
        Assert.Equal(926, position.Fix.AccuracyM);
    }

    [Fact]
    public void Timestamps_are_kept_as_sent_for_the_receiver_to_resolve()
    {
        Assert.Equal(new AprsTimestamp(9, 23, 45, null, Zulu: true), Info("APRS", "@092345z4237.14N/07120.83W>").Timestamp);
        Assert.Equal(new AprsTimestamp(null, 23, 45, 17, Zulu: true), Info("APRS", "/234517h4237.14N/07120.83W>").Timestamp);
        Assert.False(Info("APRS", "/092345/4237.14N/07120.83W>").Timestamp!.Zulu);
    }

    [Fact]
    public void Messages_give_addressee_text_and_number_and_recognise_acknowledgements()
    {
        var message = Assert.IsType<AprsMessage>(Report("APRS", ":EP2BBB   :Hello team{001\n"));
        Assert.Equal(new AprsMessage("EP2BBB", "Hello team", "001", AprsMessageKind.Message), message);

        var persian = Assert.IsType<AprsMessage>(Report("APRS", ":EP2BBB-9 :سلام تیم ۴"));
        Assert.Equal(("EP2BBB-9", "سلام تیم ۴", (string?)null), (persian.Addressee, persian.Text, persian.MessageNumber));

        Assert.Equal(AprsMessageKind.Acknowledgement, Assert.IsType<AprsMessage>(Report("APRS", ":EP2AAA-9 :ack001")).Kind);
        Assert.Equal(AprsMessageKind.Rejection, Assert.IsType<AprsMessage>(Report("APRS", ":EP2AAA-9 :rej7")).Kind);
    }

    [Fact]
    public void Other_data_types_are_reported_as_such()
    {
        Assert.Equal(new AprsOtherReport('>'), Report("APRS", ">Net control"));
    }

    [Theory]
    [InlineData("APRS", "!4903.50X/07201.75W>", 8, "not N or S")]
    [InlineData("APRS", "!4903.50N/18101.75W>", 1, "outside the globe")]
    [InlineData("APRS", "!4963.50N/07201.75W>", 3, "60 or more")]
    [InlineData("APRS", "!4903,50N/07201.75W>", 5, "decimal point")]
    [InlineData("APRS", "!4903.50N/0720", 14, "needs 19 characters")]
    [InlineData("APRS", "@0923x5z4903.50N/07201.75W>", 1, "six digits")]
    [InlineData("S32", "`(_fn\"Oj/", 0, "not six characters")]
    [InlineData("S32U6M", "`(_fn\"Oj/", 0, "not a latitude digit")]
    [InlineData("APRS", ":EP2BBB:hi", 10, "9-character addressee")]
    [InlineData("APRS", "", 0, "empty information field")]
    public void Bad_fields_say_what_is_wrong_and_where(string destination, string info, long offset, string reason)
    {
        Assert.Equal(DecodeStatus.Invalid, RadioGateway.Protocols.Aprs.Aprs.TryDecode(destination, Encoding.UTF8.GetBytes(info), out _, out var error));
        Assert.Equal(offset, error.Offset);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kiss_escapes_fend_and_fesc_both_ways()
    {
        var writer = new ArrayBufferWriter<byte>();
        Kiss.WriteData(writer, 2, [0x01, Kiss.Fend, 0x02, Kiss.Fesc]);

        Assert.Equal("c02001dbdc02dbddc0", Convert.ToHexStringLower(writer.WrittenSpan));
        var frame = DecoderHarness.DecodeEveryWay<KissFrame>(writer.WrittenSpan.ToArray(), Kiss.TryDecode);
        Assert.Equal(2, frame.Port);
        Assert.Equal(new byte[] { 0x01, Kiss.Fend, 0x02, Kiss.Fesc }, frame.Payload);
    }

    [Theory]
    [InlineData("41c0", 0, "does not open a KISS frame")]
    [InlineData("c00001dbc0", 4, "FESC followed by 0xC0")]
    public void Bad_kiss_input_says_what_and_where(string hex, long offset, string reason)
    {
        Assert.Equal(DecodeStatus.Invalid, Kiss.TryDecode(new ReadOnlySequence<byte>(Hex.Parse(hex)), out _, out _, out var error));
        Assert.Equal(offset, error.Offset);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kiss_frame_without_end_is_refused_past_the_bound()
    {
        var endless = new byte[Kiss.MaxPayload + 10];
        endless[0] = Kiss.Fend;

        Assert.Equal(DecodeStatus.Invalid, Kiss.TryDecode(new ReadOnlySequence<byte>(endless), out _, out _, out var error));
        Assert.Contains("longer than 1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ax25_refuses_frames_that_are_not_ui_or_have_bad_addresses()
    {
        var good = Hex.Parse("0082a0a4a64040e08aa064828282f2ae92888a62406303f0213335");
        var ax25 = good[1..];

        Assert.Equal(DecodeStatus.Done, Ax25.TryDecode(ax25, out _, out _));
        var info = (byte[])ax25.Clone();
        info[21] = 0x3F;
        Assert.Contains("not a UI frame", Error(info), StringComparison.Ordinal);
        var onlyDestination = (byte[])ax25.Clone();
        onlyDestination[6] |= 0x01;
        Assert.Contains("no source", Error(onlyDestination), StringComparison.Ordinal);
        Assert.Contains("ends inside address 3", Error(ax25[..17]), StringComparison.Ordinal);
        var lowercaseGarbage = (byte[])ax25.Clone();
        lowercaseGarbage[0] = (byte)('#' << 1);
        Assert.Contains("not a callsign character", Error(lowercaseGarbage), StringComparison.Ordinal);

        static string Error(byte[] frame) => Ax25.TryDecode(frame, out _, out var error) == DecodeStatus.Invalid ? error.Message : "decoded";
    }

    [Fact]
    public void Ax25_writer_output_decodes_back()
    {
        var writer = new ArrayBufferWriter<byte>();
        Ax25.WriteUi(writer, new Ax25Address("APRS", 0), new Ax25Address("EP2AAA", 9), [new Ax25Address("WIDE2", 2, Repeated: true)], "!3541.20N/05124.60E>"u8);

        Assert.Equal(DecodeStatus.Done, Ax25.TryDecode(writer.WrittenSpan, out var frame, out _));
        Assert.Equal("EP2AAA-9", frame!.Source.ToString());
        Assert.True(frame.Digipeaters[0].Repeated);
        Assert.Equal("!3541.20N/05124.60E>"u8.ToArray(), frame.Information);
    }

    [Fact]
    public void Kiss_truncations_and_fuzz_never_throw()
    {
        var seeds = Positions.Select(row => Hex.Parse((string)row[0])).ToList();
        foreach (var seed in seeds)
        {
            DecoderHarness.TruncationsNeverDecode<KissFrame>(seed, Kiss.TryDecode);
        }

        DecoderHarness.SurvivesFuzz<KissFrame>(seeds, Kiss.TryDecode);
    }

    [Fact]
    public void Ax25_and_aprs_survive_fuzzed_frames()
    {
        var seeds = Positions.Select(row => Decode((string)row[0])).ToList();
        var random = new Random(15);
        for (var i = 0; i < 20000; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var information = (byte[])seed.Information.Clone();
            for (var f = random.Next(1, 4); f > 0 && information.Length > 0; f--)
            {
                information[random.Next(information.Length)] = (byte)random.Next(256);
            }

            if (random.Next(3) == 0)
            {
                information = information[..random.Next(information.Length + 1)];
            }

            var status = RadioGateway.Protocols.Aprs.Aprs.TryDecode(seed.Destination.Callsign, information, out var report, out var error);
            Assert.True(status == DecodeStatus.Done ? report is not null : error.Message.Length > 0 && error.Offset <= information.Length);
            if (report is AprsPosition position)
            {
                Assert.InRange(position.Fix.Latitude, -90, 90);
                Assert.InRange(position.Fix.Longitude, -180, 180);
            }

            var frame = new byte[random.Next(0, 80)];
            random.NextBytes(frame);
            if (Ax25.TryDecode(frame, out _, out error) == DecodeStatus.Invalid)
            {
                Assert.InRange(error.Offset, 0, frame.Length);
            }
        }
    }

    private static Ax25UiFrame Decode(string kissHex)
    {
        Assert.Equal(DecodeStatus.Done, Kiss.TryDecode(new ReadOnlySequence<byte>(Hex.Parse(kissHex)), out var kiss, out _, out _));
        Assert.Equal(DecodeStatus.Done, Ax25.TryDecode(kiss!.Payload, out var frame, out _));
        return frame!;
    }

    private static AprsReport Report(string destination, string info)
    {
        var status = RadioGateway.Protocols.Aprs.Aprs.TryDecode(destination, Encoding.UTF8.GetBytes(info), out var report, out var error);
        Assert.True(status == DecodeStatus.Done, error.ToString());
        return report!;
    }

    private static AprsPosition Info(string destination, string info) => Assert.IsType<AprsPosition>(Report(destination, info));
}
