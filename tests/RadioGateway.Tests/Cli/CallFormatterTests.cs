using RadioGateway.Cli;
using RadioGateway.Core.Events;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Tests.Cli;

public sealed class CallFormatterTests
{
    private static readonly CallRecord Ended = SampleEvents.EndedCall(SampleEvents.OpenCall());

    private static string Format(JournalOutputFormat format, params CallRecord[] calls)
    {
        using var output = new StringWriter();
        CallFormatter.Write(output, calls, format);
        return output.ToString();
    }

    [Fact]
    public void Csv_writes_a_header_and_crlf_records_in_utf8_text()
    {
        var csv = Format(JournalOutputFormat.Csv, Ended);

        Assert.Equal(
            "callId,radioId,slot,start,end,durationMs,sourceId,sourceName,sourceAlias,destinationId,destinationType,emergency,privacy,lateEntry,featureSetId,endReason,ber,rssi,lostFrames,frames,recordingFile,recordingDurationMs,recordingBytes\r\n"
            + "gw1-1-20260301T081530250-2001,bs-mashhad,1,2026-03-01T08:15:30.250Z,2026-03-01T08:15:34.810Z,4560,2001,Team 12,تیم ۱۲ مشهد,91,group,true,false,true,16,link-lost,1.25,-97,2,76,,,\r\n",
            csv);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("تیم، ۱۲", "تیم، ۱۲")]
    [InlineData("", "")]
    public void CsvField_quotes_only_what_rfc_4180_requires(string value, string expected) =>
        Assert.Equal(expected, CallFormatter.CsvField(value));

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1+1")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    public void Csv_names_and_aliases_from_the_air_cannot_start_a_spreadsheet_formula(string alias)
    {
        var call = Ended with { Source = Ended.Source with { Name = alias, Alias = alias } };

        var record = Format(JournalOutputFormat.Csv, call).Split("\r\n")[1];

        Assert.Contains("," + CallFormatter.CsvField("'" + alias) + "," + CallFormatter.CsvField("'" + alias) + ",", record, StringComparison.Ordinal);
        Assert.EndsWith(",-97,2,76,,,", record, StringComparison.Ordinal); // numbers stay numbers
    }

    [Fact]
    public void Json_writes_one_object_per_line_with_payload_field_names()
    {
        var open = SampleEvents.OpenCall("call-2");

        var lines = Format(JournalOutputFormat.Json, Ended, open).Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        Assert.StartsWith("{\"callId\":\"gw1-1-20260301T081530250-2001\",", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"alias\":\"تیم ۱۲ مشهد\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"endReason\":\"link-lost\"", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("endReason", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Table_aligns_columns_and_isolates_persian_names_in_the_last_column()
    {
        var second = SampleEvents.OpenCall("call-2", source: 16777215, talkgroup: 2002) with
        {
            Source = new RadioUnit(16777215, "مرکز\u202E", null),
            Destination = new CallTarget(2002, TargetType.Unit),
            Emergency = false,
            LateEntry = false,
        };

        var lines = Format(JournalOutputFormat.Table, Ended, second).Split('\n');

        Assert.Equal(
        [
            "START (UTC)          DURATION  TS  FROM      TO      FLAGS  END        NAME / ALIAS",
            "2026-03-01 08:15:30  4.6s      1   2001      TG 91   EL     link-lost  \u2068Team 12\u2069 / \u2068تیم ۱۲ مشهد\u2069",
            "2026-03-01 08:15:30  -         1   16777215  U 2002  -      open       \u2068مرکز\u202E\u2069",
            "",
        ], lines);
    }

    [Fact]
    public void A_calls_recording_gets_its_own_columns_in_csv_and_a_table_column_when_any_call_has_one()
    {
        var recorded = Ended with { Recording = new CallRecording("2026-03-01/gw1-1-20260301T081530250-2001.opus", 4560, 30720, Ended.Start) };

        Assert.EndsWith(",76,2026-03-01/gw1-1-20260301T081530250-2001.opus,4560,30720\r\n", Format(JournalOutputFormat.Csv, recorded), StringComparison.Ordinal);
        var lines = Format(JournalOutputFormat.Table, recorded, SampleEvents.OpenCall("call-2")).Split('\n');
        Assert.StartsWith("START (UTC)          DURATION  TS  FROM  TO     FLAGS  END        RECORDING ", lines[0], StringComparison.Ordinal);
        Assert.Contains("  link-lost  2026-03-01/gw1-1-20260301T081530250-2001.opus (30 KiB)  ", lines[1], StringComparison.Ordinal);
        Assert.Contains("  open       -  ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Isolate_replaces_control_characters_that_would_break_a_table_row() =>
        Assert.Equal("\u2068a\uFFFDb\uFFFD\u2069", CallFormatter.Isolate("a\nb\u0007"));
}
