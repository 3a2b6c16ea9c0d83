using System.Globalization;

namespace RadioGateway.Core.FleetPlan;

/// <summary>
/// Builds what one radio model is programmed with from the plan: the channels (all of the plan's, or one team's),
/// the zones holding them, every talk-group and roster unit as contacts, and one receive group list per distinct
/// set of talk-groups a channel listens to. Names are fitted to the radio (<see cref="PersianNames.Fit"/>) and
/// every change is listed in the warnings.
/// </summary>
public static class CodeplugBuilder
{
    public static Codeplug Build(FleetPlan plan, RadioModel model, string? teamId, ICollection<string> warnings, char? spaceReplacement = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(warnings);
        IReadOnlyList<PlanChannel> channels;
        if (teamId is null)
        {
            channels = [.. plan.Channels];
        }
        else
        {
            var team = plan.Teams.FirstOrDefault(t => t.Id == teamId)
                ?? throw new ArgumentException($"no team has id '{teamId}'; teams: {string.Join(", ", plan.Teams.Select(t => t.Id))}", nameof(teamId));
            channels = [.. team.Channels.Select(id => plan.FindChannel(id)!)];
        }

        string Fit(string name, string what, HashSet<string> taken) =>
            PersianNames.Unique(PersianNames.Fit(name, model, what, warnings, spaceReplacement), taken, model.NameLength, what, warnings);

        var contactNames = new HashSet<string>(StringComparer.Ordinal);
        var contacts = plan.TalkGroups.Select(t => new CodeplugContact(Fit(t.Name, Text($"talk-group {t.Id}"), contactNames), t.Id, Group: true))
            .Concat(plan.Roster.Units.Select(u => new CodeplugContact(Fit(u.Name, Text($"unit {u.Id}"), contactNames), u.Id, Group: false)))
            .ToList();

        var groupLists = new List<CodeplugGroupList>();
        var groupListNames = new HashSet<string>(StringComparer.Ordinal);
        var channelNames = new HashSet<string>(StringComparer.Ordinal);
        var nameOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var built = new List<CodeplugChannel>();
        foreach (var channel in channels)
        {
            var name = Fit(channel.Name, $"channel '{channel.Id}'", channelNames);
            nameOf[channel.Id] = name;
            string? groupList = null;
            if (channel.Mode == ChannelMode.Digital)
            {
                var listens = ReceiveTalkGroups(plan, channel);
                if (listens.Count > 0)
                {
                    var existing = groupLists.FirstOrDefault(g => g.TalkGroups.SequenceEqual(listens));
                    if (existing is null)
                    {
                        var listName = PersianNames.Unique(Cut("RX " + string.Join('+', listens), model.NameLength, spaceReplacement), groupListNames, model.NameLength, "group list", warnings);
                        existing = new CodeplugGroupList(listName, listens);
                        groupLists.Add(existing);
                    }

                    groupList = existing.Name;
                }
            }

            built.Add(new CodeplugChannel(
                name,
                channel.Mode,
                channel.RxFrequencyHz,
                channel.TxFrequencyHz,
                channel.Power,
                channel.ColourCode,
                channel.Slot,
                channel.Mode == ChannelMode.Digital ? channel.TalkGroup : null,
                groupList,
                channel.BandwidthHz));
        }

        var zoneNames = new HashSet<string>(StringComparer.Ordinal);
        var zones = plan.Centres.SelectMany(c => c.Zones)
            .Select(z => (Zone: z, Members: z.Channels.Where(nameOf.ContainsKey).Select(id => nameOf[id]).ToList()))
            .Where(z => z.Members.Count > 0)
            .Select(z => new CodeplugZone(Fit(z.Zone.Name, $"zone '{z.Zone.Id}'", zoneNames), z.Members))
            .ToList();
        return new Codeplug(built, contacts, groupLists, zones);
    }

    /// <summary>
    /// The talk-groups a digital channel opens for: its own list, else what its base station carries on its slot
    /// (when the channel works through it), else its transmit talk-group.
    /// </summary>
    public static IReadOnlyList<uint> ReceiveTalkGroups(FleetPlan plan, PlanChannel channel)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.ReceiveTalkGroups.Count > 0)
        {
            return channel.ReceiveTalkGroups;
        }

        var station = plan.Centres.First(c => c.Id == channel.CentreId).BaseStation;
        if (station.Serves(channel) && station.Slots.FirstOrDefault(s => s.Slot == channel.Slot) is { TalkGroups.Count: > 0 } slot)
        {
            return slot.TalkGroups;
        }

        return channel.TalkGroup is { } own ? [own] : [];
    }

    private static string Cut(string name, int length, char? spaceReplacement)
    {
        var spaced = spaceReplacement is { } replacement ? name.Replace(' ', replacement) : name;
        return spaced.Length <= length ? spaced : spaced[..length];
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
