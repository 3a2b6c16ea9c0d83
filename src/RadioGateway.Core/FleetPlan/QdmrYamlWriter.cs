using System.Globalization;
using System.Text;

namespace RadioGateway.Core.FleetPlan;

/// <summary>
/// Writes a codeplug as qdmr's extensible YAML codeplug (qdmr 0.11.2 manual, doc/manual/codeplug/*.xml: channels,
/// contacts, groupLists, zones, radioIDs; frequencies in MHz; references by id), which <c>dmrconf encode</c> and
/// <c>dmrconf write</c> program into every radio qdmr supports.
/// </summary>
public static class QdmrYamlWriter
{
    /// <summary>The qdmr version whose format this writes (and that the tests drive).</summary>
    public const string FormatVersion = "0.11.2";

    public static void Write(TextWriter output, Codeplug codeplug, uint radioId, string introLine)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(codeplug);
        var contactId = codeplug.Contacts.Select((c, i) => (c.Number, c.Group, Id: Id("cont", i))).ToDictionary(c => (c.Number, c.Group), c => c.Id);
        var groupListId = codeplug.GroupLists.Select((g, i) => (g.Name, Id: Id("grp", i))).ToDictionary(g => g.Name, g => g.Id, StringComparer.Ordinal);
        var channelId = codeplug.Channels.Select((c, i) => (c.Name, Id: Id("ch", i))).ToDictionary(c => c.Name, c => c.Id, StringComparer.Ordinal);
        var yaml = new StringBuilder();
        yaml.Append("---\n")
            .Append(Invariant($"version: {FormatVersion}\n"))
            .Append("settings:\n")
            .Append(Invariant($"  introLine1: {Quote(introLine)}\n"))
            .Append("  introLine2: \"RadioGateway\"\n")
            .Append("  micLevel: 3\n  speech: false\n  power: High\n  squelch: 1\n  vox: 0\n  tot: 0\n  defaultID: id1\n")
            .Append("radioIDs:\n")
            .Append(Invariant($"  - dmr: {{id: id1, name: \"Radio\", number: {radioId}}}\n"))
            .Append("contacts:\n");
        foreach (var contact in codeplug.Contacts)
        {
            yaml.Append(Invariant($"  - dmr: {{id: {contactId[(contact.Number, contact.Group)]}, name: {Quote(contact.Name)}, ring: false, type: {(contact.Group ? "GroupCall" : "PrivateCall")}, number: {contact.Number}}}\n"));
        }

        yaml.Append("groupLists:\n");
        foreach (var list in codeplug.GroupLists)
        {
            var members = string.Join(", ", list.TalkGroups.Select(t => contactId[(t, true)]));
            yaml.Append(Invariant($"  - {{id: {groupListId[list.Name]}, name: {Quote(list.Name)}, contacts: [{members}]}}\n"));
        }

        yaml.Append("channels:\n");
        foreach (var channel in codeplug.Channels)
        {
            var digital = channel.Mode == ChannelMode.Digital;
            yaml.Append(digital ? "  - digital:\n" : "  - analog:\n")
                .Append(Invariant($"      id: {channelId[channel.Name]}\n"))
                .Append(Invariant($"      name: {Quote(channel.Name)}\n"))
                .Append(Invariant($"      rxFrequency: {Codeplug.Megahertz(channel.RxFrequencyHz)}\n"))
                .Append(Invariant($"      txFrequency: {Codeplug.Megahertz(channel.TxFrequencyHz)}\n"))
                .Append("      rxOnly: false\n");
            if (digital)
            {
                yaml.Append("      admit: ColorCode\n")
                    .Append(Invariant($"      colorCode: {channel.ColourCode}\n"))
                    .Append(Invariant($"      timeSlot: TS{channel.Slot}\n"));
                if (channel.GroupList is { } list)
                {
                    yaml.Append(Invariant($"      groupList: {groupListId[list]}\n"));
                }

                if (channel.TalkGroup is { } talkGroup)
                {
                    yaml.Append(Invariant($"      contact: {contactId[(talkGroup, true)]}\n"));
                }
            }
            else
            {
                yaml.Append("      admit: Always\n")
                    .Append("      squelch: 1\n")
                    .Append(channel.BandwidthHz == 25_000 ? "      bandwidth: Wide\n" : "      bandwidth: Narrow\n");
            }

            yaml.Append(Invariant($"      power: {channel.Power}\n"))
                .Append("      timeout: 0\n      vox: 0\n");
        }

        yaml.Append("zones:\n");
        for (var i = 0; i < codeplug.Zones.Count; i++)
        {
            var zone = codeplug.Zones[i];
            yaml.Append(Invariant($"  - id: {Id("zone", i)}\n"))
                .Append(Invariant($"    name: {Quote(zone.Name)}\n"))
                .Append(Invariant($"    A: [{string.Join(", ", zone.Channels.Select(c => channelId[c]))}]\n"));
        }

        yaml.Append("...\n");
        output.Write(yaml.ToString());
    }

    /// <summary>A YAML double-quoted scalar (YAML 1.2 §7.3.1): backslash and quote escaped, control characters as \uXXXX.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                < ' ' => quoted.Append(Invariant($"\\u{(int)c:X4}")),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    private static string Id(string prefix, int index) => Invariant($"{prefix}{index + 1}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
