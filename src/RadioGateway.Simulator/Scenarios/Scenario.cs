using System.Text.Json;
using System.Text.Json.Serialization;

namespace RadioGateway.Simulator.Scenarios;

/// <summary>A field radio in a scenario: DMR id and the talker alias it sends.</summary>
public sealed record SimulatedUnit(uint Id, string Alias);

/// <summary>
/// One over-the-air call the simulated base station plays.
/// </summary>
/// <param name="At">Start, from the beginning of the scenario.</param>
/// <param name="Slot">TDMA slot 1 or 2.</param>
/// <param name="Source">Calling unit id.</param>
/// <param name="Destination">Talk-group or unit id.</param>
/// <param name="Group">Group call (FLCO 0) or unit-to-unit (FLCO 3).</param>
/// <param name="Duration">Voice length; rounded to whole superframes (360 ms).</param>
/// <param name="Emergency">Emergency service option set in the LC.</param>
/// <param name="LateEntry">Headers are not sent: the gateway must join from embedded LC.</param>
/// <param name="Alias">Talker alias to send, or null.</param>
/// <param name="BitErrors">Bit errors injected per burst (within the codes' correction limit).</param>
/// <param name="LostFrames">Bursts replaced by DMR_LOST frames.</param>
/// <param name="EndWithTerminator">False: the call just stops (gateway must time out).</param>
public sealed record ScenarioCall(
    TimeSpan At,
    int Slot,
    uint Source,
    uint Destination,
    bool Group,
    TimeSpan Duration,
    bool Emergency = false,
    bool LateEntry = false,
    string? Alias = null,
    int BitErrors = 0,
    int LostFrames = 0,
    bool EndWithTerminator = true);

/// <summary>Control signalling a unit sends: a CSBK of the given kind (TS 102 361-2 §7.1.2).</summary>
/// <param name="Kind"><c>radio-check</c>, <c>call-alert</c>, <c>emergency</c> or <c>preamble</c>.</param>
public sealed record ScenarioSignal(TimeSpan At, int Slot, string Kind, uint Source, uint Target, bool GroupTarget = false);

/// <summary>
/// A data call a unit sends: preamble CSBKs, a data header and rate ½ blocks carrying IPv4/UDP to the gateway's
/// services, as a MOTOTRBO radio does.
/// </summary>
/// <param name="Kind">MOTOTRBO: <c>lrrp-position</c>, <c>tms-text</c>, <c>ars-register</c>, <c>ars-deregister</c>;
/// Hytera: <c>hytera-lp-position</c>, <c>hytera-tmp-text</c>, <c>hytera-rrs-register</c>, <c>hytera-rrs-offline</c>.</param>
/// <param name="Source">Sending unit.</param>
/// <param name="Target">Receiving unit or group (the dispatcher's id for positions and registrations).</param>
/// <param name="Latitude">Position (lrrp-position), decimal degrees.</param>
/// <param name="Longitude">Position (lrrp-position), decimal degrees.</param>
/// <param name="SpeedKmh">Speed (lrrp-position).</param>
/// <param name="HeadingDeg">Heading (lrrp-position).</param>
/// <param name="Text">Message (tms-text).</param>
public sealed record ScenarioData(
    TimeSpan At,
    int Slot,
    string Kind,
    uint Source,
    uint Target,
    bool GroupTarget = false,
    double Latitude = 0,
    double Longitude = 0,
    double? SpeedKmh = null,
    double? HeadingDeg = null,
    string? Text = null);

/// <summary>A scripted sequence of calls, signalling and data, loaded from JSON or generated.</summary>
public sealed record Scenario(string Name, IReadOnlyList<ScenarioCall> Calls, IReadOnlyList<ScenarioSignal>? Signals = null, IReadOnlyList<ScenarioData>? Data = null)
{
    /// <summary>Air time reserved for one data call: 2 preambles, header, up to 13 blocks, at 60 ms per slot burst.</summary>
    public static readonly TimeSpan DataCallLength = TimeSpan.FromMilliseconds(60 * 16);


    /// <summary>Time from the first call's start to the last call's end.</summary>
    public TimeSpan Length => Calls.Select(c => c.At + c.Duration)
        .Concat((Signals ?? []).Select(s => s.At))
        .Concat((Data ?? []).Select(d => d.At + DataCallLength))
        .DefaultIfEmpty().Max();

    /// <summary>Data call kinds the simulated units can send.</summary>
    public static IReadOnlyList<string> DataKinds { get; } =
        ["lrrp-position", "tms-text", "ars-register", "ars-deregister", "hytera-lp-position", "hytera-tmp-text", "hytera-rrs-register", "hytera-rrs-offline"];

    /// <summary>Signal kinds the simulated units can send.</summary>
    public static IReadOnlyList<string> SignalKinds { get; } = ["radio-check", "call-alert", "emergency", "preamble"];

    public static Scenario Load(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            var scenario = JsonSerializer.Deserialize(stream, ScenarioJsonContext.Default.Scenario)
                ?? throw new InvalidDataException($"{path}: empty scenario");
            var problems = scenario.Validate();
            return problems.Count == 0 ? scenario : throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {e.LineNumber + 1}: {e.Message}", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, ScenarioJsonContext.Default.Scenario);

    /// <summary>Every problem, naming the call or signal by index.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        for (var i = 0; i < Calls.Count; i++)
        {
            var call = Calls[i];
            if (call.Slot is not (1 or 2))
            {
                problems.Add($"calls[{i}].slot {call.Slot} is not 1 or 2");
            }

            if (call.Source is 0 or > 0xFFFFFF || call.Destination is 0 or > 0xFFFFFF)
            {
                problems.Add($"calls[{i}]: ids must be 1–16777215");
            }
        }

        var signals = Signals ?? [];
        for (var i = 0; i < signals.Count; i++)
        {
            if (!SignalKinds.Contains(signals[i].Kind))
            {
                problems.Add($"signals[{i}].kind '{signals[i].Kind}' is not one of {string.Join(", ", SignalKinds)}");
            }

            if (signals[i].Slot is not (1 or 2))
            {
                problems.Add($"signals[{i}].slot {signals[i].Slot} is not 1 or 2");
            }
        }

        var data = Data ?? [];
        for (var i = 0; i < data.Count; i++)
        {
            var item = data[i];
            if (!DataKinds.Contains(item.Kind))
            {
                problems.Add($"data[{i}].kind '{item.Kind}' is not one of {string.Join(", ", DataKinds)}");
            }

            if (item.Slot is not (1 or 2))
            {
                problems.Add($"data[{i}].slot {item.Slot} is not 1 or 2");
            }

            if (item.Kind.EndsWith("-position", StringComparison.Ordinal) && (Math.Abs(item.Latitude) > 90 || Math.Abs(item.Longitude) > 180))
            {
                problems.Add($"data[{i}]: latitude/longitude {item.Latitude}, {item.Longitude} out of range");
            }

            if (item.Kind.EndsWith("-text", StringComparison.Ordinal) && string.IsNullOrEmpty(item.Text))
            {
                problems.Add($"data[{i}].text is required for {item.Kind}");
            }
        }

        return problems;
    }

    /// <summary>Crisis-team units with their aliases (Persian and Latin).</summary>
    public static IReadOnlyList<SimulatedUnit> DefaultUnits { get; } = BuildUnits();

    /// <summary>Talk-groups of the default scenario: regional coordination, teams, supervisors.</summary>
    public static IReadOnlyList<uint> DefaultTalkGroups { get; } = [101, 102, 103, 2001, 9];

    /// <summary>
    /// A busy but plausible hour on one centre's base station: group and private calls on both slots,
    /// late entries, one emergency call, aliases, a few bit errors and lost frames. Deterministic per seed.
    /// </summary>
    public static Scenario Default(int seed = 1, int calls = 40, bool duplex = true)
    {
        var random = new Random(seed);
        var list = new List<ScenarioCall>();
        var data = new List<ScenarioData>();
        var slotFree = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5) };
        for (var i = 0; i < calls; i++)
        {
            var slot = duplex ? 1 + random.Next(2) : 2;
            var at = slotFree[slot - 1];
            var unit = DefaultUnits[random.Next(DefaultUnits.Count)];
            var group = random.NextDouble() < 0.8;
            var destination = group
                ? DefaultTalkGroups[random.Next(DefaultTalkGroups.Count)]
                : DefaultUnits[random.Next(DefaultUnits.Count)].Id;
            var duration = TimeSpan.FromMilliseconds(360 * random.Next(4, 16));
            list.Add(new ScenarioCall(
                At: at,
                Slot: slot,
                Source: unit.Id,
                Destination: destination,
                Group: group,
                Duration: duration,
                Emergency: i == 5,
                LateEntry: i % 7 == 3,
                Alias: random.NextDouble() < 0.75 ? unit.Alias : null,
                BitErrors: random.NextDouble() < 0.2 ? 1 : 0,
                LostFrames: random.NextDouble() < 0.1 ? 1 : 0,
                EndWithTerminator: i % 11 != 9));
            slotFree[slot - 1] = at + duration + TimeSpan.FromMilliseconds(500 + random.Next(4000));
            if (i % 3 == 1)
            {
                // A data call in the gap after this call, then a pause before the slot's next voice call.
                data.Add(DefaultData(data.Count, slot, slotFree[slot - 1]));
                slotFree[slot - 1] += DataCallLength + TimeSpan.FromMilliseconds(500);
            }
        }

        // A team raises an emergency alarm, dispatch checks a radio and alerts another, between calls.
        var signals = new List<ScenarioSignal>
        {
            new(TimeSpan.FromSeconds(14), 1, "emergency", DefaultUnits[5].Id, DefaultTalkGroups[0], GroupTarget: true),
            new(TimeSpan.FromSeconds(22), 2, "radio-check", DefaultUnits[0].Id, DefaultUnits[7].Id),
            new(TimeSpan.FromSeconds(31), 2, "call-alert", DefaultUnits[0].Id, DefaultUnits[9].Id),
        };
        return new Scenario($"default-{seed}", list.OrderBy(c => c.At).ToList(), signals, data);
    }

    /// <summary>The dispatcher id field units send positions, texts and registrations to.</summary>
    public const uint DispatcherId = 3120001;

    /// <summary>
    /// Where the default units drive: four teams around Tehran, Mashhad and Shiraz, and — for coverage of
    /// sign handling — a training unit in Buenos Aires (south, west) and one in Lisbon (north, west).
    /// </summary>
    public static IReadOnlyList<(uint Unit, double Latitude, double Longitude)> DefaultRoutes { get; } =
    [
        (3120101, 35.6892, 51.3890),
        (3120102, 36.2605, 59.6168),
        (3120103, 29.5918, 52.5837),
        (3120104, 35.7219, 51.3347),
        (3120105, -34.6037, -58.3816),
        (3120106, 38.7223, -9.1393),
    ];

    /// <summary>Default route units that carry Hytera radios (the others are MOTOTRBO).</summary>
    public static IReadOnlySet<uint> DefaultHyteraUnits { get; } = new HashSet<uint> { 3120103, 3120106 };

    /// <summary>Texts the default units send: Persian and English.</summary>
    public static IReadOnlyList<string> DefaultTexts { get; } =
    [
        "تیم در محل حادثه است، وضعیت پایدار",
        "On scene, two people assisted, returning",
        "درخواست نیروی کمکی در خیابان ولیعصر",
        "Need supervisor call-back on TG 101",
    ];

    private static ScenarioData DefaultData(int index, int slot, TimeSpan at)
    {
        // First two route units register, then positions and texts alternate; every position moves the unit.
        var route = DefaultRoutes[index % DefaultRoutes.Count];
        var hytera = DefaultHyteraUnits.Contains(route.Unit);
        if (index < 2)
        {
            return new ScenarioData(at, slot, hytera ? "hytera-rrs-register" : "ars-register", route.Unit, DispatcherId);
        }

        if (index % 4 == 3)
        {
            return new ScenarioData(at, slot, hytera ? "hytera-tmp-text" : "tms-text", route.Unit, DispatcherId, Text: DefaultTexts[(index / 4) % DefaultTexts.Count]);
        }

        var step = index * 0.0007;
        return new ScenarioData(at, slot, hytera ? "hytera-lp-position" : "lrrp-position", route.Unit, DispatcherId, Latitude: route.Latitude + step, Longitude: route.Longitude + step, SpeedKmh: 20 + (index % 5 * 7.5), HeadingDeg: index * 37 % 360);
    }

    private static List<SimulatedUnit> BuildUnits()
    {
        string[] cities = ["تهران", "مشهد", "اصفهان", "شیراز", "تبریز", "Karaj", "Qom", "Ahvaz"];
        var units = new List<SimulatedUnit> { new(3120001, "مرکز هماهنگی") };
        for (var i = 0; i < 32; i++)
        {
            var city = cities[i % cities.Length];
            var alias = i % 3 == 0 ? $"Team {i + 1} {city}" : $"تیم {i + 1} {city}";
            units.Add(new SimulatedUnit((uint)(3120101 + i), alias));
        }

        return units;
    }
}

/// <summary>Scenario files: web naming (camelCase, case-insensitive), comments and trailing commas allowed; metadata generated at compile time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(Scenario))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;
