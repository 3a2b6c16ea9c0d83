using System.Text;
using System.Text.Json;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Core.Tests.CloudEvents;

public sealed class CloudEventWriterTests
{
    private readonly CloudEventWriter _writer = new("gw-mashhad");

    [Fact]
    public void Serialize_writes_a_call_ended_event_as_golden_json_with_persian_alias_as_utf8()
    {
        var call = SampleEvents.EndedCall(SampleEvents.OpenCall());

        var json = Encoding.UTF8.GetString(_writer.Serialize(SampleEvents.Ended(call)));

        const string expected = """
            {"specversion":"1.0","id":"gw1-1-20260301T081530250-2001-end","source":"radiogw/gw-mashhad","type":"radiogw.call.ended","subject":"gw1-1-20260301T081530250-2001","time":"2026-03-01T08:15:34.810Z","datacontenttype":"application/json","data":{"callId":"gw1-1-20260301T081530250-2001","radioId":"bs-mashhad","slot":1,"source":{"id":2001,"name":"Team 12","alias":"تیم ۱۲ مشهد"},"destination":{"id":91,"type":"group"},"start":"2026-03-01T08:15:30.250Z","end":"2026-03-01T08:15:34.810Z","durationMs":4560,"emergency":true,"privacy":false,"featureSetId":16,"lateEntry":true,"endReason":"link-lost","ber":1.25,"rssi":-97,"lostFrames":2,"frames":76}}
            """;
        Assert.Equal(expected, json);
    }

    [Fact]
    public void Serialize_leaves_out_end_fields_of_a_started_call()
    {
        var call = SampleEvents.OpenCall();

        using var document = JsonDocument.Parse(_writer.Serialize(SampleEvents.Started(call)));

        var data = document.RootElement.GetProperty("data");
        Assert.False(data.TryGetProperty("end", out _));
        Assert.False(data.TryGetProperty("durationMs", out _));
        Assert.False(data.TryGetProperty("endReason", out _));
        Assert.False(data.GetProperty("source").TryGetProperty("alias", out _));
        Assert.Equal("radiogw.call.started", document.RootElement.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(CallEndReason.Terminator, "terminator")]
    [InlineData(CallEndReason.Timeout, "timeout")]
    [InlineData(CallEndReason.LinkLost, "link-lost")]
    [InlineData(CallEndReason.Shutdown, "shutdown")]
    public void Serialize_spells_end_reasons_as_the_contract_says(CallEndReason reason, string expected)
    {
        var call = SampleEvents.EndedCall(SampleEvents.OpenCall()) with { EndReason = reason };

        using var document = JsonDocument.Parse(_writer.Serialize(SampleEvents.Ended(call)));

        Assert.Equal(expected, document.RootElement.GetProperty("data").GetProperty("endReason").GetString());
    }

    [Fact]
    public void Serialize_marks_replayed_in_the_envelope_and_for_positions_also_in_data()
    {
        var position = SampleEvents.Position("pos-1", SampleEvents.Start);
        var csbk = SampleEvents.Csbk("csbk-1", SampleEvents.Start);

        using var replayedPosition = JsonDocument.Parse(_writer.Serialize(position, replayed: true));
        using var replayedCsbk = JsonDocument.Parse(_writer.Serialize(csbk, replayed: true));
        using var livePosition = JsonDocument.Parse(_writer.Serialize(position));

        Assert.True(replayedPosition.RootElement.GetProperty("replayed").GetBoolean());
        Assert.True(replayedPosition.RootElement.GetProperty("data").GetProperty("replayed").GetBoolean());
        Assert.True(replayedCsbk.RootElement.GetProperty("replayed").GetBoolean());
        Assert.False(replayedCsbk.RootElement.GetProperty("data").TryGetProperty("replayed", out _));
        Assert.False(livePosition.RootElement.TryGetProperty("replayed", out _));
        Assert.False(livePosition.RootElement.GetProperty("data").TryGetProperty("replayed", out _));
    }

    [Fact]
    public void Marking_stored_bytes_replayed_keeps_them_valid_json_also_for_empty_data_and_refuses_a_wrong_offset()
    {
        var parts = new CloudEventParts("e-1", "position", "radiogw.position", null, SampleEvents.Start, "{}"u8.ToArray());
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var dataOffset = _writer.Write(buffer, parts);

        using var marked = JsonDocument.Parse(CloudEventWriter.MarkReplayed(buffer.WrittenSpan, dataOffset, inData: true));

        Assert.True(marked.RootElement.GetProperty("replayed").GetBoolean());
        Assert.Equal("{\"replayed\":true}", marked.RootElement.GetProperty("data").GetRawText());
        Assert.Throws<ArgumentException>(() => CloudEventWriter.MarkReplayed(buffer.WrittenSpan, dataOffset - 1, inData: false));
    }

    [Fact]
    public void Serialize_writes_position_fix_and_received_time_and_unit_in_utc()
    {
        var fix = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(3.5));

        using var document = JsonDocument.Parse(_writer.Serialize(SampleEvents.Position("pos-1", fix)));

        var data = document.RootElement.GetProperty("data");
        Assert.Equal("2026-03-01T08:30:00.000Z", data.GetProperty("fixTime").GetString());
        Assert.Equal("2026-03-01T08:30:03.000Z", data.GetProperty("receivedTime").GetString());
        Assert.Equal(2001u, data.GetProperty("unit").GetProperty("id").GetUInt32());
        Assert.Equal("lrrp", data.GetProperty("via").GetString());
        Assert.Equal("2001", document.RootElement.GetProperty("subject").GetString());
        Assert.False(data.TryGetProperty("id", out _));
        Assert.False(data.TryGetProperty("kind", out _));
    }

    [Fact]
    public void Serialize_leaves_out_a_non_finite_ber_instead_of_failing()
    {
        var call = SampleEvents.EndedCall(SampleEvents.OpenCall()) with { Ber = double.NaN };

        using var document = JsonDocument.Parse(_writer.Serialize(SampleEvents.Ended(call)));

        var data = document.RootElement.GetProperty("data");
        Assert.False(data.TryGetProperty("ber", out _));
        Assert.Equal(-97, data.GetProperty("rssi").GetInt32());
    }

    [Fact]
    public void TopicFor_uses_the_default_prefix_or_the_configured_one()
    {
        Assert.Equal("radiogw/v1/gw-mashhad/events/call", _writer.TopicFor("call"));
        Assert.Equal("site/a/events/position", new CloudEventWriter("gw-mashhad", "site/a/").TopicFor("position"));
    }

    [Fact]
    public void Serialize_keeps_control_and_quote_characters_valid_json()
    {
        var text = new TextMessageReceived
        {
            Id = "text-1",
            Time = SampleEvents.Start,
            From = new RadioUnit(2001),
            To = new CallTarget(2002, TargetType.Unit),
            Text = "سلام \"team\"\n\u0000\u202Eend",
            Protocol = "tms",
        };

        using var document = JsonDocument.Parse(_writer.Serialize(text));

        Assert.Equal(text.Text, document.RootElement.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal("unit", document.RootElement.GetProperty("data").GetProperty("to").GetProperty("type").GetString());
    }
}
