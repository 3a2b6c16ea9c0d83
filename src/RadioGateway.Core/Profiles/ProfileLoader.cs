using System.Text.Json;
using RadioGateway.Core.Configuration;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Core.Profiles;

/// <summary>
/// Loads and validates hardware and channel profiles (JSON with comments and trailing commas). Every problem
/// is reported with file, line and key, all at once; nothing is returned from a file with problems.
/// </summary>
public static partial class ProfileLoader
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Validates any profile file (kind from its <c>"kind"</c> key).</summary>
    public static IReadOnlyList<ProfileDiagnostic> Validate(string path)
    {
        var reader = Open(path, out var diagnostics);
        if (reader is null)
        {
            return diagnostics;
        }

        switch (reader.String("kind", required: true))
        {
            case "hardware":
                ReadHardware(reader);
                break;
            case "channel":
                ReadChannel(reader);
                break;
            case { } controlStation when ControlStationProfiles.Kinds.Contains(controlStation):
                ControlStationProfiles.Read(reader, controlStation);
                break;
            case { } other:
                reader.Problem("kind", $"'{other}' is not a profile kind; use 'hardware', 'channel', {string.Join(", ", ControlStationProfiles.Kinds.Select(k => $"'{k}'"))}");
                break;
        }

        return reader.Diagnostics;
    }

    public static HardwareProfile? LoadHardware(string path, out IReadOnlyList<ProfileDiagnostic> diagnostics)
    {
        var reader = Open(path, out diagnostics);
        if (reader is null)
        {
            return null;
        }

        reader.Expect("kind", "hardware");
        var profile = ReadHardware(reader);
        diagnostics = reader.Diagnostics;
        return diagnostics.Count == 0 ? profile : null;
    }

    public static ChannelProfile? LoadChannel(string path, out IReadOnlyList<ProfileDiagnostic> diagnostics)
    {
        var reader = Open(path, out diagnostics);
        if (reader is null)
        {
            return null;
        }

        reader.Expect("kind", "channel");
        var profile = ReadChannel(reader);
        diagnostics = reader.Diagnostics;
        return diagnostics.Count == 0 ? profile : null;
    }

    /// <summary>Checks that a channel can be used on a hardware profile (band, slots, duplex).</summary>
    public static IReadOnlyList<ProfileDiagnostic> CrossCheck(HardwareProfile hardware, string hardwarePath, ChannelProfile channel, string channelPath)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(channel);
        var problems = new List<ProfileDiagnostic>();
        foreach (var (key, hz) in new[] { ("rxFrequencyHz", channel.RxFrequencyHz), ("txFrequencyHz", channel.TxFrequencyHz) })
        {
            if (hz < hardware.BandMinHz || hz > hardware.BandMaxHz)
            {
                problems.Add(new(channelPath, 0, key, $"{hz} Hz is outside the band {hardware.BandMinHz}–{hardware.BandMaxHz} Hz of hardware profile '{hardware.Id}' ({hardwarePath})"));
            }
        }

        if (channel.Slots.Any(s => s > hardware.Slots))
        {
            problems.Add(new(channelPath, 0, "slots", $"uses slot 2 but hardware profile '{hardware.Id}' has {hardware.Slots} slot(s) (a simplex hotspot receives on one)"));
        }

        if (!hardware.Modem.Duplex && channel.RxFrequencyHz != channel.TxFrequencyHz)
        {
            problems.Add(new(channelPath, 0, "txFrequencyHz", $"differs from rxFrequencyHz but hardware profile '{hardware.Id}' is simplex"));
        }

        return problems;
    }

    private static HardwareProfile ReadHardware(ProfileReader reader)
    {
        reader.AllowOnly("", "$schema", "kind", "id", "vendor", "model", "description", "dialect", "transport", "modem", "capabilities", "band", "audio");
        var id = reader.String("id", required: true) ?? "";
        var dialect = reader.String("dialect", required: true);
        if (dialect is not null and not "mmdvm")
        {
            reader.Problem("dialect", $"'{dialect}' is not supported; this version speaks 'mmdvm'");
        }

        reader.AllowOnly("transport", "kind", "baudRate", "dataBits", "parity", "stopBits", "handshake", "dtrIdle", "rtsIdle", "host", "port");
        var transportKind = reader.String("transport.kind", required: true);
        if (transportKind is not null and not ("serial" or "tcp" or "simulator"))
        {
            reader.Problem("transport.kind", $"'{transportKind}' is not one of serial, tcp, simulator");
        }

        SerialProfile? serial = null;
        if (transportKind == "serial")
        {
            var parity = reader.String("transport.parity") ?? "none";
            if (parity is not ("none" or "odd" or "even" or "mark" or "space"))
            {
                reader.Problem("transport.parity", $"'{parity}' is not one of none, odd, even, mark, space");
            }

            var handshake = reader.String("transport.handshake") ?? "none";
            if (handshake is not ("none" or "rts-cts"))
            {
                reader.Problem("transport.handshake", $"'{handshake}' is not one of none, rts-cts");
            }

            serial = new SerialProfile(
                reader.Int("transport.baudRate", 50, 4_000_000, required: true),
                reader.Int("transport.dataBits", 5, 8, fallback: 8),
                parity,
                reader.Int("transport.stopBits", 1, 2, fallback: 1),
                handshake,
                reader.Bool("transport.dtrIdle", true),
                reader.Bool("transport.rtsIdle", false));
        }

        reader.AllowOnly("modem", "protocolVersion", "duplex", "rxInvert", "txInvert", "pttInvert", "txDelayMs", "rxLevelPercent", "txLevelPercent", "rfPowerPercent", "dmrDelay");
        var modem = new ModemProfile(
            reader.Bool("modem.duplex", false),
            reader.Bool("modem.rxInvert", false),
            reader.Bool("modem.txInvert", false),
            reader.Bool("modem.pttInvert", false),
            reader.Int("modem.txDelayMs", 0, 2550, fallback: 100),
            reader.Int("modem.rxLevelPercent", 0, 100, fallback: 50),
            reader.Int("modem.txLevelPercent", 0, 100, fallback: 50),
            reader.Int("modem.rfPowerPercent", 0, 100, fallback: 100),
            reader.Int("modem.dmrDelay", 0, 255, fallback: 0));
        reader.AllowOnly("capabilities", "slots", "txTimeoutSeconds", "dataProtocols", "confirmedDataCrc9Order");
        var crc9OrderName = reader.String("capabilities.confirmedDataCrc9Order") ?? Crc9BitOrder.MsbFirst.Name();
        if (!Crc9Field.TryParse(crc9OrderName, out var crc9Order))
        {
            reader.Problem("capabilities.confirmedDataCrc9Order", $"'{crc9OrderName}' is not one of msb-first, lsb-first (the bit order of the CRC-9 in confirmed data blocks)");
        }

        reader.AllowOnly("band", "minHz", "maxHz");
        var slots = reader.Int("capabilities.slots", 1, 2, required: true);
        if (slots == 2 && !modem.Duplex)
        {
            reader.Problem("capabilities.slots", "2 slots need a duplex modem (modem.duplex: true)");
        }

        var minHz = reader.Long("band.minHz", 30_000_000, 1_000_000_000, required: true);
        var maxHz = reader.Long("band.maxHz", 30_000_000, 1_000_000_000, required: true);
        if (minHz >= maxHz && minHz > 0)
        {
            reader.Problem("band.maxHz", $"{maxHz} is not above band.minHz {minHz}");
        }

        return new HardwareProfile(
            id,
            reader.String("vendor") ?? "",
            reader.String("model") ?? "",
            dialect ?? "",
            transportKind ?? "",
            serial,
            modem,
            slots,
            reader.Int("capabilities.txTimeoutSeconds", 1, 600, required: true),
            minHz,
            maxHz,
            crc9Order) { Audio = ReadAudio(reader) };
    }

    private static ChannelProfile ReadChannel(ProfileReader reader)
    {
        reader.AllowOnly("", "$schema", "kind", "id", "name", "rxFrequencyHz", "txFrequencyHz", "colourCode", "slots", "talkGroups", "description");
        var slots = reader.IntArray("slots", 1, 2);
        if (slots.Count == 0)
        {
            reader.Problem("slots", "needs at least one slot (1 or 2)");
        }

        var talkGroups = reader.IntArray("talkGroups", 1, 16_777_215).Select(t => (uint)t).ToList();
        return new ChannelProfile(
            reader.String("id", required: true) ?? "",
            reader.String("name") ?? "",
            reader.Long("rxFrequencyHz", 30_000_000, 1_000_000_000, required: true),
            reader.Long("txFrequencyHz", 30_000_000, 1_000_000_000, required: true),
            reader.Int("colourCode", 0, 15, required: true),
            slots,
            talkGroups);
    }

    internal static ProfileReader? Open(string path, out IReadOnlyList<ProfileDiagnostic> diagnostics)
    {
        diagnostics = [];
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics = [new ProfileDiagnostic(path, 0, "", $"cannot read the file: {e.Message}")];
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, Options);
            return new ProfileReader(path, document.RootElement.Clone(), LineMap.Build(bytes));
        }
        catch (JsonException e)
        {
            diagnostics = [new ProfileDiagnostic(path, (int)(e.LineNumber ?? 0) + 1, "", $"not valid JSON: {e.Message}")];
            return null;
        }
    }

    /// <summary>Line of each property path (<c>a.b</c>, <c>a[2]</c>), found with Utf8JsonReader token offsets.</summary>
    internal static class LineMap
    {
        /// <summary>Line of <paramref name="key"/>, or of its nearest parent when the key itself is missing.</summary>
        public static int LineOf(IReadOnlyDictionary<string, int> lines, string key)
        {
            for (var probe = key; probe.Length > 0; probe = probe.Contains('.', StringComparison.Ordinal) ? probe[..probe.LastIndexOf('.')] : "")
            {
                if (lines.TryGetValue(probe, out var line))
                {
                    return line;
                }
            }

            return 1;
        }

        public static Dictionary<string, int> Build(byte[] bytes)
        {
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var path = new List<string>();
            var arrayIndex = new Stack<int>();
            var lineStarts = new List<int> { 0 };
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    lineStarts.Add(i + 1);
                }
            }

            int LineOf(long offset)
            {
                var index = lineStarts.BinarySearch((int)offset);
                return (index >= 0 ? index : ~index - 1) + 1;
            }

            string? pending = null;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pending = reader.GetString();
                        var key = string.Join('.', path.Append(pending!)).Replace(".[", "[", StringComparison.Ordinal);
                        lines[key] = LineOf(reader.TokenStartIndex);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (pending is not null)
                        {
                            path.Add(pending);
                            pending = null;
                        }
                        else if (arrayIndex.Count > 0 && path.Count > 0)
                        {
                            path.Add($"[{arrayIndex.Peek()}]");
                            lines[string.Join('.', path).Replace(".[", "[", StringComparison.Ordinal)] = LineOf(reader.TokenStartIndex);
                        }

                        arrayIndex.Push(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                        if (reader.TokenType == JsonTokenType.StartArray && path.Count > 0)
                        {
                            lines[string.Join('.', path).Replace(".[", "[", StringComparison.Ordinal) + "[0]"] = LineOf(reader.TokenStartIndex);
                        }

                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        arrayIndex.Pop();
                        if (path.Count > 0)
                        {
                            path.RemoveAt(path.Count - 1);
                        }

                        AdvanceArray(arrayIndex);
                        break;
                    default:
                        if (pending is null && arrayIndex.Count > 0 && arrayIndex.Peek() >= 0 && path.Count > 0)
                        {
                            lines[$"{string.Join('.', path).Replace(".[", "[", StringComparison.Ordinal)}[{arrayIndex.Peek()}]"] = LineOf(reader.TokenStartIndex);
                        }

                        pending = null;
                        AdvanceArray(arrayIndex);
                        break;
                }
            }

            return lines;
        }

        private static void AdvanceArray(Stack<int> arrayIndex)
        {
            if (arrayIndex.Count > 0 && arrayIndex.Peek() >= 0)
            {
                arrayIndex.Push(arrayIndex.Pop() + 1);
            }
        }
    }

    /// <summary>Typed access to a profile's values by dotted key, collecting diagnostics instead of throwing.</summary>
    internal sealed class ProfileReader(string file, JsonElement root, Dictionary<string, int> lines)
    {
        private readonly List<ProfileDiagnostic> _diagnostics = [];

        public IReadOnlyList<ProfileDiagnostic> Diagnostics => _diagnostics;

        public void Problem(string key, string message) =>
            _diagnostics.Add(new ProfileDiagnostic(file, LineOf(key), key, message));

        public void Expect(string key, string value)
        {
            var actual = String(key, required: true);
            if (actual is not null && actual != value)
            {
                Problem(key, $"is '{actual}' but a {value} profile is expected here");
            }
        }

        /// <summary>Reports keys of the object at <paramref name="section"/> that are not in <paramref name="allowed"/>.</summary>
        public void AllowOnly(string section, params string[] allowed)
        {
            if (Find(section) is not { ValueKind: JsonValueKind.Object } element)
            {
                return;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    var key = section.Length == 0 ? property.Name : $"{section}.{property.Name}";
                    Problem(key, "unknown key" + DidYouMean.Hint(property.Name, allowed));
                }
            }
        }

        public string? String(string key, bool required = false)
        {
            var element = Value(key, JsonValueKind.String, "a string", required);
            return element?.GetString();
        }

        public bool Bool(string key, bool fallback)
        {
            var element = Find(key);
            if (element is null)
            {
                return fallback;
            }

            if (element.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return element.Value.GetBoolean();
            }

            Problem(key, $"expected true or false, found {Describe(element.Value)}");
            return fallback;
        }

        public int Int(string key, int min, int max, bool required = false, int fallback = 0) =>
            (int)Long(key, min, max, required, fallback);

        public long Long(string key, long min, long max, bool required = false, long fallback = 0)
        {
            var element = Value(key, JsonValueKind.Number, "a whole number", required);
            if (element is null)
            {
                return fallback;
            }

            if (!element.Value.TryGetInt64(out var value))
            {
                Problem(key, $"{element.Value.GetRawText()} is not a whole number" + (key.EndsWith("Hz", StringComparison.Ordinal) ? " (frequencies are integer Hz, e.g. 438975000)" : ""));
                return fallback;
            }

            if (value < min || value > max)
            {
                Problem(key, $"{value} is out of range {min}–{max}");
                return fallback;
            }

            return value;
        }

        public IReadOnlyList<int> IntArray(string key, int min, int max)
        {
            var element = Value(key, JsonValueKind.Array, "an array", required: false);
            if (element is null)
            {
                return [];
            }

            var result = new List<int>();
            var index = 0;
            foreach (var item in element.Value.EnumerateArray())
            {
                var itemKey = $"{key}[{index++}]";
                if (!item.TryGetInt32(out var value))
                {
                    Problem(itemKey, $"expected a whole number, found {Describe(item)}");
                }
                else if (value < min || value > max)
                {
                    Problem(itemKey, $"{value} is out of range {min}–{max}");
                }
                else if (result.Contains(value))
                {
                    Problem(itemKey, $"{value} is listed twice");
                }
                else
                {
                    result.Add(value);
                }
            }

            return result;
        }

        private JsonElement? Value(string key, JsonValueKind kind, string description, bool required)
        {
            var element = Find(key);
            if (element is null)
            {
                if (required)
                {
                    Problem(key, "is required");
                }

                return null;
            }

            if (element.Value.ValueKind != kind)
            {
                Problem(key, $"expected {description}, found {Describe(element.Value)}");
                return null;
            }

            return element;
        }

        public JsonElement? Find(string key)
        {
            var current = root;
            if (key.Length == 0)
            {
                return current;
            }

            foreach (var part in key.Split('.'))
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
                {
                    return null;
                }
            }

            return current;
        }

        private int LineOf(string key) => LineMap.LineOf(lines, key);

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{element.GetString()}\"",
            JsonValueKind.Number => $"the number {element.GetRawText()}",
            _ => element.ValueKind.ToString().ToLowerInvariant(),
        };
    }
}
