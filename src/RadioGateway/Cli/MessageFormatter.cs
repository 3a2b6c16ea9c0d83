using System.Globalization;
using System.Text.Json;
using System.Xml;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Hosting;

namespace RadioGateway.Cli;

/// <summary>Writes journaled positions and texts for the CLI (<c>radiogw journal positions|texts</c>).</summary>
public static class MessageFormatter
{
    private static readonly string[] PositionCsvHeader = ["id", "unitId", "unitName", "lat", "lon", "altitudeM", "speedKmh", "headingDeg", "accuracyM", "fixTime", "receivedTime", "via"];
    private static readonly string[] TextCsvHeader = ["id", "time", "fromId", "fromName", "toId", "toType", "protocol", "ackRequested", "text"];

    /// <summary>Reads the position events of the journal back into their records.</summary>
    public static IReadOnlyList<PositionReported> Positions(IEnumerable<JournalEvent> events) =>
        [.. Read<PositionReported>(events, "position")];

    /// <summary>Reads the text events of the journal back into their records.</summary>
    public static IReadOnlyList<TextMessageReceived> Texts(IEnumerable<JournalEvent> events) =>
        [.. Read<TextMessageReceived>(events, "text")];

    /// <summary>The position events as they are enumerated, one at a time (a large journal is never held in memory).</summary>
    public static IEnumerable<PositionReported> StreamPositions(IEnumerable<JournalEvent> events) =>
        Read<PositionReported>(events, "position");

    /// <summary>The text events as they are enumerated, one at a time.</summary>
    public static IEnumerable<TextMessageReceived> StreamTexts(IEnumerable<JournalEvent> events) =>
        Read<TextMessageReceived>(events, "text");

    public static void WritePositions(TextWriter output, IEnumerable<PositionReported> positions, JournalOutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(positions);
        switch (format)
        {
            case JournalOutputFormat.Table:
                foreach (var p in positions)
                {
                    output.Write(string.Create(CultureInfo.InvariantCulture, $"{Time(p.FixTime ?? p.ReceivedTime)}  {p.Unit.Id,8}  {p.Lat,11:F6} {p.Lon,12:F6}  {Optional(p.SpeedKmh, "km/h"),10}  {p.Via,-12}  {CallFormatter.Isolate(p.Unit.Name ?? "")}"));
                    output.Write('\n');
                }

                break;
            case JournalOutputFormat.Json:
                WriteJsonLines(output, positions);
                break;
            case JournalOutputFormat.Csv:
                WriteCsv(output, PositionCsvHeader, positions.Select(p => new[]
                {
                    p.Id, Number(p.Unit.Id), CallFormatter.CsvText(p.Unit.Name), Number(p.Lat), Number(p.Lon), Number(p.AltitudeM), Number(p.SpeedKmh),
                    Number(p.HeadingDeg), Number(p.AccuracyM), p.FixTime is { } fix ? EventJson.FormatTime(fix) : null, EventJson.FormatTime(p.ReceivedTime), p.Via,
                }));
                break;
            case JournalOutputFormat.Gpx:
                WriteGpx(output, positions);
                break;
            case JournalOutputFormat.GeoJson:
                WriteGeoJson(output, positions);
                break;
            case JournalOutputFormat.Kml:
                WriteKml(output, positions);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }

    public static void WriteTexts(TextWriter output, IEnumerable<TextMessageReceived> texts, JournalOutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(texts);
        switch (format)
        {
            case JournalOutputFormat.Table:
                foreach (var t in texts)
                {
                    var to = t.To.Type == TargetType.Group ? $"TG {t.To.Id}" : t.To.Id.ToString(CultureInfo.InvariantCulture);
                    output.Write(string.Create(CultureInfo.InvariantCulture, $"{Time(t.Time)}  {t.From.Id,8} → {to,-10}  {t.Protocol,-10}  {CallFormatter.Isolate(t.Text)}"));
                    output.Write('\n');
                }

                break;
            case JournalOutputFormat.Json:
                WriteJsonLines(output, texts);
                break;
            case JournalOutputFormat.Csv:
                WriteCsv(output, TextCsvHeader, texts.Select(t => new[]
                {
                    t.Id, EventJson.FormatTime(t.Time), Number(t.From.Id), CallFormatter.CsvText(t.From.Name), Number(t.To.Id), t.To.Type == TargetType.Group ? "group" : "unit",
                    t.Protocol, t.AckRequested ? "true" : "false", CallFormatter.CsvText(t.Text),
                }));
                break;
            default:
                throw new ArgumentException($"texts cannot be written as {format}; use table, json or csv", nameof(format));
        }
    }

    private static IEnumerable<T> Read<T>(IEnumerable<JournalEvent> events, string kind)
        where T : DomainEvent
    {
        foreach (var journalEvent in events.Where(e => e.Kind == kind))
        {
            // The journal holds the CloudEvents data; the envelope fields come from the row.
            DomainEvent data = JsonSerializer.Deserialize(journalEvent.DataJson, EventJson.Options.TypeInfo<T>())!;
            yield return (T)(data with { Id = journalEvent.Id, Time = journalEvent.Time });
        }
    }

    private static void WriteJsonLines<T>(TextWriter output, IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            output.Write(JsonSerializer.Serialize(item, GatewayJson.Events.TypeInfo<T>()));
            output.Write('\n');
        }
    }

    private static void WriteCsv(TextWriter output, string[] header, IEnumerable<string?[]> rows)
    {
        output.Write(string.Join(',', header));
        output.Write("\r\n");
        foreach (var row in rows)
        {
            output.Write(string.Join(',', row.Select(CallFormatter.CsvField)));
            output.Write("\r\n");
        }
    }

    private static void WriteGpx(TextWriter output, IEnumerable<PositionReported> positions)
    {
        using var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, CloseOutput = false });
        xml.WriteStartDocument();
        xml.WriteStartElement("gpx", "http://www.topografix.com/GPX/1/1");
        xml.WriteAttributeString("version", "1.1");
        xml.WriteAttributeString("creator", "radiogw");
        foreach (var unit in positions.GroupBy(p => p.Unit.Id))
        {
            xml.WriteStartElement("trk");
            xml.WriteElementString("name", XmlText(unit.First().Unit.Name ?? unit.Key.ToString(CultureInfo.InvariantCulture)));
            xml.WriteStartElement("trkseg");
            foreach (var p in unit)
            {
                xml.WriteStartElement("trkpt");
                xml.WriteAttributeString("lat", Number(p.Lat));
                xml.WriteAttributeString("lon", Number(p.Lon));
                if (p.AltitudeM is { } altitude)
                {
                    xml.WriteElementString("ele", Number(altitude));
                }

                // GPX time is the fix time; a report without one gets none rather than an invented one.
                if (p.FixTime is { } fix)
                {
                    xml.WriteElementString("time", EventJson.FormatTime(fix));
                }

                xml.WriteElementString("src", p.Via);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
        xml.Flush();
        output.Write('\n');
    }

    /// <summary>
    /// KML 2.2 (OGC 07-147r2): a Document with one Folder per unit and one Placemark per position. Element order
    /// follows the schema's Feature sequence (§9.1: name, TimeStamp, ExtendedData, then the Point, §10.3); coordinates
    /// are lon,lat[,alt] in WGS84 (§16.9) and altitude counts only with altitudeMode absolute (§16.9.1).
    /// </summary>
    private static void WriteKml(TextWriter output, IEnumerable<PositionReported> positions)
    {
        using var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, CloseOutput = false });
        const string Kml = "http://www.opengis.net/kml/2.2";
        xml.WriteStartDocument();
        xml.WriteStartElement("kml", Kml);
        xml.WriteStartElement("Document");
        xml.WriteElementString("name", "radiogw positions");
        foreach (var unit in positions.GroupBy(p => p.Unit.Id))
        {
            var name = XmlText(unit.First().Unit.Name ?? unit.Key.ToString(CultureInfo.InvariantCulture));
            xml.WriteStartElement("Folder");
            xml.WriteElementString("name", name);
            foreach (var p in unit)
            {
                xml.WriteStartElement("Placemark");
                xml.WriteElementString("name", name);
                // Like GPX: the fix time, or no time at all rather than an invented one (§15.2 TimeStamp).
                if (p.FixTime is { } fix)
                {
                    xml.WriteStartElement("TimeStamp");
                    xml.WriteElementString("when", EventJson.FormatTime(fix));
                    xml.WriteEndElement();
                }

                xml.WriteStartElement("ExtendedData");
                WriteKmlData(xml, "id", p.Id);
                WriteKmlData(xml, "unitId", Number(p.Unit.Id));
                WriteKmlData(xml, "via", p.Via);
                WriteKmlData(xml, "receivedTime", EventJson.FormatTime(p.ReceivedTime));
                WriteKmlData(xml, "speedKmh", Number(p.SpeedKmh));
                WriteKmlData(xml, "headingDeg", Number(p.HeadingDeg));
                WriteKmlData(xml, "accuracyM", Number(p.AccuracyM));
                xml.WriteEndElement();
                xml.WriteStartElement("Point");
                if (p.AltitudeM is { } altitude)
                {
                    xml.WriteElementString("altitudeMode", "absolute");
                    xml.WriteElementString("coordinates", $"{Number(p.Lon)},{Number(p.Lat)},{Number(altitude)}");
                }
                else
                {
                    xml.WriteElementString("coordinates", $"{Number(p.Lon)},{Number(p.Lat)}");
                }

                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
        xml.Flush();
        output.Write('\n');
    }

    private static void WriteKmlData(XmlWriter xml, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        xml.WriteStartElement("Data");
        xml.WriteAttributeString("name", name);
        xml.WriteElementString("value", XmlText(value));
        xml.WriteEndElement();
    }

    /// <summary>Text from the air made writable as XML 1.0 (§2.2 Char): characters XML cannot carry, even escaped, become U+FFFD.</summary>
    internal static string XmlText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        System.Text.StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder?.Append(text, i, 2);
                i++;
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                builder?.Append(text[i]);
            }
            else
            {
                builder ??= new System.Text.StringBuilder(text.Length).Append(text, 0, i);
                builder.Append('\uFFFD');
            }
        }

        return builder?.ToString() ?? text;
    }

    private static void WriteGeoJson(TextWriter output, IEnumerable<PositionReported> positions)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, EventJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var p in positions)
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteString("id", p.Id);
                json.WriteStartObject("geometry");
                json.WriteString("type", "Point");
                json.WriteStartArray("coordinates"); // RFC 7946 §3.1.1: longitude first
                json.WriteNumberValue(p.Lon);
                json.WriteNumberValue(p.Lat);
                if (p.AltitudeM is { } altitude)
                {
                    json.WriteNumberValue(altitude);
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WritePropertyName("properties");
                JsonSerializer.Serialize(json, p, EventJson.Options.TypeInfo<PositionReported>());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        output.Write('\n');
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Optional(double? value, string unit) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.#} {unit}") : "";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string? Number(double? value) => value is { } v ? Number(v) : null;

    private static string Number(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
