using System.Globalization;

namespace RadioGateway.Core.FleetPlan;

/// <summary>
/// What a radio's codeplug has that differs from the plan's codeplug for it: one line per difference, channels
/// and zones matched by name, contacts by id and call type. Receive group lists are compared by the talk-groups
/// they open for, not by their names; order is not compared.
/// </summary>
public static class CodeplugDiff
{
    public static IReadOnlyList<string> Compare(Codeplug plan, Codeplug radio)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(radio);
        var lines = new List<string>();
        var radioChannels = radio.Channels.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var expected in plan.Channels)
        {
            if (!radioChannels.TryGetValue(expected.Name, out var actual))
            {
                lines.Add($"channel '{expected.Name}': in the plan, missing from the codeplug");
                continue;
            }

            void Field(string field, string want, string have)
            {
                if (want != have)
                {
                    lines.Add($"channel '{expected.Name}': {field}: plan {want}, codeplug {have}");
                }
            }

            Field("mode", expected.Mode.ToString().ToLowerInvariant(), actual.Mode.ToString().ToLowerInvariant());
            Field("rxFrequency", Mhz(expected.RxFrequencyHz), Mhz(actual.RxFrequencyHz));
            Field("txFrequency", Mhz(expected.TxFrequencyHz), Mhz(actual.TxFrequencyHz));
            Field("power", expected.Power.ToString(), actual.Power.ToString());
            if (expected.Mode == ChannelMode.Digital && actual.Mode == ChannelMode.Digital)
            {
                Field("colourCode", Number(expected.ColourCode), Number(actual.ColourCode));
                Field("slot", Number(expected.Slot), Number(actual.Slot));
                Field("talkGroup", expected.TalkGroup is { } want ? Number(want) : "none", actual.TalkGroup is { } have ? Number(have) : "none");
                Field("receiveTalkGroups", TalkGroups(plan, expected), TalkGroups(radio, actual));
            }
            else if (expected.Mode == ChannelMode.Analog && actual.Mode == ChannelMode.Analog)
            {
                Field("bandwidthHz", Number(expected.BandwidthHz), Number(actual.BandwidthHz));
            }
        }

        var planChannels = plan.Channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        lines.AddRange(radio.Channels.Where(c => !planChannels.Contains(c.Name)).Select(c => $"channel '{c.Name}': in the codeplug, not in the plan"));

        var radioContacts = radio.Contacts.GroupBy(c => (c.Number, c.Group)).ToDictionary(g => g.Key, g => g.First());
        foreach (var expected in plan.Contacts)
        {
            var what = Invariant($"{(expected.Group ? "talk-group" : "unit")} {expected.Number}");
            if (!radioContacts.TryGetValue((expected.Number, expected.Group), out var actual))
            {
                lines.Add($"contact {what} '{expected.Name}': in the plan, missing from the codeplug");
            }
            else if (actual.Name != expected.Name)
            {
                lines.Add($"contact {what}: name: plan '{expected.Name}', codeplug '{actual.Name}'");
            }
        }

        var planContacts = plan.Contacts.Select(c => (c.Number, c.Group)).ToHashSet();
        lines.AddRange(radio.Contacts.Where(c => !planContacts.Contains((c.Number, c.Group)))
            .Select(c => Invariant($"contact {(c.Group ? "talk-group" : "unit")} {c.Number} '{c.Name}': in the codeplug, not in the plan")));

        var radioZones = radio.Zones.GroupBy(z => z.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var expected in plan.Zones)
        {
            if (!radioZones.TryGetValue(expected.Name, out var actual))
            {
                lines.Add($"zone '{expected.Name}': in the plan, missing from the codeplug");
            }
            else if (!expected.Channels.Order(StringComparer.Ordinal).SequenceEqual(actual.Channels.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                lines.Add($"zone '{expected.Name}': channels: plan {string.Join(", ", expected.Channels)}; codeplug {string.Join(", ", actual.Channels)}");
            }
        }

        var planZones = plan.Zones.Select(z => z.Name).ToHashSet(StringComparer.Ordinal);
        lines.AddRange(radio.Zones.Where(z => !planZones.Contains(z.Name)).Select(z => $"zone '{z.Name}': in the codeplug, not in the plan"));
        return lines;
    }

    private static string TalkGroups(Codeplug codeplug, CodeplugChannel channel) =>
        codeplug.FindGroupList(channel.GroupList) is { } list ? string.Join(",", list.TalkGroups.Order().Select(t => Number(t))) : "none";

    private static string Mhz(long hz) => Codeplug.Megahertz(hz) + " MHz";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
