using System.Globalization;

namespace RadioGateway.Core.FleetPlan;

/// <summary>A contact as a radio holds it: name as displayed, DMR id, group or private call.</summary>
public sealed record CodeplugContact(string Name, uint Number, bool Group);

/// <summary>A receive group list: the talk-groups a channel opens for.</summary>
public sealed record CodeplugGroupList(string Name, IReadOnlyList<uint> TalkGroups);

/// <summary>
/// A channel as a radio holds it (names as displayed, frequencies in integer Hz). <see cref="TalkGroup"/> is the
/// transmit contact's id; <see cref="GroupList"/> the receive group list's name.
/// </summary>
public sealed record CodeplugChannel(
    string Name,
    ChannelMode Mode,
    long RxFrequencyHz,
    long TxFrequencyHz,
    TransmitPower Power,
    int ColourCode,
    int Slot,
    uint? TalkGroup,
    string? GroupList,
    int BandwidthHz);

/// <summary>A zone: a name and the names of its channels in order.</summary>
public sealed record CodeplugZone(string Name, IReadOnlyList<string> Channels);

/// <summary>What a radio is programmed with, independent of the programming tool's file format.</summary>
public sealed record Codeplug(
    IReadOnlyList<CodeplugChannel> Channels,
    IReadOnlyList<CodeplugContact> Contacts,
    IReadOnlyList<CodeplugGroupList> GroupLists,
    IReadOnlyList<CodeplugZone> Zones)
{
    public CodeplugGroupList? FindGroupList(string? name) => name is null ? null : GroupLists.FirstOrDefault(g => g.Name == name);

    /// <summary>Frequency in MHz with as many decimals as it needs (at least three), invariant culture.</summary>
    public static string Megahertz(long hz)
    {
        var text = (hz / 1_000_000m).ToString("0.000###", CultureInfo.InvariantCulture);
        return text;
    }

    /// <summary>Integer Hz of a decimal MHz value (rounded to the hertz: tools write e.g. 431.96249999999998).</summary>
    public static bool TryParseMegahertz(string text, out long hz)
    {
        hz = 0;
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var mhz) || mhz <= 0 || mhz > 100_000)
        {
            return false;
        }

        hz = (long)Math.Round(mhz * 1_000_000m, MidpointRounding.AwayFromZero);
        return true;
    }
}
