using System.Globalization;
using RadioGateway.Core.Profiles;

namespace RadioGateway.Core.FleetPlan;

/// <summary>
/// The rules a fleet plan must keep, each reported at the line of the key that breaks it: band and channel raster,
/// unique ids, known references, talk-groups only on slots the base station carries them on, every team radio
/// carrying its own centre's base-station channels, colour codes equal to the base station's channel profile, and
/// contacts and channels within each radio model's limits (<see cref="RadioModels"/>).
/// </summary>
public static class FleetPlanValidator
{
    public static IReadOnlyList<ProfileDiagnostic> Validate(
        FleetPlan plan,
        string file,
        IReadOnlyDictionary<string, int> lines,
        IReadOnlyDictionary<string, (string Path, ChannelProfile Profile)> baseStationProfiles)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(baseStationProfiles);
        var problems = new List<ProfileDiagnostic>();
        void Problem(string key, string message) => problems.Add(new ProfileDiagnostic(file, ProfileLoader.LineMap.LineOf(lines, key), key, message));

        var talkGroups = new HashSet<uint>();
        for (var i = 0; i < plan.TalkGroups.Count; i++)
        {
            if (!talkGroups.Add(plan.TalkGroups[i].Id))
            {
                Problem(Key($"talkGroups[{i}].id"), Text($"talk-group {plan.TalkGroups[i].Id} is listed twice"));
            }
        }

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        void Unique(string kind, string id, string key)
        {
            if (!ids.TryAdd($"{kind}:{id}", key))
            {
                Problem(key, $"duplicate {kind} id '{id}' (first at {ids[$"{kind}:{id}"]})");
            }
        }

        var channelIds = plan.Channels.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        void KnownTalkGroup(uint id, string key)
        {
            if (!talkGroups.Contains(id))
            {
                Problem(key, Text($"talk-group {id} is not in talkGroups"));
            }
        }

        void Frequency(long hz, string key)
        {
            if (hz < plan.BandMinHz || hz > plan.BandMaxHz)
            {
                Problem(key, Text($"{hz} Hz is outside the band {plan.BandMinHz}–{plan.BandMaxHz} Hz"));
            }

            if (hz % plan.RasterHz != 0)
            {
                var below = hz / plan.RasterHz * plan.RasterHz;
                Problem(key, Text($"{hz} Hz is not on the {plan.RasterHz} Hz channel raster (nearest {below} or {below + plan.RasterHz} Hz)"));
            }
        }

        for (var c = 0; c < plan.Centres.Count; c++)
        {
            var centre = plan.Centres[c];
            var centreKey = Key($"centres[{c}]");
            Unique("centre", centre.Id, centreKey + ".id");
            var station = centre.BaseStation;
            Frequency(station.RxFrequencyHz, centreKey + ".baseStation.rxFrequencyHz");
            Frequency(station.TxFrequencyHz, centreKey + ".baseStation.txFrequencyHz");
            for (var s = 0; s < station.Slots.Count; s++)
            {
                var slotKey = Key($"{centreKey}.baseStation.slots[{s}]");
                if (station.Slots.Take(s).Any(other => other.Slot == station.Slots[s].Slot))
                {
                    Problem(slotKey + ".slot", Text($"slot {station.Slots[s].Slot} is listed twice"));
                }

                for (var t = 0; t < station.Slots[s].TalkGroups.Count; t++)
                {
                    KnownTalkGroup(station.Slots[s].TalkGroups[t], Key($"{slotKey}.talkGroups[{t}]"));
                }
            }

            var profile = baseStationProfiles.TryGetValue(centre.Id, out var found) ? found : default;
            if (profile.Profile is { } stationProfile)
            {
                var profileName = Path.GetFileName(profile.Path);
                if (stationProfile.ColourCode != station.ColourCode)
                {
                    Problem(centreKey + ".baseStation.colourCode", Text($"colour code {station.ColourCode} differs from the base station's channel profile {profileName} (colour code {stationProfile.ColourCode})"));
                }

                if (stationProfile.RxFrequencyHz != station.RxFrequencyHz || stationProfile.TxFrequencyHz != station.TxFrequencyHz)
                {
                    Problem(centreKey + ".baseStation.rxFrequencyHz", Text($"{station.RxFrequencyHz}/{station.TxFrequencyHz} Hz (rx/tx) differ from the base station's channel profile {profileName} ({stationProfile.RxFrequencyHz}/{stationProfile.TxFrequencyHz} Hz)"));
                }
            }

            for (var h = 0; h < centre.Channels.Count; h++)
            {
                var channel = centre.Channels[h];
                var key = Key($"{centreKey}.channels[{h}]");
                Unique("channel", channel.Id, key + ".id");
                Frequency(channel.RxFrequencyHz, key + ".rxFrequencyHz");
                Frequency(channel.TxFrequencyHz, key + ".txFrequencyHz");
                if (channel.Mode != ChannelMode.Digital)
                {
                    continue;
                }

                if (channel.TalkGroup is { } transmit)
                {
                    KnownTalkGroup(transmit, key + ".talkGroup");
                }

                for (var r = 0; r < channel.ReceiveTalkGroups.Count; r++)
                {
                    KnownTalkGroup(channel.ReceiveTalkGroups[r], Key($"{key}.receiveTalkGroups[{r}]"));
                }

                if (!station.Serves(channel))
                {
                    continue;
                }

                // The colour code a radio must use to open the base station's squelch (ETSI TS 102 361-1 §9.3.4).
                var expectedColour = profile.Profile?.ColourCode ?? station.ColourCode;
                if (channel.ColourCode != expectedColour)
                {
                    var against = profile.Profile is null ? "its base station's colour code" : $"its base station's channel profile {Path.GetFileName(profile.Path)}";
                    Problem(key + ".colourCode", Text($"colour code {channel.ColourCode} differs from {against} (colour code {expectedColour})"));
                }

                var slot = station.Slots.FirstOrDefault(s => s.Slot == channel.Slot);
                if (slot is null)
                {
                    Problem(key + ".slot", Text($"slot {channel.Slot} is not carried by centre '{centre.Id}''s base station (slots {string.Join(", ", station.Slots.Select(s => s.Slot))})"));
                    continue;
                }

                var used = (channel.TalkGroup is { } tx ? [(tx, key + ".talkGroup")] : Array.Empty<(uint, string)>())
                    .Concat(channel.ReceiveTalkGroups.Select((g, r) => (g, Key($"{key}.receiveTalkGroups[{r}]"))));
                foreach (var (group, groupKey) in used)
                {
                    if (talkGroups.Contains(group) && !slot.TalkGroups.Contains(group))
                    {
                        var elsewhere = station.Slots.FirstOrDefault(s => s.TalkGroups.Contains(group));
                        Problem(groupKey, Text($"talk-group {group} is used on slot {channel.Slot} but the base station does not carry it there") + (elsewhere is null ? "" : Text($" (it carries it on slot {elsewhere.Slot})")));
                    }
                }
            }

            for (var z = 0; z < centre.Zones.Count; z++)
            {
                var zone = centre.Zones[z];
                var key = Key($"{centreKey}.zones[{z}]");
                Unique("zone", zone.Id, key + ".id");
                References(zone.Channels, key + ".channels");
            }

            for (var t = 0; t < centre.Teams.Count; t++)
            {
                var team = centre.Teams[t];
                var key = Key($"{centreKey}.teams[{t}]");
                Unique("team", team.Id, key + ".id");
                References(team.Channels, key + ".channels");
                foreach (var own in centre.Channels.Where(station.Serves).Where(own => !team.Channels.Contains(own.Id, StringComparer.Ordinal)))
                {
                    Problem(key + ".channels", $"team '{team.Id}' lacks channel '{own.Id}' of its own centre '{centre.Id}' (a base-station channel every team radio of the centre carries)");
                }

                if (RadioModels.Find(team.Radio) is not { } model)
                {
                    Problem(key + ".radio", $"'{team.Radio}' is not a known radio model; known: {RadioModels.Keys}");
                    continue;
                }

                var contacts = plan.TalkGroups.Count + plan.Roster.Count;
                if (model.MaxContacts is { } maxContacts && contacts > maxContacts)
                {
                    Problem(key + ".radio", Text($"{model.DisplayName} holds at most {maxContacts} contacts ({model.Source}) but the plan gives it {contacts} ({plan.TalkGroups.Count} talk-groups + {plan.Roster.Count} roster units)"));
                }

                if (model.MaxChannels is { } maxChannels && team.Channels.Count > maxChannels)
                {
                    Problem(key + ".channels", Text($"{model.DisplayName} holds at most {maxChannels} channels ({model.Source}) but the team carries {team.Channels.Count}"));
                }
            }
        }

        return problems;

        void References(IReadOnlyList<string> channels, string key)
        {
            for (var i = 0; i < channels.Count; i++)
            {
                if (!channelIds.Contains(channels[i]))
                {
                    Problem(Key($"{key}[{i}]"), $"no channel has id '{channels[i]}'");
                }
            }
        }
    }

    private static string Key(FormattableString key) => key.ToString(CultureInfo.InvariantCulture);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
