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

/// <summary>A scripted sequence of calls and signalling, loaded from JSON or generated.</summary>
public sealed record Scenario(string Name, IReadOnlyList<ScenarioCall> Calls, IReadOnlyList<ScenarioSignal>? Signals = null)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Time from the first call's start to the last call's end.</summary>
    public TimeSpan Length => Calls.Select(c => c.At + c.Duration).Concat((Signals ?? []).Select(s => s.At)).DefaultIfEmpty().Max();

    /// <summary>Signal kinds the simulated units can send.</summary>
    public static IReadOnlyList<string> SignalKinds { get; } = ["radio-check", "call-alert", "emergency", "preamble"];

    public static Scenario Load(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            var scenario = JsonSerializer.Deserialize<Scenario>(stream, JsonOptions)
                ?? throw new InvalidDataException($"{path}: empty scenario");
            var problems = scenario.Validate();
            return problems.Count == 0 ? scenario : throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {e.LineNumber + 1}: {e.Message}", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

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
        }

        // A team raises an emergency alarm, dispatch checks a radio and alerts another, between calls.
        var signals = new List<ScenarioSignal>
        {
            new(TimeSpan.FromSeconds(14), 1, "emergency", DefaultUnits[5].Id, DefaultTalkGroups[0], GroupTarget: true),
            new(TimeSpan.FromSeconds(22), 2, "radio-check", DefaultUnits[0].Id, DefaultUnits[7].Id),
            new(TimeSpan.FromSeconds(31), 2, "call-alert", DefaultUnits[0].Id, DefaultUnits[9].Id),
        };
        return new Scenario($"default-{seed}", list.OrderBy(c => c.At).ToList(), signals);
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
