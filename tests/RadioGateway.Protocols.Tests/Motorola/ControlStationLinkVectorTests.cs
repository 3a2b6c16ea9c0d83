using System.Buffers;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Testing;

namespace RadioGateway.Protocols.Tests.Motorola;

/// <summary>
/// Every PDU a MOTOTRBO control-station link sends or receives (ARS, LRRP, TMS), each whole, split at every offset
/// and one byte at a time, every strict prefix never a message, and every encoder's output decoded back. Public
/// vectors are cited by repository and path; the rest are marked "own vector" and were built by hand from the
/// field layouts in the decoders' summaries.
/// </summary>
public sealed class ControlStationLinkVectorTests
{
    private static ArsMessage Ars(string hex) => Every<ArsMessage>(hex, RadioGateway.Protocols.Motorola.Ars.TryDecode);

    private static LrrpMessage Lrrp(string hex) => Every<LrrpMessage>(hex, RadioGateway.Protocols.Motorola.Lrrp.TryDecode);

    private static TmsMessage Tms(string hex) => Every<TmsMessage>(hex, RadioGateway.Protocols.Motorola.Tms.TryDecode);

    /// <summary>Whole, every split, byte by byte; and no strict prefix decodes.</summary>
    private static T Every<T>(string hex, SequenceDecoder<T> decoder)
    {
        var bytes = Hex.Parse(hex);
        DecoderHarness.TruncationsNeverDecode(bytes, decoder);
        return DecoderHarness.DecodeEveryWay(bytes, decoder);
    }

    private static string Written(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Hex.Format(output.WrittenSpan).ToUpperInvariant();
    }

    // ---- ARS (UDP 4005) ----

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_ars.py test_su_query, test_su_query_response, test_csbk_ars
    [Theory]
    [InlineData("000174", ArsPduType.StatusQuery, true)]
    [InlineData("00013F", ArsPduType.Response, false)]
    [InlineData("00033F1080", ArsPduType.Response, false)]
    public void Public_ars_queries_and_their_answers_decode_and_are_neither_online_nor_offline(string hex, ArsPduType type, bool acknowledged)
    {
        var message = Ars(hex);

        Assert.Equal((type, acknowledged, true), (message.Type, message.Acknowledged, message.Priority));
        Assert.False(message.IsOnline || message.IsOffline);
        Assert.Null(message.RefreshMinutes); // no second header: no refresh interval given
    }

    [Fact]
    public void An_ars_failure_answer_carries_its_reason_and_a_user_deregistration_is_offline()
    {
        // Own vector: response with more headers and the acknowledged bit (= failure), reason 3 (transmission
        // failure, the FailureReason numbering of OK-DMR/ok-dmrlib okdmr/dmrlib/motorola/automatic_registration_service.py).
        var failure = Ars("0002FF03");
        Assert.Equal((ArsPduType.Response, true, 3), (failure.Type, failure.Acknowledged, failure.FailureReason));
        Assert.Null(failure.RefreshMinutes);

        // Own vector: user deregistration (type 6) with priority and control bits.
        var leaving = Ars("000136");
        Assert.Equal(ArsPduType.UserDeregistration, leaving.Type);
        Assert.True(leaving.IsOffline);
    }

    [Fact]
    public void Our_ars_pdus_are_the_public_bytes_and_decode_back_every_way()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_ars.py test_ars_device_reg, test_ars_device_dereg, test_ars_response
        Assert.Equal("0007F0200231310000", Written(w => RadioGateway.Protocols.Motorola.Ars.WriteDeviceRegistration(w, "11")));
        Assert.Equal("000131", Written(RadioGateway.Protocols.Motorola.Ars.WriteDeregistration));
        Assert.Equal("0002BF01", Written(w => RadioGateway.Protocols.Motorola.Ars.WriteRegistrationAccepted(w, 1)));

        Assert.Equal("3120101", Ars(Written(w => RadioGateway.Protocols.Motorola.Ars.WriteDeviceRegistration(w, "3120101"))).DeviceId);
        Assert.True(Ars(Written(RadioGateway.Protocols.Motorola.Ars.WriteDeregistration)).IsOffline);
        foreach (var halfHours in new[] { 0, 1, 2, 127 })
        {
            var accepted = Ars(Written(w => RadioGateway.Protocols.Motorola.Ars.WriteRegistrationAccepted(w, halfHours)));
            Assert.Equal((false, halfHours * 30), (accepted.Acknowledged, accepted.RefreshMinutes));
        }
    }

    // ---- LRRP (UDP 4001) ----

    // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_lrrp.py test_triggered_report_samples: the captures the
    // existing LrrpTests do not already run.
    [Theory]
    [InlineData("0d162204c00000005148610e0c0ad0ec0d0a736c001056a2")]
    [InlineData("0d162204c00000005148610b2b0ad0eca109796c000256a2")]
    [InlineData("0d1a22047fffffff6948610b4a0ad0ec9d833c516c000656a2704007")]
    [InlineData("0d162204c00000005148610b430ad0ec78083e6c000456a2")]
    [InlineData("0d162204c000000051486109b90ad0eb120a4e6c002556a2")]
    [InlineData("0d1a22047fffffff69486109b90ad0eb12833f656c002556a2704009")]
    [InlineData("0d162204c0000000514861096a0ad0ebdb091c6c000756a2")]
    public void The_remaining_public_triggered_reports_decode_to_central_european_positions_with_speed_and_heading(string hex)
    {
        var report = Lrrp(hex);

        Assert.Equal(LrrpDocument.TriggeredReport, report.Document);
        var fix = Assert.IsType<GeoFix>(report.Fix);
        Assert.InRange(fix.Latitude, 49.0, 51.5);
        Assert.InRange(fix.Longitude, 12.0, 19.0);
        Assert.Equal(324, fix.HeadingDeg); // direction octet 0xA2 in every sample
        Assert.NotNull(fix.SpeedKmh);
    }

    [Fact]
    public void The_public_immediate_request_asks_for_accuracy_and_horizontal_speed()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_mbxml.py test_lrrp_example
        var request = Lrrp("050822042468ACE05162");

        Assert.Equal((LrrpDocument.ImmediateRequest, "2468ACE0", true), (request.Document, request.RequestIdHex, request.IsRequest));
        Assert.Equal(new byte[] { 0x51, 0x62 }, request.RequestTokens);
        Assert.Null(request.Fix);
    }

    [Fact]
    public void A_public_request_with_a_constant_data_table_skips_the_table_and_reads_its_tokens()
    {
        // OK-DMR/ok-dmrlib okdmr/tests/dmrlib/motorola/test_mbxml.py test_lrrp_cdt: document 0x04 (even: with a
        // constant data table), table length 5, the table, then request-id, ret-info and request-speed-hor.
        var request = Lrrp("040E05054150434f22042468ACE05362");

        Assert.Equal((LrrpDocument.ImmediateRequest, "2468ACE0"), (request.Document, request.RequestIdHex));
        Assert.Equal(new byte[] { 0x53, 0x62 }, request.RequestTokens);
    }

    [Fact]
    public void A_circle_3d_report_carries_radius_altitude_confidence_and_protocol_version()
    {
        // Own vector: triggered report, circle-3d (0x54: the specification example's point, radius 10.5,
        // altitude 440 + 21/128 as in the public captures, altitude accuracy 5.0), lev-conf 90, protocol-version 1.
        var report = Lrrp("0D1A22042468ACE054118ECD8D118AD47B0A408338150500655A3601");
        var fix = report.Fix!;

        Assert.Equal((12.345345, 24.668866), (Math.Round(fix.Latitude, 6), Math.Round(fix.Longitude, 6)));
        Assert.Equal((10.5, 440 + (21 / 128.0)), (fix.AccuracyM, fix.AltitudeM));
        Assert.Equal(90, report.LevelOfConfidence);
    }

    [Fact]
    public void A_southern_circle_3d_with_a_short_request_id_and_a_time_is_an_unsolicited_report()
    {
        // Own vector: unsolicited report, one-octet request id (0x23), info-time of the specification example,
        // circle-3d token 0x55 at Canberra (35.2809° S, 149.13° E, the raw values of LrrpTests' southern vector).
        var report = Lrrp("13182307341F4DBC778055B22D62386A0C49BA0A408338150500");
        var fix = report.Fix!;

        Assert.Equal((LrrpDocument.UnsolicitedReport, "07"), (report.Document, report.RequestIdHex));
        Assert.Equal((-35.2809, 149.13), (Math.Round(fix.Latitude, 6), Math.Round(fix.Longitude, 6)));
        Assert.Equal(new DateTimeOffset(2003, 6, 30, 7, 30, 0, TimeSpan.Zero), fix.FixTime);
        Assert.Equal(10.5, fix.AccuracyM);
    }

    [Fact]
    public void A_point_3d_with_altitude_accuracy_carries_a_negative_altitude_and_vertical_speed()
    {
        // Own vector: immediate report, point-3d with altitude accuracy (0x6A): altitude sfloat 0x4C 0x40 = -12.5,
        // accuracy 3.0; speed-vrt 0x40 0x05 = -5/128.
        var report = Lrrp("071622042468ACE06A118ECD8D118AD47B4C400300704005");

        Assert.Equal(-12.5, report.Fix!.AltitudeM);
        Assert.Equal(-5 / 128.0, report.VerticalSpeedKmh);
    }

    [Fact]
    public void A_triggered_answer_with_a_result_code_is_no_position()
    {
        // Own vector: triggered answer, result token 0x37 with result code 10; our answer encoder writes the same bytes.
        var answer = Lrrp("0B0822042468ACE0370A");

        Assert.Equal((LrrpDocument.TriggeredAnswer, 10), (answer.Document, answer.ResultCode));
        Assert.Null(answer.Fix);
        Assert.Equal("0B0822042468ACE0370A", Written(w => RadioGateway.Protocols.Motorola.Lrrp.WriteAnswer(w, LrrpDocument.TriggeredAnswer, [0x24, 0x68, 0xAC, 0xE0], 10)));
    }

    [Fact]
    public void A_location_protocol_report_is_a_report_not_a_request()
    {
        // Own vector: document 0x15, Location-Protocol-Report (0x14 request and 0x15 report are both NCDT:
        // OK-DMR/ok-dmrlib okdmr/dmrlib/motorola/mbxml.py MBXMLDocumentIdentifier), protocol-version 1, result success.
        var report = Lrrp("150922042468ACE0360138");

        Assert.Equal((LrrpDocument.ProtocolReport, false, 0), (report.Document, report.IsRequest, report.ResultCode));
    }

    [Fact]
    public void A_triggered_request_with_every_valued_request_token_keeps_them_in_order()
    {
        // Own vector: periodic trigger every 60 s, trg-condition 100, request-lev-conf 1, request-altitude-acc 10.0,
        // request-protocol-version 1, require-max-info-age 30, require-lev-conf 1, then three tokens without a value.
        var request = Lrrp("091922042468ACE034313C4A646101560A003F01421E7301625764");

        Assert.Equal(60, request.IntervalSeconds);
        Assert.Equal(new byte[] { 0x34, 0x4A, 0x61, 0x56, 0x3F, 0x42, 0x73, 0x62, 0x57, 0x64 }, request.RequestTokens);
    }

    [Fact]
    public void Every_request_we_send_decodes_back_to_what_we_asked()
    {
        byte[] id = [0x80, 0x2F, 0x9B, 0xE5];
        var immediate = Lrrp(Written(w => RadioGateway.Protocols.Motorola.Lrrp.WriteImmediateRequest(w, id)));
        var triggered = Lrrp(Written(w => RadioGateway.Protocols.Motorola.Lrrp.WriteTriggeredRequest(w, id, 3600)));
        var stop = Lrrp(Written(w => RadioGateway.Protocols.Motorola.Lrrp.WriteStopRequest(w, id)));

        Assert.Equal((LrrpDocument.ImmediateRequest, "802F9BE5"), (immediate.Document, immediate.RequestIdHex));
        Assert.Equal(new byte[] { 0x51, 0x62, 0x57 }, immediate.RequestTokens);
        Assert.Equal((LrrpDocument.TriggeredRequest, 3600, "802F9BE5"), (triggered.Document, triggered.IntervalSeconds, triggered.RequestIdHex));
        Assert.Equal((LrrpDocument.StopRequest, "802F9BE5"), (stop.Document, stop.RequestIdHex));
    }

    [Theory]
    [InlineData(LrrpDocument.TriggeredAnswer, 0)]
    [InlineData(LrrpDocument.StopAnswer, 0)]
    [InlineData(LrrpDocument.StopAnswer, 514)]
    public void Every_answer_we_write_decodes_back(LrrpDocument document, int result)
    {
        var answer = Lrrp(Written(w => RadioGateway.Protocols.Motorola.Lrrp.WriteAnswer(w, document, [0x01], result)));

        Assert.Equal((document, result, "01"), (answer.Document, answer.ResultCode, answer.RequestIdHex));
    }

    // Altitude and accuracy choose the shape: point-2d, circle-2d, point-3d, circle-3d.
    public static TheoryData<double?, double?> ReportShapes => new()
    {
        { null, null },
        { null, 7.5 },
        { -12.5, null },
        { 1520.25, 12.0 },
    };

    [Theory]
    [MemberData(nameof(ReportShapes))]
    public void Every_report_shape_we_write_decodes_back_in_every_hemisphere(double? altitude, double? accuracy)
    {
        foreach (var (latitude, longitude) in new[] { (35.6892, 51.389), (-33.8688, 151.2093), (40.7128, -74.006), (-34.6037, -58.3816) })
        {
            var fix = new GeoFix(latitude, longitude, altitude, SpeedKmh: 12.5, HeadingDeg: 90, AccuracyM: accuracy, FixTime: new DateTimeOffset(2026, 11, 30, 1, 2, 3, TimeSpan.Zero));
            foreach (var document in new[] { LrrpDocument.ImmediateReport, LrrpDocument.TriggeredReport, LrrpDocument.UnsolicitedReport })
            {
                var report = Lrrp(Written(w => RadioGateway.Protocols.Motorola.Lrrp.WriteReport(w, document, [0x0A, 0x0B], fix)));

                Assert.Equal(document, report.Document);
                Assert.Equal(latitude, report.Fix!.Latitude, 6);
                Assert.Equal(longitude, report.Fix.Longitude, 6);
                Assert.Equal((altitude, accuracy, 12.5, 90.0, fix.FixTime), (report.Fix.AltitudeM, report.Fix.AccuracyM, report.Fix.SpeedKmh, report.Fix.HeadingDeg, report.Fix.FixTime));
            }
        }
    }

    [Fact]
    public void A_report_we_write_with_a_failure_result_keeps_it()
    {
        var report = Lrrp(Written(w => RadioGateway.Protocols.Motorola.Lrrp.WriteReport(w, LrrpDocument.ImmediateReport, [0x05], new GeoFix(1, 2), resultCode: 0x10)));

        Assert.Equal(0x10, report.ResultCode);
    }

    // ---- TMS (UDP 4007) ----

    [Fact]
    public void A_persian_text_in_decodes_from_its_utf16_little_endian_octets()
    {
        // Own vector: "سلام" (U+0633 U+0644 U+0627 U+0645) as UTF-16 little-endian, sequence 3, no address,
        // acknowledgement requested (0xE0) and not (0xA0).
        var asked = Tms("000CE00083043306440627064506");
        var notAsked = Tms("000CA00083043306440627064506");

        Assert.Equal(("سلام", 3, true), (asked.Text, asked.SequenceNumber, asked.AckRequested));
        Assert.Equal(("سلام", false), (notAsked.Text, notAsked.AckRequested));
        Assert.Equal("000CE00083043306440627064506", Written(w => RadioGateway.Protocols.Motorola.Tms.WriteText(w, "سلام", 3, ackRequested: true)));
    }

    [Fact]
    public void Texts_beyond_the_basic_plane_and_every_sequence_number_round_trip()
    {
        foreach (var sequence in new[] { 0, 1, 31, 32, 85, 127 })
        {
            var text = Tms(Written(w => RadioGateway.Protocols.Motorola.Tms.WriteText(w, "کمک 🚑 لازم است", sequence, ackRequested: true, address: [0x31])));
            var ack = Tms(Written(w => RadioGateway.Protocols.Motorola.Tms.WriteAcknowledgement(w, sequence)));

            Assert.Equal(("کمک 🚑 لازم است", sequence), (text.Text, text.SequenceNumber));
            Assert.Equal((TmsPduType.Acknowledgement, sequence), (ack.Type, ack.SequenceNumber));
        }
    }

    [Fact]
    public void The_longest_text_we_send_round_trips()
    {
        var text = new string('ب', RadioGateway.Protocols.Motorola.Tms.MaxTextUnits);

        Assert.Equal(text, Tms(Written(w => RadioGateway.Protocols.Motorola.Tms.WriteText(w, text, 9, ackRequested: true))).Text);
    }

    // ---- Bounds, random and truncated input ----

    [Theory]
    [InlineData("FFFF", "TMS length 65535 is outside 1..1500")]
    [InlineData("05DD", "TMS length 1501 is outside 1..1500")]
    public void A_tms_length_beyond_the_bound_is_refused_before_its_body_arrives(string hex, string reason)
    {
        var status = RadioGateway.Protocols.Motorola.Tms.TryDecode(new ReadOnlySequence<byte>(Hex.Parse(hex)), out _, out _, out var error);

        Assert.Equal(DecodeStatus.Invalid, status);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ars_and_lrrp_lengths_beyond_their_bounds_are_refused_before_the_body_arrives()
    {
        var ars = RadioGateway.Protocols.Motorola.Ars.TryDecode(new ReadOnlySequence<byte>(Hex.Parse("0201")), out _, out _, out var arsError);
        var lrrp = RadioGateway.Protocols.Motorola.Lrrp.TryDecode(new ReadOnlySequence<byte>(Hex.Parse("0D8401")), out _, out _, out var lrrpError);

        Assert.Equal((DecodeStatus.Invalid, DecodeStatus.Invalid), (ars, lrrp));
        Assert.Contains("ARS length 513 is outside 1..512", arsError.Message, StringComparison.Ordinal);
        Assert.Contains("document length 513 exceeds the 512-octet limit", lrrpError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_and_mutated_link_input_never_throws()
    {
        DecoderHarness.SurvivesFuzz<ArsMessage>(
            [.. new[] { "000174", "00013F", "00033F1080", "0002FF03", "000136", "0007F0200231310000", "0010F5000231310939393939393939393900" }.Select(Hex.Parse)],
            RadioGateway.Protocols.Motorola.Ars.TryDecode,
            iterations: 20000,
            seed: 14);
        DecoderHarness.SurvivesFuzz<LrrpMessage>(
            [.. new[] { "040E05054150434f22042468ACE05362", "050822042468ACE05162", "0D1A22042468ACE054118ECD8D118AD47B0A408338150500655A3601", "13182307341F4DBC778055B22D62386A0C49BA0A408338150500", "071622042468ACE06A118ECD8D118AD47B4C400300704005", "091922042468ACE034313C4A646101560A003F01421E7301625764", "150922042468ACE0360138" }.Select(Hex.Parse)],
            RadioGateway.Protocols.Motorola.Lrrp.TryDecode,
            iterations: 20000,
            seed: 14);
        DecoderHarness.SurvivesFuzz<TmsMessage>(
            [.. new[] { "000CE00083043306440627064506", "0003D00001", "0006BF0333313209", "00021F00" }.Select(Hex.Parse)],
            RadioGateway.Protocols.Motorola.Tms.TryDecode,
            iterations: 20000,
            seed: 14);
    }
}
