namespace RadioGateway.Protocols.Common;

/// <summary>
/// One position fix as a payload protocol carried it, normalised to WGS 84 decimal degrees and SI-ish units.
/// Fields a protocol did not carry stay null; nothing is filled in from elsewhere.
/// </summary>
/// <param name="Latitude">Decimal degrees, north positive.</param>
/// <param name="Longitude">Decimal degrees, east positive.</param>
/// <param name="AltitudeM">Metres above the ellipsoid or sea level, as the protocol reports it.</param>
/// <param name="SpeedKmh">Horizontal speed in km/h.</param>
/// <param name="HeadingDeg">Course over ground in degrees clockwise from true north.</param>
/// <param name="AccuracyM">Horizontal uncertainty radius in metres.</param>
/// <param name="FixTime">When the fix was taken, UTC, if the protocol says so.</param>
public sealed record GeoFix(
    double Latitude,
    double Longitude,
    double? AltitudeM = null,
    double? SpeedKmh = null,
    double? HeadingDeg = null,
    double? AccuracyM = null,
    DateTimeOffset? FixTime = null);
