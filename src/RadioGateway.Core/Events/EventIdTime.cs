using System.Globalization;

namespace RadioGateway.Core.Events;

/// <summary>
/// The time part of every event id (<c>20261122T080000.000Z</c>): UTC, compact ISO 8601, milliseconds. One
/// format, so ids sort by time within a kind and the same moment reads the same in every id.
/// </summary>
public static class EventIdTime
{
    /// <summary>The format string, for tests and readers of ids.</summary>
    public const string Format = "yyyyMMdd'T'HHmmss.fff'Z'";

    /// <summary><paramref name="time"/> in UTC as <see cref="Format"/>.</summary>
    public static string Of(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
