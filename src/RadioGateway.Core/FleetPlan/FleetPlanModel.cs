using RadioGateway.Core.Roster;

namespace RadioGateway.Core.FleetPlan;

/// <summary>Digital (DMR) or analog (FM) channel.</summary>
public enum ChannelMode
{
    Digital,
    Analog,
}

/// <summary>Transmit power of a channel, as every programming tool names it.</summary>
public enum TransmitPower
{
    High,
    Low,
}

/// <summary>A talk-group of the organisation: its DMR group id and display name (any script).</summary>
public sealed record PlanTalkGroup(uint Id, string Name);

/// <summary>
/// A channel as the team radio sees it: receive and transmit frequency in integer Hz (on a repeater the radio
/// receives the repeater's output). Digital channels have colour code, slot, transmit talk-group and receive list.
/// </summary>
public sealed record PlanChannel(
    string Id,
    string Name,
    string CentreId,
    ChannelMode Mode,
    long RxFrequencyHz,
    long TxFrequencyHz,
    TransmitPower Power,
    int ColourCode,
    int Slot,
    uint? TalkGroup,
    IReadOnlyList<uint> ReceiveTalkGroups,
    int BandwidthHz);

/// <summary>Talk-groups a base station carries on one slot.</summary>
public sealed record PlanSlot(int Slot, IReadOnlyList<uint> TalkGroups);

/// <summary>
/// A centre's base station (the gateway's radio) in the gateway's own convention: it receives on
/// <see cref="RxFrequencyHz"/> (the team radios' transmit frequency) and transmits on <see cref="TxFrequencyHz"/>.
/// </summary>
public sealed record PlanBaseStation(long RxFrequencyHz, long TxFrequencyHz, int ColourCode, IReadOnlyList<PlanSlot> Slots, string? ChannelProfile)
{
    /// <summary>True when a team radio channel works through this base station (its frequencies mirror ours).</summary>
    public bool Serves(PlanChannel channel) =>
        channel.Mode == ChannelMode.Digital && channel.RxFrequencyHz == TxFrequencyHz && channel.TxFrequencyHz == RxFrequencyHz;
}

/// <summary>A named group of channels, as radios show them.</summary>
public sealed record PlanZone(string Id, string Name, IReadOnlyList<string> Channels);

/// <summary>A team's radio: its model (a key of <see cref="RadioModels"/>) and the channels it carries.</summary>
public sealed record PlanTeam(string Id, string Name, string Radio, IReadOnlyList<string> Channels);

/// <summary>One centre: its base station, channels, zones and teams.</summary>
public sealed record PlanCentre(string Id, string Name, PlanBaseStation BaseStation, IReadOnlyList<PlanChannel> Channels, IReadOnlyList<PlanZone> Zones, IReadOnlyList<PlanTeam> Teams);

/// <summary>The organisation's fleet plan: the one source of every channel, talk-group, zone and contact.</summary>
public sealed record FleetPlan(
    string Organisation,
    long BandMinHz,
    long BandMaxHz,
    int RasterHz,
    IReadOnlyList<PlanTalkGroup> TalkGroups,
    IReadOnlyList<PlanCentre> Centres,
    UnitRoster Roster)
{
    public IEnumerable<PlanChannel> Channels => Centres.SelectMany(c => c.Channels);

    public IEnumerable<PlanTeam> Teams => Centres.SelectMany(c => c.Teams);

    public PlanChannel? FindChannel(string id) => Channels.FirstOrDefault(c => c.Id == id);

    public PlanTalkGroup? FindTalkGroup(uint id) => TalkGroups.FirstOrDefault(t => t.Id == id);
}
