using System.Globalization;

namespace RadioGateway.Protocols.Common;

/// <summary>The <c>ddmm.mmmm</c> / <c>dddmm.mmmm</c> text form of NMEA 0183 and Hytera LP coordinates.</summary>
public static class DegreesMinutes
{
    /// <summary>Formats a magnitude in degrees as degrees (<paramref name="degreeDigits"/> digits) and minutes with 4 decimals.</summary>
    public static string Format(double degrees, int degreeDigits)
    {
        var whole = (int)degrees;
        var minutes = Math.Round((degrees - whole) * 60, 4);
        if (minutes >= 60)
        {
            whole++;
            minutes = 0;
        }

        return whole.ToString(new string('0', degreeDigits), CultureInfo.InvariantCulture) + minutes.ToString("00.0000", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses <c>ddmm.mmmm</c> (2 degree digits) or <c>dddmm.mmmm</c> (3) into a magnitude in degrees.</summary>
    public static bool TryParse(string text, int degreeDigits, out double degrees)
    {
        ArgumentNullException.ThrowIfNull(text);
        degrees = 0;
        if (text.Length <= degreeDigits + 2 || text.IndexOf('.', StringComparison.Ordinal) != degreeDigits + 2
            || !int.TryParse(text.AsSpan(0, degreeDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var whole)
            || !double.TryParse(text.AsSpan(degreeDigits), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var minutes) || minutes >= 60)
        {
            return false;
        }

        degrees = whole + (minutes / 60);
        return true;
    }
}
