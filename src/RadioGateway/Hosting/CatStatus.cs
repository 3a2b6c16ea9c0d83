using System.Collections.Concurrent;
using System.Text.Json;
using RadioGateway.Core.Announcements;
using RadioGateway.Core.CloudEvents;

namespace RadioGateway.Hosting;

/// <summary>What a radio's CAT (rigctld) last reported, for the retained <c>status</c> message.</summary>
public sealed record CatReading(string RadioId, string Rigctld, RigState State, DateTimeOffset Time);

/// <summary>The latest CAT reading of each radio with <c>audio.cat</c>, kept by <see cref="AnnouncementService"/>.</summary>
public sealed class CatStatus
{
    private readonly ConcurrentDictionary<string, CatReading> _readings = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="reading"/>; true when frequency or mode changed (or it is the first).</summary>
    public bool Update(CatReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var previous = _readings.GetValueOrDefault(reading.RadioId);
        _readings[reading.RadioId] = reading;
        return previous is null || previous.State != reading.State;
    }

    public IReadOnlyList<CatReading> Readings => [.. _readings.Values.OrderBy(r => r.RadioId, StringComparer.Ordinal)];

    /// <summary>Writes <c>"cat": [{radioId, rigctld, frequencyHz, mode, passbandHz, time}]</c> when any radio has CAT.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var readings = Readings;
        if (readings.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("cat");
        foreach (var reading in readings)
        {
            writer.WriteStartObject();
            writer.WriteString("radioId", reading.RadioId);
            writer.WriteString("rigctld", reading.Rigctld);
            writer.WriteNumber("frequencyHz", reading.State.FrequencyHz);
            writer.WriteString("mode", reading.State.Mode);
            writer.WriteNumber("passbandHz", reading.State.PassbandHz);
            writer.WriteString("time", EventJson.FormatTime(reading.Time));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
