using System.Buffers;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Motorola;

public sealed class LrrpTests
{
    private static LrrpMessage Decode(string hex) => DecoderHarness.DecodeEveryWay<LrrpMessage>(Hex.Parse(hex), Lrrp.TryDecode);

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_lrrp.py test_example_report (the LRRP specification's example)
    private const string ImmediateReport = "071A22042468ACE0341F4DBC778051118ECD8D118AD47B00636C0006";

    [Fact]
    public void The_public_immediate_report_decodes_to_its_circle_time_and_speed()
    {
        var report = Decode(ImmediateReport);

        Assert.Equal(LrrpDocument.ImmediateReport, report.Document);
        Assert.Equal("2468ACE0", report.RequestIdHex);
        var fix = Assert.IsType<GeoFix>(report.Fix);
        Assert.Equal(12.345345, fix.Latitude, 6);
        Assert.Equal(24.668866, fix.Longitude, 6);
        Assert.Equal(0.7734375, fix.AccuracyM);
        Assert.Equal(0.046875, fix.SpeedKmh);
        Assert.Equal(new DateTimeOffset(2003, 6, 30, 7, 30, 0, TimeSpan.Zero), fix.FixTime);
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_lrrp.py test_example_report_with_error,
    // test_triggered_location_request, test_triggered_location_data, test_stop_request, test_stop_answer
    [Theory]
    [InlineData("070C22042468ACE0390503515355", LrrpDocument.ImmediateReport, 5, null)]
    [InlineData("090922042468ACE034313C", LrrpDocument.TriggeredRequest, null, 60)]
    [InlineData("0F0622042468ACE0", LrrpDocument.StopRequest, null, null)]
    [InlineData("110722042468ACE038", LrrpDocument.StopAnswer, 0, null)]
    public void Public_requests_and_answers_decode_with_their_result_and_interval(string hex, LrrpDocument document, int? result, int? interval)
    {
        var message = Decode(hex);

        Assert.Equal(document, message.Document);
        Assert.Equal("2468ACE0", message.RequestIdHex);
        Assert.Equal(result, message.ResultCode);
        Assert.Equal(interval, message.IntervalSeconds);
        Assert.Null(message.Fix);
    }

    [Fact]
    public void The_public_error_report_keeps_its_operation_error_text()
    {
        Assert.Equal("QSU", Decode("070C22042468ACE0390503515355").ResultText);
    }

    [Fact]
    public void The_public_triggered_point_2d_is_the_specification_position()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_lrrp.py test_triggered_location_data
        var fix = Assert.IsType<GeoFix>(Decode("0D0F22042468ACE066118ECD8D118AD47B").Fix);

        Assert.Equal((12.345345, 24.668866), (Math.Round(fix.Latitude, 6), Math.Round(fix.Longitude, 6)));
    }

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_lrrp.py test_unknown_samples and test_triggered_report_samples
    // (captures from radios in Czechia: about 50° N, 14–15° E).
    [Theory]
    [InlineData("1315232F341F4AD07B2E66474326660A4D56E46B0B5620", LrrpDocument.UnsolicitedReport)]
    [InlineData("1313232F341F99B20E87664728A1C70A38D29F561A", LrrpDocument.UnsolicitedReport)]
    [InlineData("0d162204c00000005148610c340ad0ecf70c126c003656a2", LrrpDocument.TriggeredReport)]
    [InlineData("0d1a22047fffffff69486109950ad0ecd28338156c000856a270400a", LrrpDocument.TriggeredReport)]
    [InlineData("0d162204c00000005148610be00ad0ecaa0b5b6c000956a2", LrrpDocument.TriggeredReport)]
    [InlineData("0d1a22047fffffff6948610e0c0ad0ec0d8337606c001056a2704001", LrrpDocument.TriggeredReport)]
    [InlineData("0d1a22047fffffff69486108d70ad0ec15833f546c000456a2704005", LrrpDocument.TriggeredReport)]
    public void Captured_reports_decode_to_central_european_positions(string hex, LrrpDocument document)
    {
        var message = Decode(hex);

        Assert.Equal(document, message.Document);
        var fix = Assert.IsType<GeoFix>(message.Fix);
        Assert.InRange(fix.Latitude, 49.0, 51.5);
        Assert.InRange(fix.Longitude, 12.0, 19.0);
    }

    [Fact]
    public void A_captured_point_3d_carries_altitude_heading_and_vertical_speed()
    {
        var message = Decode("0d1a22047fffffff69486109950ad0ecd28338156c000856a270400a");
        var fix = message.Fix!;

        // 0x83 0x38 = 440, fraction 0x15 = 21/128; direction octet 0xA2 = 162 × 2°; speed-vrt 0x40 0x0A = -10/128.
        Assert.Equal(440 + (21 / 128.0), fix.AltitudeM);
        Assert.Equal(324, fix.HeadingDeg);
        Assert.Equal(8 / 128.0, fix.SpeedKmh);
        Assert.Equal(-10 / 128.0, message.VerticalSpeedKmh);
    }

    [Theory]
    [InlineData(-33.868820, 151.209290)] // Sydney: south, east
    [InlineData(-34.603722, -58.381592)] // Buenos Aires: south, west
    [InlineData(40.712776, -74.005974)] // New York: north, west
    [InlineData(35.689487, 51.389000)] // Tehran: north, east
    [InlineData(-89.999999, -179.999999)]
    public void Southern_and_western_positions_round_trip_with_their_signs(double latitude, double longitude)
    {
        var output = new ArrayBufferWriter<byte>();
        var fix = new GeoFix(latitude, longitude, AltitudeM: -12.5, SpeedKmh: 42.25, HeadingDeg: 270, FixTime: new DateTimeOffset(2026, 11, 22, 14, 5, 9, TimeSpan.Zero));
        Lrrp.WriteReport(output, LrrpDocument.TriggeredReport, [0x01, 0x02], fix);

        var decoded = DecoderHarness.DecodeEveryWay<LrrpMessage>(output.WrittenSpan.ToArray(), Lrrp.TryDecode).Fix!;

        Assert.Equal(latitude, decoded.Latitude, 6);
        Assert.Equal(longitude, decoded.Longitude, 6);
        Assert.Equal(-12.5, decoded.AltitudeM);
        Assert.Equal(42.25, decoded.SpeedKmh);
        Assert.Equal(270, decoded.HeadingDeg);
        Assert.Equal(fix.FixTime, decoded.FixTime);
    }

    // Convention: LATITUDE SIGN-MAGNITUDE (bit 31 = south, 31-bit magnitude × 90/2³¹), longitude two's complement.
    // Evidence: DSheirer/sdrtrunk issue #1118 and PR #1119 (2021-11-28) — southern-hemisphere LRRP test data from an
    // Australian user (PR #1114 thread: a radio at 35° S) showed "a leading hemisphere flag followed by a 31-bit
    // integer"; the two's-complement parser before it put that radio at 55° S "in the middle of the ocean".
    // arancormonk/dsd-neo commit 366d45d4 (2025-12-22) reads two's complement instead, but its only real vector is
    // northern (44.6° N, where both readings agree) and its southern cases are generated from the formula under test;
    // ok-dmrlib (okdmr/dmrlib/motorola/mbxml.py) reads the field unsigned. So sign-magnitude stays.
    // Vector: the public immediate report above with Canberra's position (35.2809° S, 149.13° E) in its circle-2d.
    [Fact]
    public void A_southern_latitude_is_read_sign_magnitude_not_twos_complement()
    {
        var report = Decode("071A22042468ACE0341F4DBC778051B22D62386A0C49BA00636C0006");

        Assert.Equal(-35.2809, report.Fix!.Latitude, 6);
        Assert.Equal(149.13, report.Fix.Longitude, 6);
        // The same field read as two's complement: the 55° S of the sdrtrunk report.
        Assert.Equal(-54.7191, unchecked((int)0xB22D6238u) * 90.0 / 2147483648.0, 4);
    }

    [Fact]
    public void Latitude_is_sign_magnitude_and_longitude_twos_complement()
    {
        // Bit 31 of a latitude is the hemisphere; a two's-complement reading would give about -78° here.
        Assert.Equal(-12.345345, Lrrp.DecodeLatitude(0x80000000 | 0x118ECD8D), 6);
        Assert.Equal(0x80000000 | 0x118ECD8Du, Lrrp.EncodeLatitude(-12.345345));
        Assert.Equal(-24.668866, Lrrp.DecodeLongitude(unchecked((uint)-0x118AD47B)), 6);
    }

    [Fact]
    public void Requests_we_send_decode_to_what_we_asked()
    {
        var immediate = new ArrayBufferWriter<byte>();
        Lrrp.WriteImmediateRequest(immediate, [0xAB, 0xCD]);
        var triggered = new ArrayBufferWriter<byte>();
        Lrrp.WriteTriggeredRequest(triggered, [0x07], 300);
        var stop = new ArrayBufferWriter<byte>();
        Lrrp.WriteStopRequest(stop, [0x07]);

        Assert.Equal(LrrpDocument.ImmediateRequest, Decode(Hex.Format(immediate.WrittenSpan)).Document);
        Assert.Equal(300, Decode(Hex.Format(triggered.WrittenSpan)).IntervalSeconds);
        Assert.Equal("07", Decode(Hex.Format(stop.WrittenSpan)).RequestIdHex);
        // Against the public vector: the same request id and interval give the same bytes.
        var sameAsPublic = new ArrayBufferWriter<byte>();
        Lrrp.WriteTriggeredRequest(sameAsPublic, [0x24, 0x68, 0xAC, 0xE0], 60);
        Assert.Equal("090922042468ace034313c", Hex.Format(sameAsPublic.WrittenSpan));
    }

    [Theory]
    [InlineData("071A22042468ACE0341F4DBC778051118ECD8D", "runs past")] // length says 26, tokens cut: truncated
    [InlineData("0705220424680000", "runs past")]
    [InlineData("03020000", "not an LRRP document")]
    [InlineData("07FFFFFFFF7F", "variable integer")]
    [InlineData("0702EE00", "unknown report token 0xEE")]
    [InlineData("0706341F4DBC7F80", "not a valid UTC time")]
    public void Malformed_documents_are_invalid_naming_the_problem(string hex, string reason)
    {
        var bytes = Hex.Parse(hex);
        var status = Lrrp.TryDecode(new ReadOnlySequence<byte>(bytes), out _, out _, out var error);

        if (status == DecodeStatus.NeedMoreData)
        {
            Assert.Equal("runs past", reason); // a truncated document just waits for more
            return;
        }

        Assert.Equal(DecodeStatus.Invalid, status);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_and_random_documents_never_throw()
    {
        DecoderHarness.TruncationsNeverDecode<LrrpMessage>(Hex.Parse(ImmediateReport), Lrrp.TryDecode);
        DecoderHarness.SurvivesFuzz<LrrpMessage>(
            [Hex.Parse(ImmediateReport), Hex.Parse("0d1a22047fffffff69486109950ad0ecd28338156c000856a270400a"), Hex.Parse("090922042468ACE034313C")],
            Lrrp.TryDecode);
    }
}
