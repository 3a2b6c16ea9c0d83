using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Calls;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Events;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Core.Tests.Adapters;

/// <summary>The gateway's receive path for rate 1 data and for the response a radio sends to confirmed data.</summary>
public sealed class DmrReceiveAdapterDataTests : IDisposable
{
    private const byte ColourCode = 1;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
    private readonly Sink _sink = new();
    private readonly CallTracker _tracker;
    private readonly DmrReceiveAdapter _decoder;

    public DmrReceiveAdapterDataTests()
    {
        _tracker = new CallTracker("gw", "bs1", _sink, _time, NullLogger.Instance);
        _decoder = new DmrReceiveAdapter("bs1", ColourCode, _tracker, _sink, _time, NullLogger.Instance);
    }

    public void Dispose() => _tracker.Dispose();

    private static SlotBurst Burst(DmrDataType type, ReadOnlySpan<byte> info)
    {
        var burst = new byte[DmrBurst.Length];
        if (type == DmrDataType.Rate1Data)
        {
            Rate1Block.Write(burst, info);
        }
        else
        {
            DmrBurst.WriteBptcInfo(burst, info);
        }

        DmrBurst.WriteSlotType(burst, ColourCode, type);
        DmrBurst.WriteSync(burst, DmrSyncPattern.MsSourcedData);
        return SlotBurst.Data(1, burst, type);
    }

    [Fact]
    public void A_rate1_confirmed_lrrp_report_with_lsb_first_crc9_becomes_a_position_and_is_counted()
    {
        var report = new ArrayBufferWriter<byte>();
        Lrrp.WriteReport(report, LrrpDocument.TriggeredReport, [7], new GeoFix(-22.9068, -43.1729));
        var ip = UdpOverDmr.EncodeIpv4(3120101, 3120001, Lrrp.Port, Lrrp.Port, report.WrittenSpan, identification: 3);
        var (header, blocks) = DataPacketEncoder.Rate1(ip, ServiceAccessPoint.IpPacketData, 3120101, 3120001, isGroup: false, confirmed: true, crc9Order: Crc9BitOrder.LsbFirst);

        _decoder.OnBurst(Burst(DmrDataType.DataHeader, header));
        foreach (var block in blocks)
        {
            _decoder.OnBurst(Burst(DmrDataType.Rate1Data, block));
        }

        var position = Assert.Single(_sink.Events.OfType<PositionReported>());
        Assert.Equal((-22.9068, -43.1729), (Math.Round(position.Lat, 4), Math.Round(position.Lon, 4)));
        Assert.Equal((0L, 1L), (_decoder.MsbFirstCrc9Packets, _decoder.LsbFirstCrc9Packets));
    }

    [Theory]
    [InlineData(2, 0, true)] // selective ACK: blocks to repeat
    [InlineData(1, 1, true)] // NACK: CRC failure
    [InlineData(1, 2, false)] // NACK: memory full — not a CRC matter
    public void A_response_asking_again_after_a_crc_failure_is_an_answer_for_the_dispatcher(int responseClass, int responseType, bool crcRetry)
    {
        var answers = new List<string>();
        ((IRadioAnswers)_decoder).AnswerHeard += answers.Add;
        var header = new byte[DataHeader.Length];
        new DataHeader { Format = DataPacketFormat.Response, Sap = ServiceAccessPoint.IpPacketData, Source = 3120101, Destination = 3120001, ResponseClass = responseClass, ResponseType = responseType }.Encode(header);

        _decoder.OnBurst(Burst(DmrDataType.DataHeader, header));

        Assert.Equal(crcRetry, answers.Contains(AnswerKeys.DataCrcRetryRequest(3120101)));
        Assert.DoesNotContain(AnswerKeys.DataAcknowledgement(3120101), answers);
    }

    private sealed class Sink : IEventSink
    {
        public List<DomainEvent> Events { get; } = [];

        public void Publish(DomainEvent domainEvent) => Events.Add(domainEvent);
    }
}
