using System.Text.Json.Serialization;

namespace RadioGateway.Core.Events;

/// <summary>A field unit reported where it is (beacon or answer to a location poll).</summary>
public sealed record PositionReported : DomainEvent
{
    public required RadioUnit Unit { get; init; }

    /// <summary>Latitude in decimal degrees, WGS 84.</summary>
    public required double Lat { get; init; }

    /// <summary>Longitude in decimal degrees, WGS 84.</summary>
    public required double Lon { get; init; }

    public double? AltitudeM { get; init; }

    public double? SpeedKmh { get; init; }

    public double? HeadingDeg { get; init; }

    public double? AccuracyM { get; init; }

    /// <summary>When the radio took the fix (UTC), or null when the radio did not say; never invented. Written as null, not left out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required DateTimeOffset? FixTime { get; init; }

    /// <summary>When the gateway received the report (UTC).</summary>
    public required DateTimeOffset ReceivedTime { get; init; }

    /// <summary>Which payload carried it: <c>lrrp</c>, <c>hytera-lp</c>, <c>embedded-lc</c>, <c>nmea</c>, …</summary>
    public required string Via { get; init; }

    /// <summary>The gateway's name of the radio that heard it (<c>Radios:N:Name</c>); null when no radio did (APRS through a TNC).</summary>
    public string? RadioId { get; init; }

    public override string Kind => "position";

    public override string Type => "radiogw.position";
}
