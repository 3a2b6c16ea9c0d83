using System.Globalization;
using System.Text.Json;
using RadioGateway.Core.Configuration;
using RadioGateway.Core.Events;
using RadioGateway.Core.Profiles;

namespace RadioGateway.Core.Roster;

/// <summary>Which data protocols a unit's radio speaks (texts and location requests are encoded accordingly).</summary>
public enum UnitDataProtocol
{
    Motorola,
    Hytera,
    Etsi,
}

/// <summary>One field unit: its radio id, a display name and where it belongs.</summary>
public sealed record RosterUnit(uint Id, string Name, string? Team, string? Vehicle, string? Centre, UnitDataProtocol DataProtocol)
{
    /// <summary>The unit's amateur/APRS callsign (<c>EP2ABC-9</c>), when it also reports over analog APRS.</summary>
    public string? Callsign { get; init; }
}

/// <summary>
/// The unit roster: a JSON file mapping radio ids to names (team, vehicle, centre) and each unit's data
/// protocol. Loaded once at start-up; every problem is reported as <c>file:line: key: message</c>.
/// </summary>
public sealed class UnitRoster
{
    /// <summary>Highest individual DMR id (16777215 is All Call, TS 102 361-2 Table 7.1; 0xFFFCxx are gateway ids).</summary>
    public const uint MaxUnitId = 16776415;

    private static readonly string[] UnitKeys = ["id", "name", "team", "vehicle", "centre", "dataProtocol", "callsign"];
    private readonly Dictionary<uint, RosterUnit> _units;

    private UnitRoster(Dictionary<uint, RosterUnit> units) => _units = units;

    public static UnitRoster Empty { get; } = new([]);

    /// <summary>A roster from units already known (the simulator's field units).</summary>
    public static UnitRoster From(IEnumerable<RosterUnit> units) => new(units.ToDictionary(u => u.Id));

    public int Count => _units.Count;

    /// <summary>Every unit, ordered by id.</summary>
    public IReadOnlyList<RosterUnit> Units => [.. _units.Values.OrderBy(u => u.Id)];

    public RosterUnit? Find(uint id) => _units.GetValueOrDefault(id);

    /// <summary>The unit with this APRS callsign: exactly (<c>EP2ABC-9</c>), else a roster callsign without SSID (<c>EP2ABC</c>) matches every SSID.</summary>
    public RosterUnit? FindByCallsign(string callsign) => AprsCallsigns.Find(_units.Values, callsign);

    /// <summary>The unit as events carry it: id plus the roster name when known.</summary>
    public RadioUnit Unit(uint id) => new(id, Find(id)?.Name);

    public static UnitRoster? Load(string path, out IReadOnlyList<ProfileDiagnostic> diagnostics)
    {
        var problems = new List<ProfileDiagnostic>();
        diagnostics = problems;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ProfileDiagnostic(path, 0, "", $"cannot read the roster: {e.Message}"));
            return null;
        }

        JsonElement root;
        Dictionary<string, int> lines;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = document.RootElement.Clone();
            lines = ProfileLoader.LineMap.Build(bytes);
        }
        catch (JsonException e)
        {
            problems.Add(new ProfileDiagnostic(path, (int)(e.LineNumber ?? 0) + 1, "", $"not valid JSON: {e.Message}"));
            return null;
        }

        void Problem(string key, string message) => problems.Add(new ProfileDiagnostic(path, ProfileLoader.LineMap.LineOf(lines, key), key, message));

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("units", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            Problem("units", "the roster needs a \"units\" array");
            return null;
        }

        var units = new Dictionary<uint, RosterUnit>();
        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"units[{index++}]");
            if (entry.ValueKind != JsonValueKind.Object)
            {
                Problem(at, "each unit is an object");
                continue;
            }

            foreach (var property in entry.EnumerateObject())
            {
                if (!UnitKeys.Contains(property.Name, StringComparer.Ordinal))
                {
                    Problem($"{at}.{property.Name}", $"unknown key{DidYouMean.Hint(property.Name, UnitKeys)} (known: {string.Join(", ", UnitKeys)})");
                }
            }

            uint id = 0;
            if (!entry.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetUInt32(out id) || id is 0 or > MaxUnitId)
            {
                var found = idElement.ValueKind switch
                {
                    JsonValueKind.String => " (a number, not a string)",
                    JsonValueKind.True or JsonValueKind.False => " (a number, not a boolean)",
                    JsonValueKind.Object => " (a number, not an object)",
                    JsonValueKind.Array => " (a number, not an array)",
                    JsonValueKind.Null => " (a number, not null)",
                    _ => "",
                };
                Problem($"{at}.id", $"a radio id is required, 1..{MaxUnitId}{found}");
                id = 0;
            }
            else if (units.ContainsKey(id))
            {
                Problem($"{at}.id", $"radio id {id} is listed twice");
            }

            var name = entry.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString()! : "";
            if (string.IsNullOrWhiteSpace(name))
            {
                Problem($"{at}.name", "a display name is required");
            }

            var protocol = UnitDataProtocol.Motorola;
            if (entry.TryGetProperty("dataProtocol", out var protocolElement)
                && (protocolElement.ValueKind != JsonValueKind.String || !Enum.TryParse(protocolElement.GetString(), ignoreCase: true, out protocol)))
            {
                Problem($"{at}.dataProtocol", $"{protocolElement.GetRawText()} is not motorola, hytera or etsi");
            }

            string? Text(string key) => entry.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (id is > 0 and <= MaxUnitId)
            {
                units.TryAdd(id, new RosterUnit(id, name, Text("team"), Text("vehicle"), Text("centre"), protocol) { Callsign = Text("callsign")?.Trim().ToUpperInvariant() });
            }
        }

        return problems.Count == 0 ? new UnitRoster(units) : null;
    }
}
