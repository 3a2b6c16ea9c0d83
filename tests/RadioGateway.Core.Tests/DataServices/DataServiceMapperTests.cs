using System.Buffers;
using RadioGateway.Core.DataServices;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Core.Tests.DataServices;

public sealed class DataServiceMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);
    private static readonly UnitRoster Roster = UnitRoster.From([new RosterUnit(3120101, "تیم ۱ تهران", "1", "Van 3", "Tehran", UnitDataProtocol.Motorola)]);

    /// <summary>A packet as the assembler delivers it: IPv4/UDP from <paramref name="source"/> to the dispatcher.</summary>
    private static DataPacket Packet(int port, Action<IBufferWriter<byte>> payload, uint source = 3120101, bool group = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        payload(buffer);
        var ip = UdpOverDmr.EncodeIpv4(source, 3120001, port, port, buffer.WrittenSpan, identification: 1);
        var header = new DataHeader { Format = DataPacketFormat.Unconfirmed, Sap = ServiceAccessPoint.IpPacketData, Source = source, Destination = 3120001, IsGroup = group, BlocksToFollow = 1 };
        return new DataPacket(header, ip, null);
    }

    private static IReadOnlyList<DomainEvent> Map(DataPacket packet) => new DataServiceMapper("bs1", Roster).Map(2, packet, null, Now, out _);

    [Fact]
    public void An_lrrp_report_becomes_a_position_with_the_roster_name_and_a_gateway_independent_id()
    {
        var fix = new GeoFix(-34.6037, -58.3816, SpeedKmh: 30, HeadingDeg: 90, AccuracyM: 5, FixTime: Now.AddSeconds(-4));
        var events = Map(Packet(Lrrp.Port, b => Lrrp.WriteReport(b, LrrpDocument.TriggeredReport, [7], fix)));

        var position = Assert.IsType<PositionReported>(Assert.Single(events));
        Assert.Equal((-34.6037, -58.3816, "lrrp"), (Math.Round(position.Lat, 6), Math.Round(position.Lon, 6), position.Via));
        Assert.Equal(new RadioUnit(3120101, "تیم ۱ تهران"), position.Unit);
        Assert.Equal(Now.AddSeconds(-4), position.FixTime);
        Assert.Equal(Now, position.ReceivedTime);
        Assert.DoesNotContain("bs1", position.Id, StringComparison.Ordinal);
        // Heard by another gateway a moment later: the same id.
        var again = new DataServiceMapper("bs2", UnitRoster.Empty).Map(1, Packet(Lrrp.Port, b => Lrrp.WriteReport(b, LrrpDocument.TriggeredReport, [7], fix)), null, Now.AddMilliseconds(300), out _);
        Assert.Equal(position.Id, Assert.Single(again).Id);
    }

    [Fact]
    public void A_tms_text_becomes_a_text_event_with_its_acknowledgement_request()
    {
        var events = Map(Packet(Tms.Port, b => Tms.WriteText(b, "به مرکز برگردید", 12, ackRequested: true)));

        var text = Assert.IsType<TextMessageReceived>(Assert.Single(events));
        Assert.Equal(("به مرکز برگردید", "tms", true, (int?)12), (text.Text, text.Protocol, text.AckRequested, text.SequenceNumber));
        Assert.Equal(new CallTarget(3120001, TargetType.Unit), text.To);
    }

    [Fact]
    public void Ars_registration_and_deregistration_become_registration_events()
    {
        var online = Assert.IsType<RegistrationChanged>(Assert.Single(Map(Packet(Ars.Port, b => Ars.WriteDeviceRegistration(b, "3120101")))));
        var offline = Assert.IsType<RegistrationChanged>(Assert.Single(Map(Packet(Ars.Port, Ars.WriteDeregistration))));

        Assert.True(online.Registered);
        Assert.False(offline.Registered);
        Assert.Equal("ars", online.Protocol);
    }

    [Fact]
    public void Answers_other_ports_and_damaged_packets_are_kept_as_data_events()
    {
        var ack = Assert.IsType<DataPacketHeard>(Assert.Single(Map(Packet(Tms.Port, b => Tms.WriteAcknowledgement(b, 7)))));
        Assert.Equal(("tms", "TMS acknowledgement of message 7", true), (ack.Service, ack.Summary, ack.Intact));

        var other = Assert.IsType<DataPacketHeard>(Assert.Single(Map(Packet(5016, b => b.Write("hi"u8)))));
        Assert.Equal(("udp", 5016, "6869"), (other.Service, other.Port, other.PayloadHex));

        var header = new DataHeader { Format = DataPacketFormat.Confirmed, Sap = ServiceAccessPoint.IpPacketData, Source = 3120101, Destination = 9, IsGroup = true, BlocksToFollow = 3 };
        var damaged = Assert.IsType<DataPacketHeard>(Assert.Single(Map(new DataPacket(header, null, "block 1 (serial 1) CRC-9 0x001, expected 0x0F3"))));
        Assert.False(damaged.Intact);
        Assert.Equal("block 1 (serial 1) CRC-9 0x001, expected 0x0F3", damaged.Problem);
        Assert.Equal(new CallTarget(9, TargetType.Group), damaged.Destination);
    }

    [Fact]
    public void A_service_payload_that_does_not_decode_is_reported_with_the_decoder_reason()
    {
        var heard = Assert.IsType<DataPacketHeard>(Assert.Single(Map(Packet(Lrrp.Port, b => b.Write(new byte[] { 0x07, 0x02, 0xEE, 0x00 })))));

        Assert.Equal("lrrp", heard.Service);
        Assert.Contains("unknown report token 0xEE", heard.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Nmea_text_over_udp_becomes_a_position_and_a_void_one_does_not()
    {
        var position = Assert.IsType<PositionReported>(Assert.Single(Map(Packet(5000, b => b.Write("$GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68"u8)))));
        Assert.Equal(("nmea", -123.1853333), (position.Via, position.Lon));

        var voidFix = Assert.IsType<DataPacketHeard>(Assert.Single(Map(Packet(5000, b => b.Write("$PKWDWPL,053125,V,4531.7900,N,12253.4800,W,,,200320,,AC7FD-1,/-*10\r\n"u8)))));
        Assert.Contains("no valid position", voidFix.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Hytera_lp_tmp_and_rrs_over_udp_become_position_text_and_registration()
    {
        var fix = new GeoFix(-34.6037, -58.3816, FixTime: Now);
        var position = Assert.IsType<PositionReported>(Assert.Single(Map(Packet(3003, b => RadioGateway.Protocols.Hytera.HyteraLp.WriteReport(b, RadioGateway.Protocols.Hytera.HyteraLp.StandardReport, 1, 3120101, fix)))));
        Assert.Equal(("hytera-lp", "تیم ۱ تهران"), (position.Via, position.Unit.Name));

        var text = Assert.IsType<TextMessageReceived>(Assert.Single(Map(Packet(3004, b => RadioGateway.Protocols.Hytera.HyteraTmp.WriteText(b, group: true, confirmed: false, 3, 101, 3120101, "سلام")))));
        Assert.Equal(("سلام", "hytera-tmp", new CallTarget(101, TargetType.Group)), (text.Text, text.Protocol, text.To));

        var online = Assert.IsType<RegistrationChanged>(Assert.Single(Map(Packet(3002, b => RadioGateway.Protocols.Hytera.HyteraRrs.Write(b, RadioGateway.Protocols.Hytera.HyteraRrs.Registration, 3120101)))));
        Assert.Equal(("hytera-rrs", true), (online.Protocol, online.Registered));

        var emergency = Map(Packet(3003, b => RadioGateway.Protocols.Hytera.HyteraLp.WriteReport(b, RadioGateway.Protocols.Hytera.HyteraLp.EmergencyReport, 1, 3120101, fix)));
        Assert.Equal(["position", "emergency"], emergency.Select(e => e.Kind));
    }

    [Fact]
    public void A_header_announcing_no_data_blocks_is_heard_intact_not_as_a_damaged_datagram()
    {
        var header = new DataHeader { Format = DataPacketFormat.Confirmed, Sap = ServiceAccessPoint.IpPacketData, Source = 3120101, Destination = 3120001, BlocksToFollow = 0 };

        var heard = Assert.IsType<DataPacketHeard>(Assert.Single(Map(new DataPacket(header, [], null))));

        Assert.True(heard.Intact, heard.Problem);
    }

    [Fact]
    public void A_response_packet_is_heard_as_an_intact_answer()
    {
        var header = new DataHeader { Format = DataPacketFormat.Response, Sap = ServiceAccessPoint.IpPacketData, Source = 3120101, Destination = 3120001, ResponseClass = 0, ResponseType = 1 };

        var heard = Assert.IsType<DataPacketHeard>(Assert.Single(Map(new DataPacket(header, [], null))));

        Assert.Equal(("response", true, "acknowledgement from 3120101"), (heard.Service, heard.Intact, heard.Summary));
    }
}
