using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using RadioGateway.Cli;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Tests.Cli;

public sealed class CallFormatterProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(60);

    [Fact]
    public void Any_call_record_survives_its_json_line()
    {
        var property = Prop.ForAll(CallRecordGenerators.Calls(fractionDigits: 3).ToArbitrary(), call =>
        {
            using var output = new StringWriter();
            CallFormatter.Write(output, [call], JournalOutputFormat.Json);
            var line = output.ToString();
            Assert.EndsWith("\n", line, StringComparison.Ordinal);
            Assert.Equal(CallRecordGenerators.InUtc(call), JsonSerializer.Deserialize<CallRecord>(line, EventJson.Options));
        });
        Check.One(Runs, property);
    }

    [Fact]
    public void Any_call_record_survives_csv_as_rfc_4180_fields()
    {
        var property = Prop.ForAll(CallRecordGenerators.Calls(fractionDigits: 3).ToArbitrary(), call =>
        {
            using var output = new StringWriter();
            CallFormatter.Write(output, [call], JournalOutputFormat.Csv);

            var records = ParseCsv(output.ToString());
            Assert.Equal(2, records.Count);
            var row = records[0].Zip(records[1]).ToDictionary(p => p.First, p => p.Second);
            Assert.Equal(call.CallId, row["callId"]);
            Assert.Equal(call.RadioId, row["radioId"]);
            Assert.Equal(CallFormatter.CsvText(call.Source.Name) ?? "", row["sourceName"]); // formula starts escaped with a leading quote
            Assert.Equal(CallFormatter.CsvText(call.Source.Alias) ?? "", row["sourceAlias"]);
            Assert.Equal(EventJson.FormatTime(call.Start), row["start"]);
        });
        Check.One(Runs, property);
    }

    // RFC 4180 §2: CRLF-terminated records, fields optionally quoted, "" inside quotes is one quote.
    private static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (field.Length == 0 && text[i] == '"')
            {
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, "unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }

                Assert.True(i < text.Length && (text[i] == ',' || text[i] == '\r'), "quoted field must end at a separator");
            }

            if (text[i] == ',')
            {
                record.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i += 2;
            }
            else
            {
                Assert.False(text[i] is '"' or '\r' or '\n', $"unquoted special character at {i}");
                field.Append(text[i++]);
            }
        }

        Assert.Empty(record);
        return records;
    }
}
