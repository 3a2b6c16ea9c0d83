using System.Buffers;
using System.Buffers.Binary;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Motorola;

/// <summary>
/// LRRP document types (the first octet); each has an NCDT variant one higher, which is what radios send, except the
/// location-protocol request and report, whose only form is NCDT.
/// </summary>
public enum LrrpDocument : byte
{
    ImmediateRequest = 0x04,
    ImmediateReport = 0x06,
    TriggeredRequest = 0x08,
    TriggeredAnswer = 0x0A,
    TriggeredReport = 0x0C,
    StopRequest = 0x0E,
    StopAnswer = 0x10,
    UnsolicitedReport = 0x12,
    ProtocolRequest = 0x14,
    ProtocolReport = 0x15,
}

/// <summary>One LRRP document with the tokens the gateway uses; unknown-but-well-formed tokens are kept by id.</summary>
public sealed record LrrpMessage
{
    public required LrrpDocument Document { get; init; }

    public byte[] RequestId { get; init; } = [];

    /// <summary>The position of a report; null in requests, answers and reports without a shape.</summary>
    public GeoFix? Fix { get; init; }

    /// <summary>Result code of an answer or report (0 = success); null when the document carries none.</summary>
    public int? ResultCode { get; init; }

    /// <summary>Operation-error text that may follow a result code.</summary>
    public string? ResultText { get; init; }

    /// <summary>Triggered request: the reporting interval in seconds.</summary>
    public int? IntervalSeconds { get; init; }

    /// <summary>Report: vertical speed in km/h, level of confidence in percent.</summary>
    public double? VerticalSpeedKmh { get; init; }

    public int? LevelOfConfidence { get; init; }

    /// <summary>Request tokens asking for information (ret-info, request-speed-hor, …), by token id.</summary>
    public IReadOnlyList<byte> RequestTokens { get; init; } = [];

    public bool IsRequest => Document is LrrpDocument.ImmediateRequest or LrrpDocument.TriggeredRequest or LrrpDocument.StopRequest or LrrpDocument.ProtocolRequest;

    /// <summary>Request id as hex, the key that matches an answer to its request.</summary>
    public string RequestIdHex => Convert.ToHexString(RequestId);
}

/// <summary>
/// Motorola LRRP (UDP 4001) in its binary MBXML form: document id, length (variable integer), then tokens.
/// Latitude is sign-magnitude (bit 31 = south, 31 bits × 90/2³¹); longitude two's complement × 360/2³².
/// Speed is km/h, direction octets count 2°, time is year(14) month(4) day(5) hour(5) minute(6) second(6).
/// </summary>
public static class Lrrp
{
    public const int Port = 4001;

    /// <summary>Longest document accepted; real ones are under 100 octets.</summary>
    public const int MaxLength = 512;

    public static DecodeStatus TryDecode(ReadOnlySequence<byte> input, out LrrpMessage? message, out int consumed, out DecodeError error)
    {
        message = null;
        consumed = 0;
        error = default;
        Span<byte> head = stackalloc byte[6];
        var available = (int)Math.Min(input.Length, head.Length);
        input.Slice(0, available).CopyTo(head);
        if (available < 2)
        {
            return DecodeStatus.NeedMoreData;
        }

        var documentId = head[0];
        if (documentId is < 0x04 or > 0x15)
        {
            error = new DecodeError(0, $"document id 0x{documentId:X2} is not an LRRP document (0x04–0x15)");
            return DecodeStatus.Invalid;
        }

        var header = new MbxmlReader(head[1..available]);
        if (!header.TryUIntVar(out var length))
        {
            if (available < head.Length)
            {
                return DecodeStatus.NeedMoreData;
            }

            error = new DecodeError(1, "document length is not a valid variable integer");
            return DecodeStatus.Invalid;
        }

        var headerLength = 1 + header.Position;
        if (length > MaxLength)
        {
            error = new DecodeError(1, $"document length {length} exceeds the {MaxLength}-octet limit");
            return DecodeStatus.Invalid;
        }

        var total = headerLength + (int)length;
        if (input.Length < total)
        {
            return DecodeStatus.NeedMoreData;
        }

        var body = input.Slice(headerLength, length).ToArray();
        var tokens = 0;
        if (HasConstantTable(documentId))
        {
            // MBXML: a CDT document carries its constant data table (uintvar length, then the table) before its tokens.
            var table = new MbxmlReader(body);
            if (!table.TryUIntVar(out var tableLength) || tableLength > table.Remaining)
            {
                error = new DecodeError(headerLength, $"constant data table of document 0x{documentId:X2} runs past the document");
                return DecodeStatus.Invalid;
            }

            tokens = table.Position + (int)tableLength;
        }

        message = Parse(DocumentOf(documentId), body.AsSpan(tokens), headerLength + tokens, out error);
        if (message is null)
        {
            return DecodeStatus.Invalid;
        }

        consumed = total;
        return DecodeStatus.Done;
    }

    /// <summary>
    /// Odd ids are the NCDT (no constant data table) form of the even id below them, except the location-protocol
    /// request 0x14 and report 0x15, which have only the NCDT form (OK-DMR/ok-dmrlib MBXMLDocumentIdentifier).
    /// </summary>
    private static bool HasConstantTable(byte documentId) => documentId % 2 == 0 && documentId != (byte)LrrpDocument.ProtocolRequest;

    private static LrrpDocument DocumentOf(byte documentId) => documentId is (byte)LrrpDocument.ProtocolRequest or (byte)LrrpDocument.ProtocolReport
        ? (LrrpDocument)documentId
        : (LrrpDocument)(documentId & 0xFE);

    private static byte NcdtId(LrrpDocument document) => document is LrrpDocument.ProtocolRequest or LrrpDocument.ProtocolReport ? (byte)document : (byte)((byte)document | 1);

    private static LrrpMessage? Parse(LrrpDocument document, ReadOnlySpan<byte> body, int offset, out DecodeError error)
    {
        error = default;
        var isRequest = document is LrrpDocument.ImmediateRequest or LrrpDocument.TriggeredRequest or LrrpDocument.StopRequest or LrrpDocument.ProtocolRequest;
        var reader = new MbxmlReader(body);
        byte[] requestId = [];
        double? lat = null, lon = null, alt = null, radius = null, speed = null, heading = null, vertical = null;
        DateTimeOffset? time = null;
        int? result = null, interval = null, confidence = null;
        string? resultText = null;
        var requestTokens = new List<byte>();
        while (reader.Remaining > 0)
        {
            var at = offset + reader.Position;
            reader.TryByte(out var token);
            bool ok;
            switch (token)
            {
                case 0x22: // request-id: length + octets
                    ok = false;
                    if (reader.TryUIntVar(out var idLength) && idLength <= 16 && reader.TryBytes((int)idLength, out var id))
                    {
                        ok = true;
                        requestId = id.ToArray();
                    }

                    break;
                case 0x23: // request-id: one octet
                    ok = false;
                    if (reader.TryBytes(1, out var shortId))
                    {
                        ok = true;
                        requestId = shortId.ToArray();
                    }

                    break;
                case 0x31 when isRequest: // interval
                    ok = reader.TryUIntVar(out var seconds);
                    interval = (int)Math.Min(seconds, int.MaxValue);
                    break;
                case 0x34 when !isRequest: // info-time
                    ok = reader.TryBytes(5, out var stamp);
                    if (ok)
                    {
                        time = ReadTime(stamp, out var bad);
                        if (bad is not null)
                        {
                            error = new DecodeError(at + 1, bad);
                            return null;
                        }
                    }

                    break;
                case 0x51 when !isRequest: // circle-2d: lat, lon, radius
                    ok = false;
                    if (ReadPoint(ref reader, out lat, out lon) && reader.TryUFloatVar(out var r2))
                    {
                        ok = true;
                        radius = r2;
                    }

                    break;
                case 0x54 or 0x55 when !isRequest: // circle-3d: lat, lon, radius, altitude, altitude accuracy
                    ok = false;
                    if (ReadPoint(ref reader, out lat, out lon) && reader.TryUFloatVar(out var r3) && reader.TrySFloatVar(out var a3) && reader.TryUFloatVar(out _))
                    {
                        ok = true;
                        radius = r3;
                        alt = a3;
                    }

                    break;
                case 0x66 when !isRequest: // point-2d
                    ok = ReadPoint(ref reader, out lat, out lon);
                    break;
                case 0x69 or 0x6A when !isRequest: // point-3d (0x6A with altitude accuracy)
                    ok = false;
                    if (ReadPoint(ref reader, out lat, out lon) && reader.TrySFloatVar(out var a) && (token == 0x69 || reader.TryUFloatVar(out _)))
                    {
                        ok = true;
                        alt = a;
                    }

                    break;
                case 0x56 when !isRequest: // direction-hor, 2° per unit
                    ok = reader.TryByte(out var direction);
                    heading = direction * 2.0;
                    break;
                case 0x6C when !isRequest: // speed-hor, km/h
                    ok = reader.TryUFloatVar(out var horizontal);
                    speed = horizontal;
                    break;
                case 0x70 when !isRequest: // speed-vrt
                    ok = reader.TrySFloatVar(out var vrt);
                    vertical = vrt;
                    break;
                case 0x65 or 0x6B when !isRequest: // level of confidence / vendor octet
                    ok = reader.TryByte(out var octet);
                    if (token == 0x65)
                    {
                        confidence = octet;
                    }

                    break;
                case 0x36: // protocol-version
                    ok = reader.TryUIntVar(out _);
                    break;
                case 0x37 when !isRequest: // result with a result code
                    ok = reader.TryUIntVar(out var code);
                    result = (int)Math.Min(code, int.MaxValue);
                    break;
                case 0x38 when !isRequest: // result: success (code 0)
                    ok = true;
                    result = 0;
                    break;
                case 0x39 when !isRequest: // result code + operation-error text
                    ok = false;
                    if (reader.TryUIntVar(out var failure) && reader.TryUIntVar(out var textLength) && textLength <= 64 && reader.TryBytes((int)textLength, out var text))
                    {
                        ok = true;
                        result = (int)Math.Min(failure, int.MaxValue);
                        resultText = System.Text.Encoding.ASCII.GetString(text);
                    }

                    break;
                case 0x33 or 0x34 or 0x50 or 0x51 or 0x52 or 0x53 or 0x54 or 0x57 or 0x62 or 0x64 or 0x66 or 0x69 or 0x74 or 0x76 when isRequest:
                    ok = true; // triggers and information requests without a value
                    requestTokens.Add(token);
                    break;
                case 0x3F or 0x42 or 0x4A or 0x55 or 0x5F or 0x67 or 0x71 when isRequest:
                    ok = reader.TryUIntVar(out _);
                    requestTokens.Add(token);
                    break;
                case 0x56 or 0x60 or 0x68 or 0x72 when isRequest:
                    ok = reader.TryUFloatVar(out _);
                    requestTokens.Add(token);
                    break;
                case 0x61 or 0x73 when isRequest:
                    ok = reader.TryByte(out _);
                    requestTokens.Add(token);
                    break;
                default:
                    error = new DecodeError(at, $"unknown {(isRequest ? "request" : "report")} token 0x{token:X2}");
                    return null;
            }

            if (!ok)
            {
                error = new DecodeError(at, $"token 0x{token:X2} runs past the end of the document or has a malformed value");
                return null;
            }
        }

        GeoFix? fix = null;
        if (lat is { } latitude && lon is { } longitude)
        {
            fix = new GeoFix(latitude, longitude, alt, speed, heading, radius, time);
        }

        return new LrrpMessage
        {
            Document = document,
            RequestId = requestId,
            Fix = fix,
            ResultCode = result,
            ResultText = resultText,
            IntervalSeconds = interval,
            VerticalSpeedKmh = vertical,
            LevelOfConfidence = confidence,
            RequestTokens = requestTokens,
        };
    }

    private static bool ReadPoint(ref MbxmlReader reader, out double? latitude, out double? longitude)
    {
        latitude = null;
        longitude = null;
        if (!reader.TryBytes(8, out var raw))
        {
            return false;
        }

        latitude = DecodeLatitude(BinaryPrimitives.ReadUInt32BigEndian(raw));
        longitude = DecodeLongitude(BinaryPrimitives.ReadUInt32BigEndian(raw[4..]));
        return true;
    }

    /// <summary>
    /// Sign-magnitude: bit 31 set = south; the other 31 bits scale 0..90°. Public decoders disagree; southern
    /// captures decided it for DSheirer/sdrtrunk (issue #1118, PR #1119: "a leading hemisphere flag followed by a
    /// 31-bit integer", from an Australian radio at 35° S that two's complement put at 55° S). arancormonk/dsd-neo
    /// (commit 366d45d4) reads two's complement on a northern vector only; ok-dmrlib reads it unsigned.
    /// </summary>
    public static double DecodeLatitude(uint raw)
    {
        var magnitude = (raw & 0x7FFFFFFF) * 90.0 / 2147483648.0;
        return (raw & 0x80000000) != 0 ? -magnitude : magnitude;
    }

    /// <summary>Two's complement over ±180°.</summary>
    public static double DecodeLongitude(uint raw) => (int)raw * 360.0 / 4294967296.0;

    public static uint EncodeLatitude(double latitude)
    {
        // Truncated, as the LRRP examples encode 12.345345 as 0x118ECD8D.
        var magnitude = (uint)Math.Min(Math.Truncate(Math.Round(Math.Abs(latitude), 6) * 2147483648.0 / 90.0), 0x7FFFFFFF);
        return latitude < 0 ? magnitude | 0x80000000 : magnitude;
    }

    public static uint EncodeLongitude(double longitude) => unchecked((uint)(int)Math.Clamp(Math.Truncate(Math.Round(longitude, 6) * 4294967296.0 / 360.0), int.MinValue, int.MaxValue));

    private static DateTimeOffset? ReadTime(ReadOnlySpan<byte> stamp, out string? error)
    {
        ulong value = 0;
        foreach (var octet in stamp)
        {
            value = (value << 8) | octet;
        }

        var year = (int)(value >> 26);
        var month = (int)((value >> 22) & 0x0F);
        var day = (int)((value >> 17) & 0x1F);
        var hour = (int)((value >> 12) & 0x1F);
        var minute = (int)((value >> 6) & 0x3F);
        var second = (int)(value & 0x3F);
        if (year is < 1970 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            error = $"info-time {year:D4}-{month:D2}-{day:D2} {hour:D2}:{minute:D2}:{second:D2} is not a valid UTC time";
            return null;
        }

        error = null;
        return new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
    }

    private static void WriteTime(IBufferWriter<byte> output, DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var value = ((ulong)(uint)utc.Year << 26) | ((ulong)(uint)utc.Month << 22) | ((ulong)(uint)utc.Day << 17) | ((ulong)(uint)utc.Hour << 12) | ((ulong)(uint)utc.Minute << 6) | (uint)utc.Second;
        var span = output.GetSpan(5);
        for (var i = 0; i < 5; i++)
        {
            span[i] = (byte)(value >> (8 * (4 - i)));
        }

        output.Advance(5);
    }

    /// <summary>Immediate location request (NCDT) asking for a circle with speed and direction.</summary>
    public static void WriteImmediateRequest(IBufferWriter<byte> output, byte[] requestId) =>
        WriteDocument(output, LrrpDocument.ImmediateRequest, body =>
        {
            WriteRequestId(body, requestId);
            Put(body, [0x51, 0x62, 0x57]); // ret-info with accuracy, request-speed-hor, request-direction-hor
        });

    /// <summary>Triggered (periodic) location request (NCDT) every <paramref name="intervalSeconds"/>.</summary>
    public static void WriteTriggeredRequest(IBufferWriter<byte> output, byte[] requestId, int intervalSeconds) =>
        WriteDocument(output, LrrpDocument.TriggeredRequest, body =>
        {
            WriteRequestId(body, requestId);
            Put(body, [0x34]); // periodic-trigger
            Put(body, [0x31]);
            MbxmlWriter.UIntVar(body, (uint)intervalSeconds);
        });

    public static void WriteStopRequest(IBufferWriter<byte> output, byte[] requestId) =>
        WriteDocument(output, LrrpDocument.StopRequest, body => WriteRequestId(body, requestId));

    /// <summary>An answer without a position (triggered answer, stop answer): result 0 as token 0x38, others as 0x37.</summary>
    public static void WriteAnswer(IBufferWriter<byte> output, LrrpDocument document, byte[] requestId, int resultCode) =>
        WriteDocument(output, document, body =>
        {
            WriteRequestId(body, requestId);
            WriteResult(body, resultCode);
        });

    /// <summary>A location report (immediate, triggered or unsolicited) as a radio sends it.</summary>
    public static void WriteReport(IBufferWriter<byte> output, LrrpDocument document, byte[] requestId, GeoFix fix, int resultCode = 0)
    {
        ArgumentNullException.ThrowIfNull(fix);
        WriteDocument(output, document, body =>
        {
            WriteRequestId(body, requestId);
            if (resultCode != 0)
            {
                WriteResult(body, resultCode);
            }

            if (fix.FixTime is { } time)
            {
                Put(body, [0x34]);
                WriteTime(body, time);
            }

            Span<byte> point = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(point, EncodeLatitude(fix.Latitude));
            BinaryPrimitives.WriteUInt32BigEndian(point[4..], EncodeLongitude(fix.Longitude));
            if (fix.AltitudeM is { } altitude)
            {
                body.Write(fix.AccuracyM is null ? [0x69] : [0x54]);
                body.Write(point);
                if (fix.AccuracyM is { } accuracy3)
                {
                    MbxmlWriter.UFloatVar(body, accuracy3);
                }

                MbxmlWriter.SFloatVar(body, altitude);
                if (fix.AccuracyM is not null)
                {
                    MbxmlWriter.UFloatVar(body, 0);
                }
            }
            else if (fix.AccuracyM is { } accuracy)
            {
                Put(body, [0x51]);
                body.Write(point);
                MbxmlWriter.UFloatVar(body, accuracy);
            }
            else
            {
                Put(body, [0x66]);
                body.Write(point);
            }

            if (fix.SpeedKmh is { } speed)
            {
                Put(body, [0x6C]);
                MbxmlWriter.UFloatVar(body, speed);
            }

            if (fix.HeadingDeg is { } heading)
            {
                Put(body, [0x56, (byte)(Math.Round(((heading % 360) + 360) % 360 / 2) % 180)]);
            }
        });
    }

    private static void Put(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    private static void WriteResult(IBufferWriter<byte> body, int resultCode)
    {
        if (resultCode == 0)
        {
            Put(body, [0x38]);
            return;
        }

        Put(body, [0x37]);
        MbxmlWriter.UIntVar(body, (uint)resultCode);
    }

    private static void WriteRequestId(IBufferWriter<byte> body, byte[] requestId)
    {
        if (requestId.Length > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(requestId), requestId.Length, "request ids are at most 16 octets");
        }

        Put(body, [0x22]);
        MbxmlWriter.UIntVar(body, (uint)requestId.Length);
        body.Write(requestId);
    }

    private static void WriteDocument(IBufferWriter<byte> output, LrrpDocument document, Action<IBufferWriter<byte>> writeBody)
    {
        var body = new ArrayBufferWriter<byte>(64);
        writeBody(body);
        Put(output, [NcdtId(document)]); // the NCDT variant, as radios use
        MbxmlWriter.UIntVar(output, (uint)body.WrittenCount);
        output.Write(body.WrittenSpan);
    }
}
