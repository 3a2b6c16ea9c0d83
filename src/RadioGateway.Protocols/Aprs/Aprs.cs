using System.Text;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Aprs;

/// <summary>
/// APRS information fields (APRS Protocol Reference 1.0.1, "APRS101"): positions without and with timestamp
/// (<c>! = / @</c>, uncompressed ch. 8 or compressed ch. 9), Mic-E (<c>` '</c>, ch. 10) and messages (<c>:</c>, ch. 14).
/// Text is read as UTF-8 (what Direwolf and current trackers send); a trailing CR/LF is dropped.
/// </summary>
public static class Aprs
{
    private const double KnotsToKmh = 1.852;
    private const double FeetToMetres = 0.3048;

    /// <summary>Decodes the information field of a UI frame sent to <paramref name="destination"/> (Mic-E carries the latitude there).</summary>
    public static DecodeStatus TryDecode(string destination, ReadOnlySpan<byte> information, out AprsReport? report, out DecodeError error)
    {
        ArgumentNullException.ThrowIfNull(destination);
        report = null;
        error = default;
        while (information.Length > 0 && information[^1] is (byte)'\r' or (byte)'\n')
        {
            information = information[..^1];
        }

        if (information.IsEmpty)
        {
            error = new DecodeError(0, "empty information field");
            return DecodeStatus.Invalid;
        }

        var dataType = (char)information[0];
        report = dataType switch
        {
            '!' or '=' => Position(information, 1, null, dataType == '=', out error),
            '/' or '@' => TimestampedPosition(information, dataType == '@', out error),
            '`' or '\'' => MicE(destination, information, out error),
            ':' => Message(information, out error),
            _ => new AprsOtherReport(dataType),
        };
        return report is null ? DecodeStatus.Invalid : DecodeStatus.Done;
    }

    private static AprsPosition? TimestampedPosition(ReadOnlySpan<byte> info, bool messaging, out DecodeError error)
    {
        if (info.Length < 8)
        {
            error = new DecodeError(info.Length, "field ends inside the 7-character timestamp");
            return null;
        }

        var timestamp = Timestamp(info.Slice(1, 7), out error);
        return timestamp is null ? null : Position(info, 8, timestamp, messaging, out error);
    }

    // APRS101 ch. 6: DDHHMMz, DDHHMM/ or HHMMSSh.
    private static AprsTimestamp? Timestamp(ReadOnlySpan<byte> field, out DecodeError error)
    {
        error = default;
        var (a, b, c) = (Pair(field, 0), Pair(field, 2), Pair(field, 4));
        if (a is null || b is null || c is null)
        {
            error = new DecodeError(1, "timestamp is not six digits and a z, / or h");
            return null;
        }

        AprsTimestamp? stamp = (char)field[6] switch
        {
            'z' when a is >= 1 and <= 31 && b < 24 && c < 60 => new AprsTimestamp(a, b.Value, c.Value, null, Zulu: true),
            '/' when a is >= 1 and <= 31 && b < 24 && c < 60 => new AprsTimestamp(a, b.Value, c.Value, null, Zulu: false),
            'h' when a < 24 && b < 60 && c < 60 => new AprsTimestamp(null, a.Value, b.Value, c, Zulu: true),
            _ => null,
        };
        if (stamp is null)
        {
            error = new DecodeError(1, $"timestamp '{Encoding.ASCII.GetString(field)}' is out of range or has no z, / or h");
        }

        return stamp;
    }

    private static AprsPosition? Position(ReadOnlySpan<byte> info, int at, AprsTimestamp? timestamp, bool messaging, out DecodeError error)
    {
        if (info.Length <= at)
        {
            error = new DecodeError(at, "field ends before the position");
            return null;
        }

        // A compressed position starts with its symbol table: '/', '\', A-Z or a-j; an uncompressed one with a digit (or a space of ambiguity).
        var first = (char)info[at];
        return first is '/' or '\\' or (>= 'A' and <= 'Z') or (>= 'a' and <= 'j')
            ? Compressed(info, at, timestamp, messaging, out error)
            : Uncompressed(info, at, timestamp, messaging, out error);
    }

    // APRS101 ch. 8: DDMM.hhN T DDDMM.hhW C, then an optional CSE/SPD extension, then the comment (/A=aaaaaa altitude in feet).
    private static AprsPosition? Uncompressed(ReadOnlySpan<byte> info, int at, AprsTimestamp? timestamp, bool messaging, out DecodeError error)
    {
        const int length = 19;
        if (info.Length < at + length)
        {
            error = new DecodeError(info.Length, $"uncompressed position needs {length} characters, {info.Length - at} left");
            return null;
        }

        var field = info.Slice(at, length);
        var lat = DegreesMinutes(field[..8], 2, 'N', 'S', at, out var ambiguity, out error);
        if (lat is null)
        {
            return null;
        }

        var lon = DegreesMinutes(field.Slice(9, 9), 3, 'E', 'W', at + 9, out var lonAmbiguity, out error);
        if (lon is null)
        {
            return null;
        }

        if (Math.Abs(lat.Value) > 90 || Math.Abs(lon.Value) > 180)
        {
            error = new DecodeError(at, $"position {lat:F4}, {lon:F4} is outside the globe");
            return null;
        }

        var rest = info[(at + length)..];
        double? heading = null;
        double? speed = null;
        if (rest.Length >= 7 && rest[3] == '/' && AllDigits(rest[..3]) && AllDigits(rest.Slice(4, 3)))
        {
            var course = Number(rest[..3]);
            heading = course is >= 1 and <= 360 ? course % 360 : null;
            speed = Number(rest.Slice(4, 3)) * KnotsToKmh;
            rest = rest[7..];
        }

        var comment = Text(rest);
        // Ambiguity hides digits of both coordinates (APRS101 ch. 8); accuracy is half the hidden box.
        ambiguity = Math.Max(ambiguity, lonAmbiguity);
        double? accuracy = ambiguity switch { 1 => 0.05 * 1852, 2 => 0.5 * 1852, 3 => 5 * 1852, 4 => 30 * 1852, _ => null };
        var fix = new GeoFix(lat.Value, lon.Value, AltitudeFeet(comment), speed, heading, accuracy);
        error = default;
        return new AprsPosition(fix, AprsPositionFormat.Uncompressed, (char)field[8], (char)field[18], comment, timestamp, ambiguity, messaging);
    }

    /// <summary>DDMM.hhH or DDDMM.hhH; spaces from the right are ambiguity (read as the box's lower corner plus half).</summary>
    private static double? DegreesMinutes(ReadOnlySpan<byte> field, int degreeDigits, char positive, char negative, int offset, out int ambiguity, out DecodeError error)
    {
        ambiguity = 0;
        error = default;
        Span<char> digits = stackalloc char[field.Length - 1];
        var dot = degreeDigits + 2;
        for (var i = 0; i < field.Length - 1; i++)
        {
            var c = (char)field[i];
            if (i == dot)
            {
                if (c != '.')
                {
                    error = new DecodeError(offset + i, $"'{Printable(c)}' where the decimal point of the minutes belongs");
                    return null;
                }

                digits[i] = '.';
                continue;
            }

            if (c == ' ' && i >= degreeDigits)
            {
                ambiguity++;
                digits[i] = '0';
            }
            else if (char.IsAsciiDigit(c) && ambiguity == 0)
            {
                digits[i] = c;
            }
            else
            {
                error = new DecodeError(offset + i, $"'{Printable(c)}' in a coordinate where a digit belongs");
                return null;
            }
        }

        var hemisphere = (char)field[^1];
        if (hemisphere != positive && hemisphere != negative)
        {
            error = new DecodeError(offset + field.Length - 1, $"'{Printable(hemisphere)}' is not {positive} or {negative}");
            return null;
        }

        var degrees = Number(field[..degreeDigits]);
        var minutes = ((digits[degreeDigits] - '0') * 10) + (digits[degreeDigits + 1] - '0') + ((digits[dot + 1] - '0') / 10.0) + ((digits[dot + 2] - '0') / 100.0);
        if (minutes >= 60)
        {
            error = new DecodeError(offset + degreeDigits, $"{minutes:F2} minutes is 60 or more");
            return null;
        }

        // Centre of the blanked box: ambiguity 1 → 0.05', 2 → 0.5', 3 → 5', 4 → 30'.
        minutes += ambiguity switch { 1 => 0.05, 2 => 0.5, 3 => 5, 4 => 30, _ => 0 };
        var value = degrees + (minutes / 60);
        return hemisphere == negative ? -value : value;
    }

    // APRS101 ch. 9: T YYYY XXXX C cs T (13 characters), base-91 digits offset by 33.
    private static AprsPosition? Compressed(ReadOnlySpan<byte> info, int at, AprsTimestamp? timestamp, bool messaging, out DecodeError error)
    {
        const int length = 13;
        if (info.Length < at + length)
        {
            error = new DecodeError(info.Length, $"compressed position needs {length} characters, {info.Length - at} left");
            return null;
        }

        var field = info.Slice(at, length);
        for (var i = 1; i < 9; i++)
        {
            if (field[i] is < 33 or > 123)
            {
                error = new DecodeError(at + i, $"0x{field[i]:X2} is not a base-91 digit (! to {{)");
                return null;
            }
        }

        var lat = 90 - (Base91(field.Slice(1, 4)) / 380926.0);
        var lon = -180 + (Base91(field.Slice(5, 4)) / 190463.0);
        if (lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            error = new DecodeError(at + 1, $"position {lat:F4}, {lon:F4} is outside the globe");
            return null;
        }

        double? heading = null;
        double? speed = null;
        double? altitude = null;
        var (c, s, type) = (field[10], field[11], field[12]);
        if (c != ' ' && c >= 33 && s >= 33 && type >= 33)
        {
            if (((type - 33) & 0x18) == 0x10)
            {
                // GGA source: cs is altitude, 1.002^cs feet.
                altitude = Math.Pow(1.002, ((c - 33) * 91) + (s - 33)) * FeetToMetres;
            }
            else if (c - 33 <= 89)
            {
                var course = (c - 33) * 4;
                heading = course is >= 1 and <= 360 ? course % 360 : null;
                speed = (Math.Pow(1.08, s - 33) - 1) * KnotsToKmh;
            }
        }

        var comment = Text(info[(at + length)..]);
        altitude ??= AltitudeFeet(comment);
        error = default;
        return new AprsPosition(new GeoFix(lat, lon, altitude, speed, heading), AprsPositionFormat.Compressed, (char)field[0], (char)field[9], comment, timestamp, 0, messaging);
    }

    // APRS101 ch. 10: latitude, message bits, N/S, longitude offset and E/W in the destination callsign; longitude, speed, course and symbol in the information field.
    private static AprsPosition? MicE(string destination, ReadOnlySpan<byte> info, out DecodeError error)
    {
        if (info.Length < 9)
        {
            error = new DecodeError(info.Length, $"Mic-E needs 9 characters, {info.Length} given");
            return null;
        }

        if (destination.Length != 6)
        {
            error = new DecodeError(0, $"Mic-E destination '{destination}' is not six characters");
            return null;
        }

        Span<int> latDigits = stackalloc int[6];
        var ambiguity = 0;
        for (var i = 0; i < 6; i++)
        {
            var c = destination[i];
            int? digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'A' and <= 'J' when i < 3 => c - 'A',
                >= 'P' and <= 'Y' => c - 'P',
                'K' when i < 3 => null,
                'L' or 'Z' => null,
                _ => -1,
            };
            if (digit == -1)
            {
                error = new DecodeError(0, $"'{c}' at {i + 1} of the Mic-E destination '{destination}' is not a latitude digit");
                return null;
            }

            if (digit is null)
            {
                ambiguity++;
            }

            latDigits[i] = digit ?? 0;
        }

        var north = destination[3] is >= 'P' and <= 'Z';
        var lonOffset = destination[4] is >= 'P' and <= 'Z' ? 100 : 0;
        var west = destination[5] is >= 'P' and <= 'Z';
        var latMinutes = (latDigits[2] * 10) + latDigits[3] + (latDigits[4] / 10.0) + (latDigits[5] / 100.0);
        var latDegrees = (latDigits[0] * 10) + latDigits[1];
        if (latDegrees > 90 || latMinutes >= 60)
        {
            error = new DecodeError(0, $"Mic-E destination '{destination}' gives latitude {latDegrees}° {latMinutes:F2}'");
            return null;
        }

        for (var i = 1; i < 7; i++)
        {
            if (info[i] is < 28 or > 127)
            {
                error = new DecodeError(i, $"0x{info[i]:X2} is outside the Mic-E range 0x1C..0x7F");
                return null;
            }
        }

        var lonDegrees = info[1] - 28 + lonOffset;
        lonDegrees = lonDegrees switch { >= 180 and <= 189 => lonDegrees - 80, >= 190 and <= 199 => lonDegrees - 190, _ => lonDegrees };
        var lonMinutes = info[2] - 28;
        if (lonMinutes >= 60)
        {
            lonMinutes -= 60;
        }

        var lonHundredths = info[3] - 28;
        if (lonDegrees > 179 || lonHundredths > 99)
        {
            error = new DecodeError(1, $"Mic-E longitude {lonDegrees}° {lonMinutes}.{lonHundredths}' is out of range");
            return null;
        }

        var lat = latDegrees + (latMinutes / 60);
        var lon = lonDegrees + ((lonMinutes + (lonHundredths / 100.0)) / 60);
        var knots = ((info[4] - 28) * 10) + ((info[5] - 28) / 10);
        var course = (((info[5] - 28) % 10) * 100) + (info[6] - 28);
        if (knots >= 800)
        {
            knots -= 800;
        }

        if (course >= 400)
        {
            course -= 400;
        }

        var comment = info[9..];
        double? altitude = null;
        // Optional altitude: three base-91 digits then '}', metres above -10000 (APRS101 ch. 10 "Mic-E Altitude"), after an optional type byte.
        var brace = comment.IndexOf((byte)'}');
        if (brace is 3 or 4 && comment[(brace - 3)..brace].IndexOfAnyExceptInRange((byte)33, (byte)123) < 0)
        {
            altitude = Base91(comment[(brace - 3)..brace]) - 10000.0;
            comment = comment[(brace + 1)..];
        }

        var fix = new GeoFix(
            north ? lat : -lat,
            west ? -lon : lon,
            altitude,
            knots * KnotsToKmh,
            course is >= 1 and <= 360 ? course % 360 : null,
            ambiguity switch { 1 => 0.05 * 1852, 2 => 0.5 * 1852, 3 => 5 * 1852, 4 => 30 * 1852, 0 => null, _ => 60 * 1852 });
        error = default;
        return new AprsPosition(fix, AprsPositionFormat.MicE, (char)info[8], (char)info[7], Text(comment), null, ambiguity, MessagingCapable: true);
    }

    // APRS101 ch. 14: ":" addressee padded to 9 ":" text, optional "{" message number (1-5 characters); "ackNN" / "rejNN" answer one.
    private static AprsMessage? Message(ReadOnlySpan<byte> info, out DecodeError error)
    {
        if (info.Length < 11 || info[10] != ':')
        {
            error = new DecodeError(Math.Min(info.Length, 10), "message needs a 9-character addressee between colons");
            return null;
        }

        var addressee = Encoding.ASCII.GetString(info.Slice(1, 9)).TrimEnd();
        if (addressee.Length == 0 || addressee.Any(c => c is < '!' or > '~'))
        {
            error = new DecodeError(1, "message addressee is empty or not printable ASCII");
            return null;
        }

        var text = Text(info[11..]);
        foreach (var (prefix, kind) in new[] { ("ack", AprsMessageKind.Acknowledgement), ("rej", AprsMessageKind.Rejection) })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.Length is > 3 and <= 8 && !text.Contains(' ', StringComparison.Ordinal))
            {
                error = default;
                return new AprsMessage(addressee, "", text[3..].TrimEnd('}'), kind);
            }
        }

        string? number = null;
        var brace = text.LastIndexOf('{');
        if (brace >= 0 && text.Length - brace - 1 is >= 1 and <= 5)
        {
            number = text[(brace + 1)..];
            text = text[..brace];
        }

        error = default;
        return new AprsMessage(addressee, text, number, AprsMessageKind.Message);
    }

    private static int Base91(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            value = (value * 91) + d - 33;
        }

        return value;
    }

    private static double? AltitudeFeet(string comment)
    {
        var at = comment.IndexOf("/A=", StringComparison.Ordinal);
        if (at < 0 || comment.Length < at + 9)
        {
            return null;
        }

        var digits = comment.AsSpan(at + 3, 6);
        var negative = digits[0] == '-';
        var body = negative ? digits[1..] : digits;
        foreach (var c in body)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        var feet = int.Parse(body, provider: System.Globalization.CultureInfo.InvariantCulture);
        return (negative ? -feet : feet) * FeetToMetres;
    }

    private static int? Pair(ReadOnlySpan<byte> field, int at) =>
        char.IsAsciiDigit((char)field[at]) && char.IsAsciiDigit((char)field[at + 1]) ? ((field[at] - '0') * 10) + field[at + 1] - '0' : null;

    private static bool AllDigits(ReadOnlySpan<byte> span) => span.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static int Number(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            value = (value * 10) + d - '0';
        }

        return value;
    }

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static string Printable(char c) => c is < ' ' or > '~' ? $"\\x{(int)c:X2}" : c.ToString();
}
