using System.Globalization;
using System.Text.Json;
using RadioGateway.Core.Configuration;
using RadioGateway.Core.Profiles;
using RadioGateway.Core.Roster;

namespace RadioGateway.Core.FleetPlan;

/// <summary>
/// Reads a fleet plan (JSON with comments and trailing commas, hardware-profiles/schema/fleet-plan.schema.json), the
/// unit roster and base-station channel profiles it names, and validates it (<see cref="FleetPlanValidator"/>).
/// Every problem is a <c>file:line: key: message</c>; nothing is returned from a plan with problems.
/// </summary>
public static class FleetPlanLoader
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly string[] RootKeys = ["$schema", "kind", "organisation", "band", "rasterHz", "roster", "talkGroups", "centres"];
    private static readonly string[] CentreKeys = ["id", "name", "baseStation", "channels", "zones", "teams"];
    private static readonly string[] BaseStationKeys = ["rxFrequencyHz", "txFrequencyHz", "colourCode", "slots", "channelProfile"];
    private static readonly string[] ChannelKeys = ["id", "name", "mode", "rxFrequencyHz", "txFrequencyHz", "power", "colourCode", "slot", "talkGroup", "receiveTalkGroups", "bandwidthHz"];

    /// <summary>Loads and validates <paramref name="path"/>; null with every problem when anything is wrong.</summary>
    public static FleetPlan? Load(string path, out IReadOnlyList<ProfileDiagnostic> diagnostics)
    {
        var (plan, problems, profiles, lines) = Read(path);
        if (plan is not null)
        {
            problems.AddRange(FleetPlanValidator.Validate(plan, path, lines, profiles));
        }

        diagnostics = problems;
        return problems.Count == 0 ? plan : null;
    }

    private static (FleetPlan? Plan, List<ProfileDiagnostic> Problems, Dictionary<string, (string Path, ChannelProfile Profile)> Profiles, Dictionary<string, int> Lines) Read(string path)
    {
        var problems = new List<ProfileDiagnostic>();
        var profiles = new Dictionary<string, (string, ChannelProfile)>(StringComparer.Ordinal);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ProfileDiagnostic(path, 0, "", $"cannot read the plan: {e.Message}"));
            return (null, problems, profiles, []);
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes, Options);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problems.Add(new ProfileDiagnostic(path, (int)(e.LineNumber ?? 0) + 1, "", $"not valid JSON: {e.Message}"));
            return (null, problems, profiles, []);
        }

        var lines = ProfileLoader.LineMap.Build(bytes);
        var reader = new PlanReader(path, lines, problems);
        if (root.ValueKind != JsonValueKind.Object)
        {
            reader.Problem("", "a fleet plan is a JSON object");
            return (null, problems, profiles, lines);
        }

        reader.AllowOnly(root, "", RootKeys);
        var kind = reader.String(root, "kind", "kind", required: true);
        if (kind is not null and not "fleet-plan")
        {
            reader.Problem("kind", $"is '{kind}' but a fleet plan has \"kind\": \"fleet-plan\"");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var roster = UnitRoster.Empty;
        if (reader.String(root, "roster", "roster") is { } rosterFile)
        {
            roster = UnitRoster.Load(Path.Combine(directory, rosterFile), out var rosterProblems) ?? UnitRoster.Empty;
            problems.AddRange(rosterProblems);
        }

        var band = reader.Object(root, "band", "band", required: true);
        long minHz = 0, maxHz = 0;
        if (band is { } bandElement)
        {
            reader.AllowOnly(bandElement, "band", ["minHz", "maxHz"]);
            minHz = reader.Long(bandElement, "minHz", "band.minHz", 30_000_000, 1_000_000_000, required: true);
            maxHz = reader.Long(bandElement, "maxHz", "band.maxHz", 30_000_000, 1_000_000_000, required: true);
            if (minHz > 0 && maxHz > 0 && minHz >= maxHz)
            {
                reader.Problem("band.maxHz", $"{maxHz} is not above band.minHz {minHz}");
            }
        }

        var raster = (int)reader.Long(root, "rasterHz", "rasterHz", 0, 100_000, fallback: 6250);
        if (raster is not (6250 or 12500))
        {
            reader.Problem("rasterHz", $"{raster} is not a channel raster; use 12500 or 6250 (Hz)");
        }

        var talkGroups = new List<PlanTalkGroup>();
        foreach (var (element, key) in reader.Array(root, "talkGroups", "talkGroups"))
        {
            reader.AllowOnly(element, key, ["id", "name"]);
            var id = (uint)reader.Long(element, "id", key + ".id", 1, 16_777_215, required: true);
            var name = reader.String(element, "name", key + ".name", required: true) ?? "";
            talkGroups.Add(new PlanTalkGroup(id, name));
        }

        var centres = new List<PlanCentre>();
        foreach (var (element, key) in reader.Array(root, "centres", "centres", required: true))
        {
            reader.AllowOnly(element, key, CentreKeys);
            var centreId = reader.String(element, "id", key + ".id", required: true) ?? "";
            var baseStation = ReadBaseStation(reader, element, key, directory, centreId, profiles);
            var channels = reader.Array(element, "channels", key + ".channels", required: true).Select(c => ReadChannel(reader, c.Element, c.Key, centreId)).ToList();
            var zones = reader.Array(element, "zones", key + ".zones").Select(z =>
            {
                reader.AllowOnly(z.Element, z.Key, ["id", "name", "channels"]);
                return new PlanZone(
                    reader.String(z.Element, "id", z.Key + ".id", required: true) ?? "",
                    reader.String(z.Element, "name", z.Key + ".name", required: true) ?? "",
                    reader.Strings(z.Element, "channels", z.Key + ".channels"));
            }).ToList();
            var teams = reader.Array(element, "teams", key + ".teams").Select(t =>
            {
                reader.AllowOnly(t.Element, t.Key, ["id", "name", "radio", "channels"]);
                return new PlanTeam(
                    reader.String(t.Element, "id", t.Key + ".id", required: true) ?? "",
                    reader.String(t.Element, "name", t.Key + ".name", required: true) ?? "",
                    reader.String(t.Element, "radio", t.Key + ".radio", required: true) ?? "",
                    reader.Strings(t.Element, "channels", t.Key + ".channels"));
            }).ToList();
            centres.Add(new PlanCentre(centreId, reader.String(element, "name", key + ".name", required: true) ?? "", baseStation, channels, zones, teams));
        }

        var plan = new FleetPlan(reader.String(root, "organisation", "organisation") ?? "", minHz, maxHz, raster, talkGroups, centres, roster);
        return (problems.Count == 0 ? plan : null, problems, profiles, lines);
    }

    private static PlanBaseStation ReadBaseStation(PlanReader reader, JsonElement centre, string centreKey, string directory, string centreId, Dictionary<string, (string, ChannelProfile)> profiles)
    {
        var key = centreKey + ".baseStation";
        if (reader.Object(centre, "baseStation", key, required: true) is not { } element)
        {
            return new PlanBaseStation(0, 0, 0, [], null);
        }

        reader.AllowOnly(element, key, BaseStationKeys);
        var slots = reader.Array(element, "slots", key + ".slots", required: true).Select(s =>
        {
            reader.AllowOnly(s.Element, s.Key, ["slot", "talkGroups"]);
            return new PlanSlot(
                (int)reader.Long(s.Element, "slot", s.Key + ".slot", 1, 2, required: true),
                reader.Ids(s.Element, "talkGroups", s.Key + ".talkGroups"));
        }).ToList();
        var profile = reader.String(element, "channelProfile", key + ".channelProfile");
        if (profile is not null)
        {
            var profilePath = Path.Combine(directory, profile);
            if (ProfileLoader.LoadChannel(profilePath, out var profileProblems) is { } loaded)
            {
                profiles[centreId] = (profilePath, loaded);
            }
            else
            {
                reader.Problem(key + ".channelProfile", $"the base station's channel profile '{profile}' does not load: " + string.Join("; ", profileProblems));
            }
        }

        return new PlanBaseStation(
            reader.Long(element, "rxFrequencyHz", key + ".rxFrequencyHz", 30_000_000, 1_000_000_000, required: true),
            reader.Long(element, "txFrequencyHz", key + ".txFrequencyHz", 30_000_000, 1_000_000_000, required: true),
            (int)reader.Long(element, "colourCode", key + ".colourCode", 0, 15, required: true),
            slots,
            profile);
    }

    private static PlanChannel ReadChannel(PlanReader reader, JsonElement element, string key, string centreId)
    {
        reader.AllowOnly(element, key, ChannelKeys);
        var modeText = reader.String(element, "mode", key + ".mode") ?? "digital";
        var mode = modeText switch
        {
            "digital" => ChannelMode.Digital,
            "analog" => ChannelMode.Analog,
            _ => Fail(ChannelMode.Digital, key + ".mode", $"'{modeText}' is not digital or analog"),
        };
        var powerText = reader.String(element, "power", key + ".power") ?? "high";
        var power = powerText switch
        {
            "high" => TransmitPower.High,
            "low" => TransmitPower.Low,
            _ => Fail(TransmitPower.High, key + ".power", $"'{powerText}' is not high or low"),
        };
        var digital = mode == ChannelMode.Digital;
        var talkGroup = element.TryGetProperty("talkGroup", out _) ? (uint?)reader.Long(element, "talkGroup", key + ".talkGroup", 1, 16_777_215) : null;
        var bandwidth = (int)reader.Long(element, "bandwidthHz", key + ".bandwidthHz", 0, 25_000, fallback: 12_500);
        if (bandwidth is not (12_500 or 25_000))
        {
            reader.Problem(key + ".bandwidthHz", $"{bandwidth} is not 12500 or 25000");
        }

        if (!digital)
        {
            foreach (var digitalOnly in new[] { "colourCode", "slot", "talkGroup", "receiveTalkGroups" })
            {
                if (element.TryGetProperty(digitalOnly, out _))
                {
                    reader.Problem($"{key}.{digitalOnly}", "only digital channels have this; the channel is analog");
                }
            }
        }
        else if (bandwidth != 12_500)
        {
            reader.Problem(key + ".bandwidthHz", "a DMR channel is 12500 Hz wide (ETSI TS 102 361-1 §4.1)");
        }

        return new PlanChannel(
            reader.String(element, "id", key + ".id", required: true) ?? "",
            reader.String(element, "name", key + ".name", required: true) ?? "",
            centreId,
            mode,
            reader.Long(element, "rxFrequencyHz", key + ".rxFrequencyHz", 30_000_000, 1_000_000_000, required: true),
            reader.Long(element, "txFrequencyHz", key + ".txFrequencyHz", 30_000_000, 1_000_000_000, required: true),
            power,
            digital ? (int)reader.Long(element, "colourCode", key + ".colourCode", 0, 15, required: true) : 0,
            digital ? (int)reader.Long(element, "slot", key + ".slot", 1, 2, required: true) : 0,
            talkGroup,
            digital ? reader.Ids(element, "receiveTalkGroups", key + ".receiveTalkGroups") : [],
            bandwidth);

        T Fail<T>(T fallback, string at, string message)
        {
            reader.Problem(at, message);
            return fallback;
        }
    }

    /// <summary>Typed access to the plan's values, collecting problems with their lines instead of throwing.</summary>
    private sealed class PlanReader(string file, Dictionary<string, int> lines, List<ProfileDiagnostic> problems)
    {
        public void Problem(string key, string message) =>
            problems.Add(new ProfileDiagnostic(file, ProfileLoader.LineMap.LineOf(lines, key), key, message));

        public void AllowOnly(JsonElement element, string key, string[] allowed)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    Problem(key.Length == 0 ? property.Name : $"{key}.{property.Name}", "unknown key" + DidYouMean.Hint(property.Name, allowed));
                }
            }
        }

        public JsonElement? Object(JsonElement parent, string name, string key, bool required = false) =>
            Value(parent, name, key, JsonValueKind.Object, "an object", required);

        public string? String(JsonElement parent, string name, string key, bool required = false)
        {
            var value = Value(parent, name, key, JsonValueKind.String, "a string", required)?.GetString();
            if (required && value is { Length: 0 })
            {
                Problem(key, "must not be empty");
            }

            return value;
        }

        public long Long(JsonElement parent, string name, string key, long min, long max, bool required = false, long fallback = 0)
        {
            if (Value(parent, name, key, JsonValueKind.Number, "a whole number", required) is not { } element)
            {
                return fallback;
            }

            if (!element.TryGetInt64(out var value))
            {
                Problem(key, $"{element.GetRawText()} is not a whole number" + (key.EndsWith("Hz", StringComparison.Ordinal) ? " (frequencies are integer Hz, e.g. 438975000)" : ""));
                return fallback;
            }

            if (value < min || value > max)
            {
                Problem(key, string.Create(CultureInfo.InvariantCulture, $"{value} is out of range {min}–{max}"));
                return fallback;
            }

            return value;
        }

        public IReadOnlyList<(JsonElement Element, string Key)> Array(JsonElement parent, string name, string key, bool required = false)
        {
            if (Value(parent, name, key, JsonValueKind.Array, "an array", required) is not { } element)
            {
                return [];
            }

            var items = new List<(JsonElement, string)>();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var itemKey = string.Create(CultureInfo.InvariantCulture, $"{key}[{index++}]");
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Problem(itemKey, "expected an object");
                    continue;
                }

                items.Add((item, itemKey));
            }

            return items;
        }

        public IReadOnlyList<string> Strings(JsonElement parent, string name, string key)
        {
            var result = new List<string>();
            if (Value(parent, name, key, JsonValueKind.Array, "an array of ids", required: false) is not { } element)
            {
                return result;
            }

            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var itemKey = string.Create(CultureInfo.InvariantCulture, $"{key}[{index++}]");
                if (item.ValueKind != JsonValueKind.String)
                {
                    Problem(itemKey, "expected an id (a string)");
                }
                else if (result.Contains(item.GetString()!, StringComparer.Ordinal))
                {
                    Problem(itemKey, $"'{item.GetString()}' is listed twice");
                }
                else
                {
                    result.Add(item.GetString()!);
                }
            }

            return result;
        }

        public IReadOnlyList<uint> Ids(JsonElement parent, string name, string key)
        {
            var result = new List<uint>();
            if (Value(parent, name, key, JsonValueKind.Array, "an array of talk-group ids", required: false) is not { } element)
            {
                return result;
            }

            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var itemKey = string.Create(CultureInfo.InvariantCulture, $"{key}[{index++}]");
                if (!item.TryGetUInt32(out var id) || id is 0 or > 16_777_215)
                {
                    Problem(itemKey, $"{item.GetRawText()} is not a talk-group id 1–16777215");
                }
                else if (result.Contains(id))
                {
                    Problem(itemKey, string.Create(CultureInfo.InvariantCulture, $"{id} is listed twice"));
                }
                else
                {
                    result.Add(id);
                }
            }

            return result;
        }

        private JsonElement? Value(JsonElement parent, string name, string key, JsonValueKind kind, string description, bool required)
        {
            if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var element))
            {
                if (required)
                {
                    Problem(key, "is required");
                }

                return null;
            }

            if (element.ValueKind != kind)
            {
                Problem(key, $"expected {description}, found {element.ValueKind.ToString().ToLowerInvariant()}");
                return null;
            }

            return element;
        }
    }
}
