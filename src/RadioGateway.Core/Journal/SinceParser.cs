using System.Globalization;

namespace RadioGateway.Core.Journal;

/// <summary>Parses the <c>--since DURATION|TIME</c> argument of <c>radiogw journal calls</c>.</summary>
public static class SinceParser
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd",
    ];

    /// <summary>
    /// Reads either a duration back from <paramref name="now"/> (<c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>, <c>1w</c>,
    /// combinations like <c>1h30m</c>) or a point in time (ISO 8601; without an offset it is UTC).
    /// </summary>
    /// <returns>False with <paramref name="error"/> set when the text is neither.</returns>
    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset since, out string? error)
    {
        since = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "--since needs a duration (15m, 2h, 7d, 1h30m) or a time (2026-03-01T08:00:00Z).";
            return false;
        }

        text = text.Trim();
        if (TryParseDuration(text, out var duration))
        {
            since = now.ToUniversalTime() - duration;
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            since = time;
            return true;
        }

        error = $"--since '{text}' is neither a duration (15m, 2h, 7d, 1h30m) nor a time (2026-03-01T08:00:00Z).";
        return false;
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var position = 0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            // At most 6 digits per part: 999999 weeks still fits a TimeSpan.
            if (position == start || position - start > 6 || position == text.Length)
            {
                return false;
            }

            var amount = int.Parse(text.AsSpan(start, position - start), CultureInfo.InvariantCulture);
            TimeSpan unit = char.ToLowerInvariant(text[position]) switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                'w' => TimeSpan.FromDays(7),
                _ => TimeSpan.Zero,
            };
            if (unit == TimeSpan.Zero)
            {
                return false;
            }

            duration += unit * amount;
            position++;
        }

        return true;
    }
}
