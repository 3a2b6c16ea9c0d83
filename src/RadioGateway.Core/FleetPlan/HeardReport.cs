using System.Globalization;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;

namespace RadioGateway.Core.FleetPlan;

/// <summary>How often and when last something was heard.</summary>
public sealed record HeardCount(int Count, DateTimeOffset Last);

/// <summary>
/// The plan against the air: talk-groups called and units heard (as callers, or as subjects of positions,
/// registrations, emergencies and texts) that the plan lacks, and planned units never heard.
/// </summary>
public sealed class HeardReport
{
    private readonly Dictionary<uint, HeardCount> _talkGroups = [];
    private readonly Dictionary<uint, HeardCount> _units = [];

    public IReadOnlyDictionary<uint, HeardCount> TalkGroups => _talkGroups;

    public IReadOnlyDictionary<uint, HeardCount> Units => _units;

    public void Add(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Count(_units, call.Source.Id, call.Start);
        if (call.Destination.Type == TargetType.Group)
        {
            Count(_talkGroups, call.Destination.Id, call.Start);
        }
    }

    /// <summary>A journal event naming a unit in its subject (positions, registrations, emergencies).</summary>
    public void Add(JournalEvent journalEvent)
    {
        ArgumentNullException.ThrowIfNull(journalEvent);
        if (uint.TryParse(journalEvent.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var unit) && unit > 0)
        {
            Count(_units, unit, journalEvent.Time);
        }
    }

    /// <summary>One line per finding, talk-groups first, then unknown units, then units never heard.</summary>
    public IReadOnlyList<string> Compare(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var lines = new List<string>();
        foreach (var (group, heard) in _talkGroups.OrderBy(t => t.Key).Where(t => plan.FindTalkGroup(t.Key) is null))
        {
            lines.Add(Invariant($"talk-group {group}: heard {heard.Count} call(s), last {heard.Last:u}; not in the plan"));
        }

        foreach (var (unit, heard) in _units.OrderBy(u => u.Key).Where(u => plan.Roster.Find(u.Key) is null))
        {
            lines.Add(Invariant($"unit {unit}: heard {heard.Count} time(s), last {heard.Last:u}; not in the plan's roster"));
        }

        foreach (var unit in plan.Roster.Units.Where(u => !_units.ContainsKey(u.Id)))
        {
            lines.Add(Invariant($"unit {unit.Id} '{unit.Name}'{(unit.Team is null ? "" : $" (team {unit.Team})")}: planned, never heard"));
        }

        return lines;
    }

    private static void Count(Dictionary<uint, HeardCount> counts, uint id, DateTimeOffset time) =>
        counts[id] = counts.TryGetValue(id, out var seen) ? new HeardCount(seen.Count + 1, time > seen.Last ? time : seen.Last) : new HeardCount(1, time);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
