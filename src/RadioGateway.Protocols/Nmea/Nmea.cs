using System.Buffers;
using System.Globalization;
using System.Text;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Nmea;

/// <summary>One NMEA 0183 sentence: its address (<c>GPRMC</c>, <c>PKNSH</c>, …) and fields, checksum verified when present.</summary>
/// <param name="Address">Talker + sentence type, or <c>P</c> + manufacturer + type for proprietary sentences.</param>
/// <param name="Fields">The comma-separated fields after the address, without the checksum.</param>
/// <param name="HasChecksum">False when the sentence came without <c>*hh</c> (accepted, but nothing vouches for it).</param>
public sealed record NmeaSentence(string Address, IReadOnlyList<string> Fields, bool HasChecksum)
{
    public bool IsProprietary => Address.StartsWith('P');

    /// <summary>Sentence type without the talker (<c>RMC</c>), or the whole address for proprietary ones (<c>PKNSH</c>).</summary>
    public string Type => IsProprietary || Address.Length < 3 ? Address : Address[2..];

    public string Field(int index) => index < Fields.Count ? Fields[index] : "";
}

/// <summary>
/// NMEA 0183 sentences: <c>$</c> or <c>!</c>, comma-separated fields, optional <c>*hh</c> XOR checksum of the
/// characters between them, CR LF (LF alone accepted). At most <see cref="MaxLength"/> characters (the standard
/// says 82; proprietary radio sentences run longer).
/// </summary>
public static class Nmea
{
    public const int MaxLength = 120;

    public static DecodeStatus TryDecode(ReadOnlySequence<byte> input, out NmeaSentence? sentence, out int consumed, out DecodeError error)
    {
        sentence = null;
        consumed = 0;
        error = default;
        if (input.IsEmpty)
        {
            return DecodeStatus.NeedMoreData;
        }

        var first = input.FirstSpan[0];
        if (first is not ((byte)'$' or (byte)'!'))
        {
            error = new DecodeError(0, $"0x{first:X2} does not start an NMEA sentence ($ or !)");
            return DecodeStatus.Invalid;
        }

        var end = input.PositionOf((byte)'\n');
        if (end is null)
        {
            if (input.Length > MaxLength + 2)
            {
                error = new DecodeError(MaxLength, $"no line end within {MaxLength} characters");
                return DecodeStatus.Invalid;
            }

            return DecodeStatus.NeedMoreData;
        }

        var lineLength = (int)input.Slice(0, end.Value).Length;
        consumed = lineLength + 1;
        if (lineLength > MaxLength + 1)
        {
            error = new DecodeError(MaxLength, $"sentence of {lineLength} characters is longer than {MaxLength}");
            return DecodeStatus.Invalid;
        }

        var bytes = input.Slice(0, lineLength).ToArray();
        var length = bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes.Length - 1 : bytes.Length;
        sentence = Parse(bytes.AsSpan(0, length), out error);
        if (sentence is null)
        {
            consumed = 0;
            return DecodeStatus.Invalid;
        }

        return DecodeStatus.Done;
    }

    private static NmeaSentence? Parse(ReadOnlySpan<byte> line, out DecodeError error)
    {
        error = default;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] is < 0x20 or > 0x7E)
            {
                error = new DecodeError(i, $"character 0x{line[i]:X2} is not printable ASCII");
                return null;
            }
        }

        var text = Encoding.ASCII.GetString(line);
        var star = text.LastIndexOf('*');
        var hasChecksum = star >= 0;
        var body = hasChecksum ? text[1..star] : text[1..];
        if (hasChecksum)
        {
            byte expected = 0;
            foreach (var c in body)
            {
                expected ^= (byte)c;
            }

            var given = text[(star + 1)..];
            if (given.Length != 2 || !byte.TryParse(given, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var actual))
            {
                error = new DecodeError(star + 1, $"checksum '{given}' is not two hex digits");
                return null;
            }

            if (actual != expected)
            {
                error = new DecodeError(star + 1, $"checksum {given}, expected {expected:X2}");
                return null;
            }
        }

        var parts = body.Split(',');
        if (parts[0].Length < 2 || !parts[0].All(char.IsAsciiLetterOrDigit))
        {
            error = new DecodeError(1, $"address '{parts[0]}' is not a talker and sentence type");
            return null;
        }

        return new NmeaSentence(parts[0], parts[1..], hasChecksum);
    }

    /// <summary>Writes a sentence with its checksum and CR LF.</summary>
    public static void Write(IBufferWriter<byte> output, string address, params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(output);
        var body = address + (fields.Length > 0 ? "," + string.Join(',', fields) : "");
        byte checksum = 0;
        foreach (var c in body)
        {
            checksum ^= (byte)c;
        }

        output.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"${body}*{checksum:X2}\r\n")));
    }
}

/// <summary>Reads NMEA sentences from a serial byte stream, skipping what lies between them with the reason and offset.</summary>
public sealed class NmeaLineReader
{
    public long Position { get; private set; }

    public DecodeStatus TryRead(ref ReadOnlySequence<byte> buffer, out NmeaSentence? sentence, out DecodeError skipped)
    {
        skipped = default;
        var status = Nmea.TryDecode(buffer, out sentence, out var consumed, out var error);
        if (status == DecodeStatus.Done)
        {
            buffer = buffer.Slice(consumed);
            Position += consumed;
            return status;
        }

        if (status == DecodeStatus.Invalid)
        {
            // Drop through the end of the bad line, or up to the next sentence start.
            var reader = new SequenceReader<byte>(buffer);
            reader.Advance(1);
            reader.TryAdvanceToAny("$!\n"u8, advancePastDelimiter: false);
            if (reader.TryPeek(out var next) && next == (byte)'\n')
            {
                reader.Advance(1);
            }

            var count = (int)reader.Consumed;
            skipped = new DecodeError(Position + error.Offset, $"skipped {count} bytes: {error.Message}");
            buffer = buffer.Slice(count);
            Position += count;
        }

        return status;
    }
}

/// <summary>A position from an NMEA sentence, with the sender id Kenwood sentences carry.</summary>
/// <param name="Fix">The position; null when the receiver had no fix (<see cref="NoFixReason"/> says why).</param>
/// <param name="SenderId">Kenwood: fleet-id (FleetSync, e.g. <c>100-1001</c>) or unit id (NXDN, e.g. <c>U00002</c>).</param>
/// <param name="TimeOfDay">UTC time of day when the sentence has a time but no date (GGA, GLL, PKNSH, PKLSH).</param>
public sealed record NmeaPosition(GeoFix? Fix, string? NoFixReason, string? SenderId, TimeSpan? TimeOfDay);

/// <summary>
/// Positions from RMC, GGA, GLL and the Kenwood sentences PKNSH/PKLSH (NXDN/FleetSync short), PKNDS/PKLDS (long)
/// and PKWDWPL. Latitude ddmm.mmmm and longitude dddmm.mmmm with N/S and E/W (south and west negative), speed
/// in knots → km/h. A void fix (status V, GGA quality 0) is never turned into a position.
/// </summary>
public static class NmeaPositions
{
    private const double KnotsToKmh = 1.852;

    /// <summary>Returns null when the sentence type carries no position.</summary>
    /// <param name="date">Date for sentences that carry only a time of day; null leaves their fix time unset.</param>
    public static NmeaPosition? Read(NmeaSentence sentence, DateOnly? date = null)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        return sentence.Type switch
        {
            // RMC: time, status, lat, N/S, lon, E/W, speed, course, date, …
            "RMC" => FromFields(sentence, time: 0, status: 1, lat: 2, speed: 6, course: 7, dateField: 8, sender: null, date),
            // GGA: time, lat, N/S, lon, E/W, quality, satellites, HDOP, altitude, M, …
            "GGA" => Gga(sentence, date),
            // GLL: lat, N/S, lon, E/W, time, status
            "GLL" => FromFields(sentence, time: 4, status: 5, lat: 0, speed: null, course: null, dateField: null, sender: null, date),
            // PKNSH / PKLSH: lat, N/S, lon, E/W, time, status, sender (NXDN unit) or fleet, id
            "PKNSH" => FromFields(sentence, time: 4, status: 5, lat: 0, speed: null, course: null, dateField: null, sender: sentence.Field(6), date),
            "PKLSH" => FromFields(sentence, time: 4, status: 5, lat: 0, speed: null, course: null, dateField: null, sender: $"{sentence.Field(6)}-{sentence.Field(7)}", date),
            // PKNDS / PKLDS: time, status, lat, N/S, lon, E/W, speed, course, date, …, sender (NXDN field 11; FleetSync fleet 11, id 12)
            "PKNDS" => FromFields(sentence, time: 0, status: 1, lat: 2, speed: 6, course: 7, dateField: 8, sender: sentence.Field(11), date),
            "PKLDS" => FromFields(sentence, time: 0, status: 1, lat: 2, speed: 6, course: 7, dateField: 8, sender: $"{sentence.Field(11)}-{sentence.Field(12)}", date),
            // PKWDWPL: time, status, lat, N/S, lon, E/W, speed, course, date, altitude, name, symbol
            "PKWDWPL" => FromFields(sentence, time: 0, status: 1, lat: 2, speed: 6, course: 7, dateField: 8, sender: sentence.Field(10), date),
            _ => null,
        };
    }

    private static NmeaPosition Gga(NmeaSentence s, DateOnly? date)
    {
        var quality = s.Field(5);
        if (quality is "" or "0")
        {
            return new NmeaPosition(null, "GGA fix quality 0 (no fix)", null, ParseTime(s.Field(0)));
        }

        var position = FromFields(s, time: 0, status: null, lat: 1, speed: null, course: null, dateField: null, sender: null, date);
        if (position.Fix is { } fix && double.TryParse(s.Field(8), NumberStyles.Float, CultureInfo.InvariantCulture, out var altitude))
        {
            position = position with { Fix = fix with { AltitudeM = altitude } };
        }

        return position;
    }

    private static NmeaPosition FromFields(NmeaSentence s, int time, int? status, int lat, int? speed, int? course, int? dateField, string? sender, DateOnly? date)
    {
        var timeOfDay = ParseTime(s.Field(time));
        sender = string.IsNullOrEmpty(sender) || sender == "-" ? null : sender;
        if (status is { } statusField && s.Field(statusField) != "A")
        {
            return new NmeaPosition(null, $"status '{s.Field(statusField)}' is not A (valid)", sender, timeOfDay);
        }

        if (!TryCoordinate(s.Field(lat), 2, s.Field(lat + 1), 'S', out var latitude) || !TryCoordinate(s.Field(lat + 2), 3, s.Field(lat + 3), 'W', out var longitude)
            || Math.Abs(latitude) > 90 || Math.Abs(longitude) > 180)
        {
            return new NmeaPosition(null, $"coordinates '{s.Field(lat)}{s.Field(lat + 1)}' '{s.Field(lat + 2)}{s.Field(lat + 3)}' are not ddmm.mmmm / dddmm.mmmm", sender, timeOfDay);
        }

        double? speedKmh = speed is { } sp && double.TryParse(s.Field(sp), NumberStyles.Float, CultureInfo.InvariantCulture, out var knots) ? Math.Round(knots * KnotsToKmh, 3) : null;
        double? heading = course is { } co && double.TryParse(s.Field(co), NumberStyles.Float, CultureInfo.InvariantCulture, out var degrees) ? degrees : null;
        var day = dateField is { } df && DateOnly.TryParseExact(s.Field(df), "ddMMyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : date;
        DateTimeOffset? fixTime = day is { } d && timeOfDay is { } t ? new DateTimeOffset(d.ToDateTime(TimeOnly.FromTimeSpan(t)), TimeSpan.Zero) : null;
        return new NmeaPosition(new GeoFix(latitude, longitude, SpeedKmh: speedKmh, HeadingDeg: heading, FixTime: fixTime), null, sender, dateField is null ? timeOfDay : null);
    }

    private static bool TryCoordinate(string value, int degreeDigits, string hemisphere, char negative, out double degrees)
    {
        if (hemisphere.Length != 1 || !DegreesMinutes.TryParse(value, degreeDigits, out degrees))
        {
            degrees = 0;
            return false;
        }

        if (hemisphere[0] == negative)
        {
            degrees = -degrees;
        }

        return true;
    }

    private static TimeSpan? ParseTime(string value) =>
        value.Length >= 6 && int.TryParse(value.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h < 24
        && int.TryParse(value.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m < 60
        && double.TryParse(value.AsSpan(4), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var sec) && sec < 61
            ? new TimeSpan(0, h, m, 0).Add(TimeSpan.FromSeconds(Math.Round(sec, 3)))
            : null;

    /// <summary>An RMC sentence for <paramref name="fix"/> (status A; speed in knots).</summary>
    public static void WriteRmc(IBufferWriter<byte> output, GeoFix fix, string talker = "GP")
    {
        ArgumentNullException.ThrowIfNull(fix);
        var time = (fix.FixTime ?? DateTimeOffset.UnixEpoch).UtcDateTime;
        Nmea.Write(output, talker + "RMC",
            time.ToString("HHmmss.ff", CultureInfo.InvariantCulture), "A",
            DegreesMinutes.Format(Math.Abs(fix.Latitude), 2), fix.Latitude < 0 ? "S" : "N",
            DegreesMinutes.Format(Math.Abs(fix.Longitude), 3), fix.Longitude < 0 ? "W" : "E",
            fix.SpeedKmh is { } s ? (s / KnotsToKmh).ToString("0.0", CultureInfo.InvariantCulture) : "",
            fix.HeadingDeg is { } h ? h.ToString("0.0", CultureInfo.InvariantCulture) : "",
            time.ToString("ddMMyy", CultureInfo.InvariantCulture), "", "", "A");
    }

    /// <summary>A Kenwood NXDN short position sentence for unit <paramref name="senderId"/>.</summary>
    public static void WritePknsh(IBufferWriter<byte> output, GeoFix fix, string senderId)
    {
        ArgumentNullException.ThrowIfNull(fix);
        var time = (fix.FixTime ?? DateTimeOffset.UnixEpoch).UtcDateTime;
        Nmea.Write(output, "PKNSH",
            DegreesMinutes.Format(Math.Abs(fix.Latitude), 2), fix.Latitude < 0 ? "S" : "N",
            DegreesMinutes.Format(Math.Abs(fix.Longitude), 3), fix.Longitude < 0 ? "W" : "E",
            time.ToString("HHmmss", CultureInfo.InvariantCulture), "A", senderId, "");
    }
}
