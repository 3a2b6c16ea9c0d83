using System.Text.Json;
using System.Xml.Linq;
using RadioGateway.Cli;
using RadioGateway.Core.Events;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Tests.Cli;

public sealed class MessageFormatterTests
{
    private static readonly DateTimeOffset Fix = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    private static readonly PositionReported[] Positions =
    [
        new() { Id = "p1", Time = Fix, Unit = new RadioUnit(3120105, "آموزش"), Lat = -34.6037, Lon = -58.3816, AltitudeM = 25, SpeedKmh = 42.5, FixTime = Fix, ReceivedTime = Fix.AddSeconds(1), Via = "lrrp" },
        new() { Id = "p2", Time = Fix, Unit = new RadioUnit(3120105, "آموزش"), Lat = -34.6040, Lon = -58.3820, FixTime = null, ReceivedTime = Fix.AddSeconds(31), Via = "lrrp" },
        new() { Id = "p3", Time = Fix, Unit = new RadioUnit(3120101), Lat = 35.6892, Lon = 51.389, FixTime = Fix, ReceivedTime = Fix, Via = "embedded-lc" },
    ];

    private static string Write(JournalOutputFormat format)
    {
        using var output = new StringWriter();
        MessageFormatter.WritePositions(output, Positions, format);
        return output.ToString();
    }

    [Fact]
    public void Gpx_has_one_track_per_unit_and_no_invented_times()
    {
        XNamespace gpx = "http://www.topografix.com/GPX/1/1";
        var document = XDocument.Parse(Write(JournalOutputFormat.Gpx));

        var tracks = document.Root!.Elements(gpx + "trk").ToList();
        Assert.Equal(["آموزش", "3120101"], tracks.Select(t => t.Element(gpx + "name")!.Value));
        var points = tracks[0].Descendants(gpx + "trkpt").ToList();
        Assert.Equal(("-34.6037", "-58.3816"), (points[0].Attribute("lat")!.Value, points[0].Attribute("lon")!.Value));
        Assert.Equal("25", points[0].Element(gpx + "ele")!.Value);
        Assert.Null(points[1].Element(gpx + "time"));
    }

    [Fact]
    public void Kml_is_kml_2_2_with_one_folder_per_unit_longitude_first_and_names_kept_as_written()
    {
        // OGC 07-147r2: namespace http://www.opengis.net/kml/2.2; coordinates are lon,lat[,alt] (§16.9).
        XNamespace kml = "http://www.opengis.net/kml/2.2";
        var document = XDocument.Parse(Write(JournalOutputFormat.Kml));

        Assert.Equal(kml + "kml", document.Root!.Name);
        var folders = document.Root.Element(kml + "Document")!.Elements(kml + "Folder").ToList();
        Assert.Equal(["آموزش", "3120101"], folders.Select(f => f.Element(kml + "name")!.Value));
        var placemarks = folders[0].Elements(kml + "Placemark").ToList();
        Assert.Equal(2, placemarks.Count);
        Assert.Equal("آموزش", placemarks[0].Element(kml + "name")!.Value);
        var point = placemarks[0].Element(kml + "Point")!;
        Assert.Equal("-58.3816,-34.6037,25", point.Element(kml + "coordinates")!.Value);
        Assert.Equal("absolute", point.Element(kml + "altitudeMode")!.Value);
        Assert.Equal("2026-11-22T09:30:00.000Z", placemarks[0].Element(kml + "TimeStamp")!.Element(kml + "when")!.Value);
        Assert.Equal("-58.382,-34.604", placemarks[1].Element(kml + "Point")!.Element(kml + "coordinates")!.Value);
        Assert.Null(placemarks[1].Element(kml + "Point")!.Element(kml + "altitudeMode"));
        Assert.Null(placemarks[1].Element(kml + "TimeStamp"));
        var data = placemarks[0].Element(kml + "ExtendedData")!.Elements(kml + "Data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element(kml + "value")!.Value);
        Assert.Equal(("p1", "3120105", "lrrp", "42.5"), (data["id"], data["unitId"], data["via"], data["speedKmh"]));
    }

    [Fact]
    public void Kml_escapes_markup_and_replaces_what_xml_cannot_carry_in_names_from_the_air()
    {
        XNamespace kml = "http://www.opengis.net/kml/2.2";
        var name = "تیم <۱۲> & \"مشهد\"\u0007\u202E";
        using var output = new StringWriter();
        MessageFormatter.WritePositions(output, [Positions[0] with { Unit = new RadioUnit(7, name) }], JournalOutputFormat.Kml);

        Assert.Contains("تیم &lt;۱۲&gt; &amp;", output.ToString(), StringComparison.Ordinal);
        var folder = XDocument.Parse(output.ToString()).Root!.Element(kml + "Document")!.Element(kml + "Folder")!;
        Assert.Equal("تیم <۱۲> & \"مشهد\"\uFFFD\u202E", folder.Element(kml + "name")!.Value);
    }

    [Fact]
    public void GeoJson_puts_longitude_first()
    {
        using var document = JsonDocument.Parse(Write(JournalOutputFormat.GeoJson));
        var first = document.RootElement.GetProperty("features")[0];

        Assert.Equal("p1", first.GetProperty("id").GetString());
        Assert.Equal([-58.3816, -34.6037, 25], first.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()));
        Assert.Equal("lrrp", first.GetProperty("properties").GetProperty("via").GetString());
    }

    [Fact]
    public void Csv_has_a_header_and_one_row_per_position()
    {
        var lines = Write(JournalOutputFormat.Csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(4, lines.Length);
        Assert.StartsWith("id,unitId,unitName,lat,lon", lines[0], StringComparison.Ordinal);
        Assert.Equal("p2,3120105,آموزش,-34.604,-58.382,,,,,,2026-11-22T09:30:31.000Z,lrrp", lines[2]);
    }

    [Fact]
    public void Csv_text_cells_from_the_air_cannot_start_a_spreadsheet_formula()
    {
        var texts = new[]
        {
            new TextMessageReceived { Id = "t1", Time = Fix, From = new RadioUnit(3120105, "@admin"), To = new CallTarget(1, TargetType.Unit), Text = "=cmd|' /C calc'!A0", Protocol = "tms" },
        };
        using var output = new StringWriter();
        MessageFormatter.WriteTexts(output, texts, JournalOutputFormat.Csv);

        Assert.Equal("t1,2026-11-22T09:30:00.000Z,3120105,'@admin,1,unit,tms,false,'=cmd|' /C calc'!A0", output.ToString().Split("\r\n")[1]);
    }

    [Fact]
    public void Texts_cannot_be_written_as_gpx()
    {
        Assert.Throws<ArgumentException>(() => MessageFormatter.WriteTexts(TextWriter.Null, [], JournalOutputFormat.Gpx));
    }
}
