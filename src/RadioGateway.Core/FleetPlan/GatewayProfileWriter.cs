using System.Text.Encodings.Web;
using System.Text.Json;
using RadioGateway.Core.Roster;

namespace RadioGateway.Core.FleetPlan;

/// <summary>
/// The gateway's own files for one centre, generated from the plan: its base station's channel profile
/// (hardware-profiles/schema/channel-profile.schema.json) and the unit roster of the centre's units.
/// </summary>
public static class GatewayProfileWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void ChannelProfile(Stream output, PlanCentre centre)
    {
        ArgumentNullException.ThrowIfNull(centre);
        using var json = new Utf8JsonWriter(output, Options);
        var station = centre.BaseStation;
        json.WriteStartObject();
        json.WriteString("$schema", "../schema/channel-profile.schema.json");
        json.WriteString("kind", "channel");
        json.WriteString("id", centre.Id);
        json.WriteString("name", centre.Name);
        json.WriteNumber("rxFrequencyHz", station.RxFrequencyHz);
        json.WriteNumber("txFrequencyHz", station.TxFrequencyHz);
        json.WriteNumber("colourCode", station.ColourCode);
        json.WriteStartArray("slots");
        foreach (var slot in station.Slots.Select(s => s.Slot).Order())
        {
            json.WriteNumberValue(slot);
        }

        json.WriteEndArray();
        json.WriteStartArray("talkGroups");
        foreach (var talkGroup in station.Slots.SelectMany(s => s.TalkGroups).Distinct())
        {
            json.WriteNumberValue(talkGroup);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The roster units of <paramref name="centre"/> (by their <c>centre</c>), as the gateway's roster file.</summary>
    public static void Roster(Stream output, PlanCentre centre, UnitRoster roster)
    {
        ArgumentNullException.ThrowIfNull(centre);
        ArgumentNullException.ThrowIfNull(roster);
        using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        json.WriteStartArray("units");
        foreach (var unit in roster.Units.Where(u => u.Centre == centre.Id))
        {
            json.WriteStartObject();
            json.WriteNumber("id", unit.Id);
            json.WriteString("name", unit.Name);
            WriteOptional(json, "team", unit.Team);
            WriteOptional(json, "vehicle", unit.Vehicle);
            json.WriteString("centre", centre.Id);
            json.WriteString("dataProtocol", unit.DataProtocol.ToString().ToLowerInvariant());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
