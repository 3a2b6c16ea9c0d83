using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Hytera;

/// <summary>A Hytera Location Protocol message (HDAP service 0x08).</summary>
/// <param name="Opcode">Specific service: 0xA001 standard request, 0xA002 report, 0xA004 report with RSSI, 0xB003 emergency report, 0xC001/0xC003 triggered request/report, …</param>
/// <param name="RequestId">Ties a report to its request.</param>
/// <param name="RadioId">The radio the request is for or the report is from.</param>
/// <param name="Result">Result code of a report (0 = OK).</param>
/// <param name="Fix">Position of a report with valid GPS data; null when the radio had no fix (never invented).</param>
/// <param name="Rssi">Receive level of reports "with RSSI", as the radio gives it.</param>
/// <param name="IntervalSeconds">Triggered request: reporting interval.</param>
public sealed record HyteraLpMessage(ushort Opcode, uint RequestId, uint RadioId, int? Result, GeoFix? Fix, int? Rssi = null, int? IntervalSeconds = null)
{
    public bool IsReport => Opcode is HyteraLp.StandardReport or HyteraLp.StandardReportWithRssi or HyteraLp.EmergencyReport or HyteraLp.TriggeredReport or HyteraLp.ConditionReport or HyteraLp.ConditionReportWithRssi;

    public bool IsEmergency => Opcode == HyteraLp.EmergencyReport;
}

/// <summary>
/// Hytera LP payloads. Reports carry request id (4), radio IP (4), result (2) and 40 octets of ASCII GPS data:
/// valid flag (A/V), hhmmss, ddmmyy, N/S, ddmm.mmmm, E/W, dddmm.mmmm, speed in knots (3), direction (3);
/// NUL-filled fields mean "not known".
/// </summary>
public static class HyteraLp
{
    public const ushort StandardRequest = 0xA001;
    public const ushort StandardReport = 0xA002;
    public const ushort StandardReportWithRssi = 0xA004;
    public const ushort EmergencyReport = 0xB003;
    public const ushort TriggeredRequest = 0xC001;
    public const ushort TriggeredAnswer = 0xC002;
    public const ushort TriggeredReport = 0xC003;
    public const ushort TriggeredStopRequest = 0xC004;
    public const ushort TriggeredStopAnswer = 0xC005;
    public const ushort ConditionReport = 0xD003;
    public const ushort ConditionReportWithRssi = 0xD004;

    private const int GpsLength = 40;
    private const double KnotsToKmh = 1.852;

    /// <summary>Decodes the LP message in a whole HDAP message: <see cref="DecodeStatus.Done"/>, or <see cref="DecodeStatus.Invalid"/> with the payload offset and what is wrong.</summary>
    public static DecodeStatus TryDecode(HdapMessage message, out HyteraLpMessage? lp, out DecodeError error)
    {
        lp = Read(message, out error);
        return lp is null ? DecodeStatus.Invalid : DecodeStatus.Done;
    }

    private static HyteraLpMessage? Read(HdapMessage message, out DecodeError error)
    {
        ArgumentNullException.ThrowIfNull(message);
        error = default;
        var p = message.Payload;
        if (message.Service != HdapService.Location)
        {
            error = new DecodeError(0, $"service {message.Service} is not LP");
            return null;
        }

        if (p.Length < 8)
        {
            error = new DecodeError(p.Length, $"LP payload of {p.Length} octets has no request id and radio IP (8)");
            return null;
        }

        var requestId = BinaryPrimitives.ReadUInt32BigEndian(p);
        var radioId = Hdap.RadioId(p.AsSpan(4));
        switch (message.Opcode)
        {
            case StandardReport or EmergencyReport or TriggeredReport or ConditionReport or StandardReportWithRssi or ConditionReportWithRssi:
                if (p.Length < 10 + GpsLength)
                {
                    error = new DecodeError(p.Length, $"LP report of {p.Length} octets is shorter than its GPS data ({10 + GpsLength})");
                    return null;
                }

                var fix = ReadGps(p.AsSpan(10, GpsLength), out var gpsError);
                if (gpsError is not null)
                {
                    error = new DecodeError(24, gpsError);
                    return null;
                }

                int? rssi = message.Opcode is StandardReportWithRssi or ConditionReportWithRssi && p.Length >= 10 + GpsLength + 2
                    ? BinaryPrimitives.ReadInt16BigEndian(p.AsSpan(10 + GpsLength))
                    : null;
                return new HyteraLpMessage(message.Opcode, requestId, radioId, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(8)), fix, rssi);
            case TriggeredRequest:
                int? interval = p.Length >= 10 ? BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(8)) : null;
                return new HyteraLpMessage(message.Opcode, requestId, radioId, null, null, IntervalSeconds: interval);
            case TriggeredAnswer:
                return new HyteraLpMessage(message.Opcode, requestId, radioId, p.Length >= 10 ? BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(8)) : null, null);
            default:
                return new HyteraLpMessage(message.Opcode, requestId, radioId, null, null);
        }
    }

    /// <summary>GPS data: null fix for V (no fix) or empty coordinates; an error for malformed fields.</summary>
    private static GeoFix? ReadGps(ReadOnlySpan<byte> gps, out string? error)
    {
        error = null;
        var ascii = Encoding.ASCII.GetString(gps);
        string Field(int start, int length) => ascii.Substring(start, length).Trim('\0', ' ');
        if (gps[0] != (byte)'A')
        {
            return null;
        }

        var latitudeText = Field(14, 9);
        var longitudeText = Field(24, 10);
        if (latitudeText.Length == 0 || longitudeText.Length == 0)
        {
            return null;
        }

        if (!DegreesMinutes.TryParse(latitudeText, 2, out var latitude) || latitude > 90 || !DegreesMinutes.TryParse(longitudeText, 3, out var longitude) || longitude > 180)
        {
            error = $"GPS coordinates '{latitudeText}' / '{longitudeText}' at payload octets 24/34 are not ddmm.mmmm / dddmm.mmmm";
            return null;
        }

        if (gps[13] == (byte)'S')
        {
            latitude = -latitude;
        }

        if (gps[23] == (byte)'W')
        {
            longitude = -longitude;
        }

        double? speed = double.TryParse(Field(34, 3), NumberStyles.Float, CultureInfo.InvariantCulture, out var knots) ? Math.Round(knots * KnotsToKmh, 3) : null;
        double? heading = int.TryParse(Field(37, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var direction) && direction < 360 ? direction : null;
        DateTimeOffset? time = DateTime.TryParseExact(Field(1, 6) + Field(7, 6), "HHmmssddMMyy", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? new DateTimeOffset(parsed, TimeSpan.Zero)
            : null;
        return new GeoFix(latitude, longitude, SpeedKmh: speed, HeadingDeg: heading, FixTime: time);
    }


    /// <summary>A standard (immediate) location request to <paramref name="radioId"/>.</summary>
    public static void WriteStandardRequest(IBufferWriter<byte> output, uint requestId, uint radioId, byte subnet = 10)
    {
        Span<byte> payload = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, requestId);
        Hdap.WriteRadioIp(payload[4..], radioId, subnet);
        Hdap.Write(output, HdapService.Location, reliable: false, StandardRequest, payload);
    }

    /// <summary>A triggered (periodic) location request every <paramref name="intervalSeconds"/>.</summary>
    public static void WriteTriggeredRequest(IBufferWriter<byte> output, uint requestId, uint radioId, int intervalSeconds, byte subnet = 10)
    {
        Span<byte> payload = stackalloc byte[10];
        BinaryPrimitives.WriteUInt32BigEndian(payload, requestId);
        Hdap.WriteRadioIp(payload[4..], radioId, subnet);
        BinaryPrimitives.WriteUInt16BigEndian(payload[8..], (ushort)intervalSeconds);
        Hdap.Write(output, HdapService.Location, reliable: false, TriggeredRequest, payload);
    }

    /// <summary>Ends triggered reporting (0xC004), or answers such a request (0xC005, with a result).</summary>
    public static void WriteStop(IBufferWriter<byte> output, ushort opcode, uint requestId, uint radioId, int result = 0, byte subnet = 10)
    {
        Span<byte> payload = stackalloc byte[10];
        BinaryPrimitives.WriteUInt32BigEndian(payload, requestId);
        Hdap.WriteRadioIp(payload[4..], radioId, subnet);
        BinaryPrimitives.WriteUInt16BigEndian(payload[8..], (ushort)result);
        Hdap.Write(output, HdapService.Location, reliable: false, opcode, opcode == TriggeredStopAnswer ? payload : payload[..8]);
    }

    /// <summary>A report as a Hytera radio sends it; a null fix is sent as invalid (V) GPS data.</summary>
    public static void WriteReport(IBufferWriter<byte> output, ushort opcode, uint requestId, uint radioId, GeoFix? fix, int result = 0, byte subnet = 10)
    {
        var payload = new byte[10 + GpsLength];
        BinaryPrimitives.WriteUInt32BigEndian(payload, requestId);
        Hdap.WriteRadioIp(payload.AsSpan(4), radioId, subnet);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(8), (ushort)result);
        var gps = payload.AsSpan(10);
        if (fix is null)
        {
            gps[0] = (byte)'V';
        }
        else
        {
            var time = fix.FixTime?.UtcDateTime;
            var text = string.Create(CultureInfo.InvariantCulture, $"A{time:HHmmss}{time:ddMMyy}{(fix.Latitude < 0 ? 'S' : 'N')}{DegreesMinutes.Format(Math.Abs(fix.Latitude), 2)}{(fix.Longitude < 0 ? 'W' : 'E')}{DegreesMinutes.Format(Math.Abs(fix.Longitude), 3)}");
            Encoding.ASCII.GetBytes(text, gps);
            if (fix.SpeedKmh is { } speed)
            {
                Encoding.ASCII.GetBytes(Math.Min(999, Math.Round(speed / KnotsToKmh)).ToString("000", CultureInfo.InvariantCulture), gps[34..]);
            }

            if (fix.HeadingDeg is { } heading)
            {
                Encoding.ASCII.GetBytes(((int)Math.Round(heading) % 360).ToString("000", CultureInfo.InvariantCulture), gps[37..]);
            }
        }

        Hdap.Write(output, HdapService.Location, reliable: false, opcode, payload);
    }

}

/// <summary>A Hytera Text Message Protocol message (HDAP service 0x09).</summary>
/// <param name="Service">0xA1 private message, 0xA2 its ack, 0xB1 group message, 0xB2 its ack, 0xAE/0xBE short data.</param>
/// <param name="Confirmed">The sender wants an acknowledgement.</param>
/// <param name="RequestId">Ties an acknowledgement to its message.</param>
/// <param name="DestinationId">Radio or group id.</param>
/// <param name="SourceId">Sending radio id.</param>
/// <param name="Text">UTF-16LE text of a message; null for acks and short data.</param>
/// <param name="Result">Result code of an acknowledgement (0 = OK).</param>
public sealed record HyteraTmpMessage(byte Service, bool Confirmed, uint RequestId, uint DestinationId, uint SourceId, string? Text, int? Result)
{
    public bool IsGroup => Service is HyteraTmp.GroupMessage or HyteraTmp.GroupMessageAck or 0xBE or 0xBF;

    public bool IsText => Service is HyteraTmp.PrivateMessage or HyteraTmp.GroupMessage;

    public bool IsAck => Service is HyteraTmp.PrivateMessageAck or HyteraTmp.GroupMessageAck;
}

/// <summary>
/// Hytera TMP payloads: the opcode's high octet holds flags (bit 7 confirmed, bit 6 option field present), its low
/// octet the service; then an optional option length, request id (4), destination IP (4), source IP (4), and
/// UTF-16LE text or a result code, then option data.
/// </summary>
public static class HyteraTmp
{
    public const byte PrivateMessage = 0xA1;
    public const byte PrivateMessageAck = 0xA2;
    public const byte GroupMessage = 0xB1;
    public const byte GroupMessageAck = 0xB2;

    /// <summary>Decodes the TMP message in a whole HDAP message: <see cref="DecodeStatus.Done"/>, or <see cref="DecodeStatus.Invalid"/> with the payload offset and what is wrong.</summary>
    public static DecodeStatus TryDecode(HdapMessage message, out HyteraTmpMessage? tmp, out DecodeError error)
    {
        tmp = Read(message, out error);
        return tmp is null ? DecodeStatus.Invalid : DecodeStatus.Done;
    }

    private static HyteraTmpMessage? Read(HdapMessage message, out DecodeError error)
    {
        ArgumentNullException.ThrowIfNull(message);
        error = default;
        if (message.Service != HdapService.TextMessage)
        {
            error = new DecodeError(0, $"service {message.Service} is not TMP");
            return null;
        }

        var confirmed = (message.Opcode & 0x8000) != 0;
        var hasOption = (message.Opcode & 0x4000) != 0;
        var service = (byte)message.Opcode;
        var p = message.Payload.AsSpan();
        var optionLength = 0;
        if (hasOption)
        {
            if (p.Length < 2)
            {
                error = new DecodeError(p.Length, "TMP option length missing");
                return null;
            }

            optionLength = BinaryPrimitives.ReadUInt16BigEndian(p);
            p = p[2..];
        }

        if (p.Length < 12 + optionLength)
        {
            error = new DecodeError(message.Payload.Length, $"TMP payload of {p.Length} octets is shorter than its addresses and options ({12 + optionLength})");
            return null;
        }

        var body = p[..^optionLength];
        var requestId = BinaryPrimitives.ReadUInt32BigEndian(body);
        var destination = Hdap.RadioId(body[4..]);
        var source = Hdap.RadioId(body[8..]);
        var rest = body[12..];
        switch (service)
        {
            case PrivateMessage or GroupMessage:
                if (rest.Length % 2 != 0)
                {
                    error = new DecodeError(message.Payload.Length - optionLength - 1, $"UTF-16LE text of {rest.Length} octets has an odd length");
                    return null;
                }

                return new HyteraTmpMessage(service, confirmed, requestId, destination, source, Encoding.Unicode.GetString(rest).TrimEnd('\0'), null);
            case PrivateMessageAck or GroupMessageAck:
                return new HyteraTmpMessage(service, confirmed, requestId, destination, source, null, rest.Length > 0 ? rest[0] : null);
            default:
                return new HyteraTmpMessage(service, confirmed, requestId, destination, source, null, null);
        }
    }

    public static void WriteText(IBufferWriter<byte> output, bool group, bool confirmed, uint requestId, uint destinationId, uint sourceId, string text, byte subnet = 10)
    {
        ArgumentNullException.ThrowIfNull(text);
        var textBytes = Encoding.Unicode.GetBytes(text);
        var payload = new byte[12 + textBytes.Length];
        WriteAddresses(payload, requestId, destinationId, sourceId, groupDestination: group, subnet);
        textBytes.CopyTo(payload, 12);
        Hdap.Write(output, HdapService.TextMessage, reliable: false, (ushort)((confirmed ? 0x8000 : 0) | (group ? GroupMessage : PrivateMessage)), payload);
    }

    public static void WriteAck(IBufferWriter<byte> output, bool group, uint requestId, uint destinationId, uint sourceId, int result = 0, byte subnet = 10)
    {
        var payload = new byte[13];
        WriteAddresses(payload, requestId, destinationId, sourceId, groupDestination: false, subnet);
        payload[12] = (byte)result;
        Hdap.Write(output, HdapService.TextMessage, reliable: false, (ushort)(0x8000 | (group ? GroupMessageAck : PrivateMessageAck)), payload);
    }

    private static void WriteAddresses(Span<byte> payload, uint requestId, uint destinationId, uint sourceId, bool groupDestination, byte subnet)
    {
        BinaryPrimitives.WriteUInt32BigEndian(payload, requestId);
        // Group destinations carry subnet 0, as in the captured group message.
        Hdap.WriteRadioIp(payload[4..], destinationId, groupDestination ? (byte)0 : subnet);
        Hdap.WriteRadioIp(payload[8..], sourceId, subnet);
    }
}

/// <summary>Hytera Radio Registration Service message (HDAP service 0x11).</summary>
/// <param name="Opcode">0x03 registration, 0x80 its answer, 0x01 going offline, 0x02 status check, 0x82 its answer.</param>
public sealed record HyteraRrsMessage(ushort Opcode, uint RadioId, int? Result, int? RenewSeconds, bool? Online)
{
    public bool IsRegistration => Opcode == HyteraRrs.Registration;

    public bool IsGoingOffline => Opcode == HyteraRrs.GoingOffline;
}

/// <summary>Hytera RRS payloads: radio IP (4), then a result and renew time (answer) or a radio state (status answer).</summary>
public static class HyteraRrs
{
    public const ushort GoingOffline = 0x0001;
    public const ushort StatusCheckRequest = 0x0002;
    public const ushort Registration = 0x0003;
    public const ushort RegistrationAnswer = 0x0080;
    public const ushort StatusCheckAnswer = 0x0082;

    /// <summary>Decodes the RRS message in a whole HDAP message: <see cref="DecodeStatus.Done"/>, or <see cref="DecodeStatus.Invalid"/> with the payload offset and what is wrong.</summary>
    public static DecodeStatus TryDecode(HdapMessage message, out HyteraRrsMessage? rrs, out DecodeError error)
    {
        rrs = Read(message, out error);
        return rrs is null ? DecodeStatus.Invalid : DecodeStatus.Done;
    }

    private static HyteraRrsMessage? Read(HdapMessage message, out DecodeError error)
    {
        ArgumentNullException.ThrowIfNull(message);
        error = default;
        var p = message.Payload;
        if (message.Service != HdapService.RadioRegistration)
        {
            error = new DecodeError(0, $"service {message.Service} is not RRS");
            return null;
        }

        if (p.Length < 4)
        {
            error = new DecodeError(p.Length, $"RRS payload of {p.Length} octets has no radio IP");
            return null;
        }

        var radioId = Hdap.RadioId(p);
        return message.Opcode switch
        {
            RegistrationAnswer when p.Length >= 9 => new HyteraRrsMessage(message.Opcode, radioId, p[4], (int)BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(5)), null),
            StatusCheckAnswer when p.Length >= 5 => new HyteraRrsMessage(message.Opcode, radioId, null, null, p[4] == 0),
            GoingOffline or StatusCheckRequest or Registration => new HyteraRrsMessage(message.Opcode, radioId, null, null, null),
            _ => Fail(message.Opcode, p.Length, out error),
        };
    }

    public static void Write(IBufferWriter<byte> output, ushort opcode, uint radioId, bool reliable = true, byte subnet = 10)
    {
        Span<byte> payload = stackalloc byte[4];
        Hdap.WriteRadioIp(payload, radioId, subnet);
        Hdap.Write(output, HdapService.RadioRegistration, reliable, opcode, payload);
    }

    public static void WriteRegistrationAnswer(IBufferWriter<byte> output, uint radioId, int result, int renewSeconds, byte subnet = 10)
    {
        Span<byte> payload = stackalloc byte[9];
        Hdap.WriteRadioIp(payload, radioId, subnet);
        payload[4] = (byte)result;
        BinaryPrimitives.WriteUInt32BigEndian(payload[5..], (uint)renewSeconds);
        Hdap.Write(output, HdapService.RadioRegistration, reliable: true, RegistrationAnswer, payload);
    }

    private static HyteraRrsMessage? Fail(ushort opcode, int length, out DecodeError error)
    {
        error = new DecodeError(4, $"RRS opcode 0x{opcode:X4} with {length} payload octets is not a known RRS message");
        return null;
    }
}
