using RadioGateway.Core.DataServices;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Core.Tests.DataServices;

/// <summary>Short data and UDT packets, rebuilt by the assembler, mapped to positions, texts and heard packets.</summary>
public sealed class ShortMessageMappingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    private static IReadOnlyList<DomainEvent> MapBlocks(byte[] header, IEnumerable<byte[]> blocks)
    {
        var assembler = new DataCallAssembler();
        var opened = assembler.OnHeader(DataHeader.Decode(header, out var error) ?? throw new InvalidOperationException(error));
        var packet = opened.Count > 0 ? opened[^1] : blocks.Select(b => assembler.OnRate12Block(b, false)).ToList()[^1]!;
        return new DataServiceMapper("bs1", UnitRoster.Empty).Map(1, packet, null, Now, out _);
    }

    [Fact]
    public void A_udt_nmea_location_becomes_a_position_fixed_at_its_utc_time_today()
    {
        var coded = ShortMessages.EncodeNmeaLocationShort(-27.4698, 153.0251, knots: 5, new TimeSpan(9, 29, 10));
        var (header, blocks) = DataPacketEncoder.UnifiedDataTransport(coded, (int)UdtFormat.NmeaLocation, 0x1B, 2620647, 262, isGroup: false);

        var position = Assert.IsType<PositionReported>(Assert.Single(MapBlocks(header, blocks)));

        Assert.Equal((-27.4698, 153.0251, "udt-nmea"), (Math.Round(position.Lat, 4), Math.Round(position.Lon, 4), position.Via));
        Assert.Equal(2620647u, position.Unit.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 29, 10, TimeSpan.Zero), position.FixTime);
    }

    [Fact]
    public void A_udt_location_taken_before_midnight_and_heard_after_it_is_dated_the_day_before()
    {
        var coded = ShortMessages.EncodeNmeaLocationShort(1, 2, knots: 0, new TimeSpan(23, 59, 50));
        var (header, blocks) = DataPacketEncoder.UnifiedDataTransport(coded, (int)UdtFormat.NmeaLocation, 0x1B, 5, 262, isGroup: false);
        var assembler = new DataCallAssembler();
        assembler.OnHeader(DataHeader.Decode(header, out _)!);
        var packet = blocks.Select(b => assembler.OnRate12Block(b, false)).ToList()[^1]!;

        var events = new DataServiceMapper("bs1", UnitRoster.Empty).Map(1, packet, null, new DateTimeOffset(2026, 11, 23, 0, 0, 5, TimeSpan.Zero), out _);

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 23, 59, 50, TimeSpan.Zero), Assert.IsType<PositionReported>(Assert.Single(events)).FixTime);
    }

    [Fact]
    public void Nmea_sentences_sent_as_udt_text_are_read_by_the_nmea_decoder()
    {
        var sentence = "$GPGLL,3751.650,S,14507.360,E,092900,A*34"u8.ToArray();
        var (header, blocks) = DataPacketEncoder.UnifiedDataTransport(sentence, (int)UdtFormat.Iso8, 0x1B, 5, 262, isGroup: false);

        var events = MapBlocks(header, blocks);

        var position = Assert.IsType<PositionReported>(Assert.Single(events));
        Assert.Equal((-37.8608, 145.1227, "nmea"), (Math.Round(position.Lat, 4), Math.Round(position.Lon, 4), position.Via));
    }

    [Fact]
    public void Defined_short_data_text_becomes_a_text_message()
    {
        var (header, blocks) = DataPacketEncoder.ShortDataDefined(System.Text.Encoding.Unicode.GetBytes("Pomoc na mostě"), 0x15, 2308155, 2308195, isGroup: true);

        var text = Assert.IsType<TextMessageReceived>(Assert.Single(MapBlocks(header, blocks)));

        Assert.Equal(("Pomoc na mostě", "short-data"), (text.Text, text.Protocol));
        Assert.Equal(new CallTarget(2308195, TargetType.Group), text.To);
    }

    [Fact]
    public void Binary_udt_and_a_damaged_udt_are_heard_not_dropped()
    {
        var (header, blocks) = DataPacketEncoder.UnifiedDataTransport([1, 2, 3], (int)UdtFormat.Binary, 0x1B, 5, 262, isGroup: false);
        var heard = Assert.IsType<DataPacketHeard>(Assert.Single(MapBlocks(header, blocks)));
        Assert.Equal(("udt", "udt udt:binary", "010203"), (heard.Service, heard.Summary, heard.PayloadHex![..6]));

        blocks[0][0] ^= 0xFF;
        var damaged = Assert.IsType<DataPacketHeard>(Assert.Single(MapBlocks(header, blocks)));
        Assert.False(damaged.Intact);
        Assert.Contains("UDT CRC-16", damaged.Problem, StringComparison.Ordinal);
    }
}
