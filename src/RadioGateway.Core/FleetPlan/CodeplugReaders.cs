using System.Globalization;

namespace RadioGateway.Core.FleetPlan;

/// <summary>
/// Reads back what a radio is programmed with: qdmr's YAML codeplug (as <c>dmrconf read</c>/<c>decode</c> write
/// it) or dmrconfig's text configuration (as <c>dmrconfig -r</c> or <c>dmrconfig image</c> print it). A problem
/// throws <see cref="YamlFormatException"/> naming its line.
/// </summary>
public static class CodeplugReaders
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A name as it was programmed. qdmr 0.11.2's <c>dmrconf decode</c> writes non-ASCII names doubly encoded (each
    /// UTF-8 byte as a Latin-1 character) although the radio holds the right UTF-16 text; such a name is decoded
    /// once more. A name that is not such a double encoding (e.g. "Zürich") is kept as it is.
    /// </summary>
    public static string RepairName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.All(c => c < 0x80) || name.Any(c => c > 0xFF))
        {
            return name;
        }

        try
        {
            return StrictUtf8.GetString([.. name.Select(c => (byte)c)]);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return name;
        }
    }

    public static Codeplug ReadQdmrYaml(string text)
    {
        var root = MiniYaml.Parse(text);
        var contacts = new List<CodeplugContact>();
        var contactById = new Dictionary<string, CodeplugContact>(StringComparer.Ordinal);
        foreach (var item in root["contacts"]?.Items ?? [])
        {
            // Only DMR contacts take part (dtmf: contacts are another kind).
            if (item["dmr"] is not { } dmr)
            {
                continue;
            }

            var type = Required(dmr, "type");
            var contact = new CodeplugContact(RepairName(dmr["name"]?.Scalar ?? ""), (uint)Number(dmr, "number", 0, 16_777_215), type == "GroupCall");
            contacts.Add(contact);
            contactById[Required(dmr, "id")] = contact;
        }

        var groupLists = new List<CodeplugGroupList>();
        var groupListById = new Dictionary<string, CodeplugGroupList>(StringComparer.Ordinal);
        foreach (var item in root["groupLists"]?.Items ?? [])
        {
            var members = (item["contacts"]?.Items ?? []).Select(m => Reference(contactById, m, "contact").Number).ToList();
            var list = new CodeplugGroupList(RepairName(item["name"]?.Scalar ?? ""), members);
            groupLists.Add(list);
            groupListById[Required(item, "id")] = list;
        }

        var channels = new List<CodeplugChannel>();
        var channelById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in root["channels"]?.Items ?? [])
        {
            var (mode, body) = (item["digital"] ?? item["dmr"]) is { } d ? (ChannelMode.Digital, d)
                : (item["analog"] ?? item["fm"]) is { } a ? (ChannelMode.Analog, a)
                : throw new YamlFormatException(item.Line, "a channel is digital: (dmr:) or analog: (fm:)");
            var name = RepairName(body["name"]?.Scalar ?? "");
            channelById[Required(body, "id")] = name;
            var digital = mode == ChannelMode.Digital;
            channels.Add(new CodeplugChannel(
                name,
                mode,
                Megahertz(body, "rxFrequency"),
                Megahertz(body, "txFrequency"),
                body["power"]?.Scalar is "Low" or "Min" or "Mid" ? TransmitPower.Low : TransmitPower.High,
                digital ? (int)Number(body, "colorCode", 0, 16) : 0,
                digital ? (body["timeSlot"]?.Scalar == "TS2" ? 2 : 1) : 0,
                digital && body["contact"] is { Scalar.Length: > 0 } contact ? Reference(contactById, contact, "contact").Number : null,
                digital && body["groupList"] is { Scalar.Length: > 0 } list ? Reference(groupListById, list, "group list").Name : null,
                digital ? 12_500 : body["bandwidth"]?.Scalar == "Wide" ? 25_000 : 12_500));
        }

        var zones = (root["zones"]?.Items ?? []).Select(zone => new CodeplugZone(
            RepairName(zone["name"]?.Scalar ?? ""),
            [.. (zone["A"]?.Items ?? []).Concat(zone["B"]?.Items ?? []).Select(c => Reference(channelById, c, "channel"))])).ToList();
        return new Codeplug(channels, contacts, groupLists, zones);
    }

    public static Codeplug ReadDmrconfig(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var table = "";
        var digital = new List<(int Row, string[] Fields, int Line)>();
        var analog = new List<(int Row, string[] Fields, int Line)>();
        var zones = new List<(string Name, List<int> Channels)>();
        var contacts = new SortedDictionary<int, CodeplugContact>();
        var groupLists = new List<(int Row, string Name, List<int> Contacts)>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                // A table header ("Digital Name …") or a "Key: value" setting.
                table = line.Contains(':', StringComparison.Ordinal) ? "" : line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (table)
            {
                case "Digital":
                    Expect(fields, 13, lineNumber, "digital channel");
                    digital.Add((Row(fields[0], lineNumber), fields, lineNumber));
                    break;
                case "Analog":
                    Expect(fields, 13, lineNumber, "analog channel");
                    analog.Add((Row(fields[0], lineNumber), fields, lineNumber));
                    break;
                case "Zone":
                    Expect(fields, 3, lineNumber, "zone");
                    var members = Ranges(fields[2], lineNumber);
                    var zoneName = fields[1];
                    if (zoneName == "-" && zones.Count > 0)
                    {
                        // "1b -  …": the B list of the zone above (MD-UV380).
                        zones[^1].Channels.AddRange(members);
                    }
                    else
                    {
                        zones.Add((zoneName, members));
                    }

                    break;
                case "Contact":
                    Expect(fields, 4, lineNumber, "contact");
                    contacts[Row(fields[0], lineNumber)] = new CodeplugContact(fields[1], (uint)Row(fields[3], lineNumber), fields[2] == "Group");
                    break;
                case "Grouplist":
                    Expect(fields, 3, lineNumber, "group list");
                    var row = Row(fields[0], lineNumber);
                    var existing = groupLists.FindIndex(g => g.Row == row);
                    if (existing >= 0)
                    {
                        // A group list may continue over several rows of the same number.
                        groupLists[existing].Contacts.AddRange(Ranges(fields[2], lineNumber));
                    }
                    else
                    {
                        groupLists.Add((row, fields[1], Ranges(fields[2], lineNumber)));
                    }

                    break;
            }
        }

        CodeplugContact ContactAt(int row, int line) => contacts.TryGetValue(row, out var c) ? c : throw new YamlFormatException(line, string.Create(CultureInfo.InvariantCulture, $"contact {row} is not in the Contact table"));
        var lists = groupLists.ToDictionary(g => g.Row, g => new CodeplugGroupList(g.Name, [.. g.Contacts.Select(c => ContactAt(c, 0).Number)]));
        var channels = new SortedDictionary<int, CodeplugChannel>();
        foreach (var (row, f, line) in digital)
        {
            var rx = Mhz(f[2], line);
            channels[row] = new CodeplugChannel(
                f[1], ChannelMode.Digital, rx, Transmit(f[3], rx, line), Power(f[4]), Row(f[9], line), Row(f[10], line),
                f[12] == "-" ? null : ContactAt(Row(f[12], line), line).Number,
                f[11] == "-" ? null : lists.TryGetValue(Row(f[11], line), out var list) ? list.Name : throw new YamlFormatException(line, $"group list {f[11]} is not in the Grouplist table"),
                12_500);
        }

        foreach (var (row, f, line) in analog)
        {
            var rx = Mhz(f[2], line);
            channels[row] = new CodeplugChannel(f[1], ChannelMode.Analog, rx, Transmit(f[3], rx, line), Power(f[4]), 0, 0, null, null, f[12] == "12.5" ? 12_500 : 25_000);
        }

        string ChannelAt(int row) => channels.TryGetValue(row, out var c) ? c.Name : string.Create(CultureInfo.InvariantCulture, $"#{row}");
        return new Codeplug(
            [.. channels.Values],
            [.. contacts.Values],
            [.. lists.Values],
            [.. zones.Select(z => new CodeplugZone(z.Name, [.. z.Channels.Select(ChannelAt)]))]);
    }

    private static string Required(YamlNode node, string key) =>
        node[key]?.Scalar is { Length: > 0 } value ? value : throw new YamlFormatException(node.Line, $"'{key}' is missing");

    private static long Number(YamlNode node, string key, long min, long max) =>
        long.TryParse(Required(node, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new YamlFormatException(node[key]!.Line, string.Create(CultureInfo.InvariantCulture, $"'{key}' is not a number {min}–{max}"));

    private static long Megahertz(YamlNode node, string key)
    {
        var text = Required(node, key);
        // qdmr 0.11 writes "439.5625"; later versions may add a unit ("439.5625 MHz").
        var number = text.EndsWith("MHz", StringComparison.Ordinal) ? text[..^3].Trim() : text;
        return Codeplug.TryParseMegahertz(number, out var hz) ? hz : throw new YamlFormatException(node[key]!.Line, $"'{key}' {text} is not a frequency in MHz");
    }

    private static T Reference<T>(Dictionary<string, T> byId, YamlNode reference, string what) =>
        reference.Scalar is { } id && byId.TryGetValue(id, out var value) ? value : throw new YamlFormatException(reference.Line, $"no {what} has id '{reference.Scalar}'");

    private static void Expect(string[] fields, int count, int line, string what)
    {
        if (fields.Length < count)
        {
            throw new YamlFormatException(line, string.Create(CultureInfo.InvariantCulture, $"a {what} row has {count} columns, this one {fields.Length}"));
        }
    }

    private static int Row(string text, int line) =>
        int.TryParse(text.TrimEnd('a', 'b'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : throw new YamlFormatException(line, $"'{text}' is not a number");

    private static long Mhz(string text, int line) =>
        Codeplug.TryParseMegahertz(text, out var hz) ? hz : throw new YamlFormatException(line, $"'{text}' is not a frequency in MHz");

    // dmrconfig writes the transmit frequency as an offset from the receive one ("+5", "-7.6", "+0") or in full.
    private static long Transmit(string text, long rx, int line)
    {
        if (text[0] is '+' or '-')
        {
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var offset)
                ? rx + (long)Math.Round(offset * 1_000_000m)
                : throw new YamlFormatException(line, $"'{text}' is not an offset in MHz");
        }

        return Mhz(text, line);
    }

    private static TransmitPower Power(string text) => text == "High" ? TransmitPower.High : TransmitPower.Low;

    private static List<int> Ranges(string text, int line)
    {
        var rows = new List<int>();
        if (text == "-")
        {
            return rows;
        }

        foreach (var part in text.Split(','))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0)
            {
                var (from, to) = (Row(part[..dash], line), Row(part[(dash + 1)..], line));
                if (to < from || to - from > 10_000)
                {
                    throw new YamlFormatException(line, $"'{part}' is not a range");
                }

                rows.AddRange(Enumerable.Range(from, to - from + 1));
            }
            else
            {
                rows.Add(Row(part, line));
            }
        }

        return rows;
    }
}
