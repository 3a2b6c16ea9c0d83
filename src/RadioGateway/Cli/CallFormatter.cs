using System.Globalization;
using System.Text;
using System.Text.Json;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;

namespace RadioGateway.Cli;

/// <summary>Output formats of <c>radiogw journal … --format</c> (GPX, GeoJSON and KML for positions only).</summary>
public enum JournalOutputFormat
{
    /// <summary>Aligned columns for a terminal; names last, bidi-isolated.</summary>
    Table,

    /// <summary>JSON lines, one call per line, same field names as the <c>events/call</c> data.</summary>
    Json,

    /// <summary>RFC 4180 CSV (CRLF, quoted where needed), UTF-8.</summary>
    Csv,

    /// <summary>GPX 1.1: one track per unit, one point per position (positions only).</summary>
    Gpx,

    /// <summary>GeoJSON (RFC 7946) FeatureCollection of points (positions only).</summary>
    GeoJson,

    /// <summary>KML 2.2 (OGC 07-147r2): one folder per unit, one placemark per position (positions only).</summary>
    Kml,
}

/// <summary>Writes journal calls for the CLI.</summary>
public static class CallFormatter
{
    /// <summary>Unicode FIRST STRONG ISOLATE: opens a bidi isolate whose direction follows its first strong letter (UAX #9 §2.7).</summary>
    public const char FirstStrongIsolate = '\u2068';

    /// <summary>Unicode POP DIRECTIONAL ISOLATE: closes the isolate (and any embedding left open inside it).</summary>
    public const char PopDirectionalIsolate = '\u2069';

    private static readonly string[] CsvHeader =
    [
        "callId", "radioId", "slot", "start", "end", "durationMs", "sourceId", "sourceName", "sourceAlias",
        "destinationId", "destinationType", "emergency", "privacy", "lateEntry", "featureSetId", "endReason",
        "ber", "rssi", "lostFrames", "frames", "recordingFile", "recordingDurationMs", "recordingBytes",
    ];

    /// <summary>Writes <paramref name="calls"/> in <paramref name="format"/>.</summary>
    public static void Write(TextWriter output, IEnumerable<CallRecord> calls, JournalOutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(calls);
        switch (format)
        {
            case JournalOutputFormat.Table:
                WriteTable(output, calls);
                break;
            case JournalOutputFormat.Json:
                foreach (var call in calls)
                {
                    output.Write(JsonSerializer.Serialize(call, EventJson.Options.TypeInfo<CallRecord>()));
                    output.Write('\n');
                }

                break;
            case JournalOutputFormat.Csv:
                WriteCsv(output, calls);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }

    /// <summary>Quotes a CSV field when it holds a comma, quote, CR or LF, doubling inner quotes (RFC 4180 §2.6–2.7).</summary>
    public static string CsvField(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>
    /// A text cell from the air or the network: one starting with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> (or tab or CR) gets a
    /// leading <c>'</c>, so a spreadsheet shows it as text instead of running it as a formula (OWASP "CSV Injection").
    /// Numbers are written without it.
    /// </summary>
    public static string? CsvText(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    /// <summary>Wraps text in a first-strong isolate so right-to-left names cannot reorder the columns around them; control characters become U+FFFD.</summary>
    public static string Isolate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 2).Append(FirstStrongIsolate);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? '\uFFFD' : c);
        }

        return builder.Append(PopDirectionalIsolate).ToString();
    }

    private static void WriteCsv(TextWriter output, IEnumerable<CallRecord> calls)
    {
        // RFC 4180 §2.1: records end in CRLF.
        output.Write(string.Join(',', CsvHeader));
        output.Write("\r\n");
        foreach (var call in calls)
        {
            string?[] fields =
            [
                call.CallId, call.RadioId, Number(call.Slot), EventJson.FormatTime(call.Start),
                call.End is { } end ? EventJson.FormatTime(end) : null, call.DurationMs is { } ms ? Number(ms) : null,
                Number(call.Source.Id), CsvText(call.Source.Name), CsvText(call.Source.Alias),
                Number(call.Destination.Id), JournalCodes.Write(call.Destination.Type),
                Bool(call.Emergency), Bool(call.Privacy), Bool(call.LateEntry), Number(call.FeatureSetId),
                call.EndReason is { } reason ? JournalCodes.Write(reason) : null,
                call.Ber?.ToString("R", CultureInfo.InvariantCulture), call.Rssi is { } rssi ? Number(rssi) : null,
                Number(call.LostFrames), Number(call.Frames),
                call.Recording?.File, call.Recording is { } recording ? Number(recording.DurationMs) : null, call.Recording is { } file ? Number(file.Bytes) : null,
            ];
            output.Write(string.Join(',', fields.Select(CsvField)));
            output.Write("\r\n");
        }
    }

    private static void WriteTable(TextWriter output, IEnumerable<CallRecord> calls)
    {
        // The recordings column only when a call has one (radios that record: issue 15); file names are ASCII.
        var list = calls as IReadOnlyList<CallRecord> ?? [.. calls];
        var recordings = list.Any(c => c.Recording is not null);
        string[] header = recordings
            ? ["START (UTC)", "DURATION", "TS", "FROM", "TO", "FLAGS", "END", "RECORDING", "NAME / ALIAS"]
            : ["START (UTC)", "DURATION", "TS", "FROM", "TO", "FLAGS", "END", "NAME / ALIAS"];
        var rows = new List<string[]> { header };
        foreach (var call in list)
        {
            rows.Add(
            [
                call.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                call.DurationMs is { } ms ? (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + "s" : "-",
                Number(call.Slot),
                Number(call.Source.Id),
                (call.Destination.Type == TargetType.Group ? "TG " : "U ") + Number(call.Destination.Id),
                Flags(call),
                call.EndReason is { } reason ? JournalCodes.Write(reason) : "open",
                .. recordings ? [call.Recording is { } recording ? $"{recording.File} ({recording.Bytes / 1024.0:0.#} KiB)" : "-"] : Array.Empty<string>(),
                Names(call.Source),
            ]);
        }

        // Every column but the last is ASCII, so string length is display width; the names column is last and never padded.
        var widths = new int[header.Length - 1];
        foreach (var row in rows)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < widths.Length; i++)
            {
                line.Append(row[i].PadRight(widths[i])).Append("  ");
            }

            line.Append(row[^1]);
            output.Write(line.ToString().TrimEnd(' '));
            output.Write('\n');
        }
    }

    private static string Names(RadioUnit unit) => (unit.Name, unit.Alias) switch
    {
        (null, null) => "",
        ({ } name, null) => Isolate(name),
        (null, { } alias) => Isolate(alias),
        ({ } name, { } alias) => Isolate(name) + " / " + Isolate(alias),
    };

    private static string Flags(CallRecord call)
    {
        var flags = new StringBuilder();
        if (call.Emergency)
        {
            flags.Append('E');
        }

        if (call.Privacy)
        {
            flags.Append('P');
        }

        if (call.LateEntry)
        {
            flags.Append('L');
        }

        return flags.Length == 0 ? "-" : flags.ToString();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";
}
