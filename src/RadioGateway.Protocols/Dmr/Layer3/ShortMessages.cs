using System.Text;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Nmea;

namespace RadioGateway.Protocols.Dmr.Layer3;

/// <summary>UDT format of a UDT header (TS 102 361-1 §9.3.53 / TS 102 361-4 §7.2, UDT format).</summary>
public enum UdtFormat
{
    Binary = 0b0000,
    Address = 0b0001,
    Bcd = 0b0010,
    Iso7 = 0b0011,
    Iso8 = 0b0100,
    NmeaLocation = 0b0101,
    IpAddress = 0b0110,
    Utf16 = 0b0111,
    ManufacturerSpecific = 0b1000,
    ManufacturerSpecific2 = 0b1001,
    MixedAddressUtf16 = 0b1010,
}

/// <summary>
/// What a short data or UDT packet carried: text (a status message, an SMS, or NMEA sentences as text), a position
/// in the IEC 61162-1 coded form UDT defines, or octets this gateway does not interpret.
/// </summary>
/// <param name="Format">The format as the header names it, e.g. <c>udt:iso8</c>, <c>dd:utf-16le</c>, <c>raw</c>.</param>
/// <param name="Text">Decoded characters; null for binary content.</param>
/// <param name="Position">UDT NMEA-coded location; null otherwise.</param>
/// <param name="Data">The user data octets (pad removed where the header counts it in whole octets).</param>
public sealed record ShortMessage(string Format, string? Text, NmeaPosition? Position, byte[] Data);

/// <summary>
/// Decodes the user data of short data (defined data DD_HEAD and raw R_HEAD, TS 102 361-1 §9.2.11/§9.2.12) and of
/// Unified Data Transport (UDT_HEAD, §9.2.13, services of TS 102 361-4 §7.2) packets. Every length is bounded by
/// the octets present; a field that does not fit is an error naming it.
/// </summary>
public static class ShortMessages
{
    private const double KnotsToKmh = 1.852;

    /// <summary>The defined data (DD) formats this decoder turns into text (TS 102 361-1 §9.3.38).</summary>
    public static string DefinedDataFormatName(int format) => format switch
    {
        0x00 => "binary",
        0x01 => "bcd",
        0x02 => "7-bit",
        >= 0x03 and <= 0x11 => $"iso-8859-{(format <= 0x0D ? format - 2 : format - 1)}",
        0x12 => "utf-8",
        0x13 => "utf-16",
        0x14 => "utf-16be",
        0x15 => "utf-16le",
        0x16 => "utf-32",
        0x17 => "utf-32be",
        0x18 => "utf-32le",
        _ => $"reserved-0x{format:X2}",
    };

    /// <summary>Short data: DD_HEAD user data by its DD format; R_HEAD user data as octets with its ports.</summary>
    public static ShortMessage? DecodeShortData(DataHeader header, ReadOnlySpan<byte> userData, out string? error)
    {
        ArgumentNullException.ThrowIfNull(header);
        error = null;
        var data = userData.ToArray();
        switch (header.Format)
        {
            case DataPacketFormat.ShortDataRaw:
                return new ShortMessage($"raw:{header.SourcePort}->{header.DestinationPort}", null, null, data);
            case DataPacketFormat.ShortDataDefined:
                var name = "dd:" + DefinedDataFormatName(header.DefinedDataFormat);
                var text = header.DefinedDataFormat switch
                {
                    0x01 => Bcd(userData, userData.Length * 2),
                    0x02 => SevenBit(userData, userData.Length * 8 / 7),
                    0x03 => Encoding.Latin1.GetString(userData),
                    0x12 => new UTF8Encoding(false, false).GetString(userData),
                    0x13 => Utf16WithOptionalBom(userData),
                    0x14 => Encoding.BigEndianUnicode.GetString(userData),
                    0x15 => Encoding.Unicode.GetString(userData),
                    0x16 or 0x17 => new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetString(userData),
                    0x18 => Encoding.UTF32.GetString(userData),
                    _ => null,
                };
                return new ShortMessage(name, text is null ? null : TrimPadding(text), null, data);
            default:
                error = $"a {header.Format} header does not open short data";
                return null;
        }
    }

    /// <summary>
    /// UDT user data (the appended blocks without their CRC-16) by the header's UDT format. Pad nibbles
    /// (header octet 8) are cut from the end before characters are read.
    /// </summary>
    public static ShortMessage? DecodeUnifiedDataTransport(DataHeader header, ReadOnlySpan<byte> userData, out string? error)
    {
        ArgumentNullException.ThrowIfNull(header);
        error = null;
        var bits = (userData.Length * 8) - (header.PadNibbles * 4);
        if (bits < 0)
        {
            error = $"{header.PadNibbles} pad nibbles announced for {userData.Length} octets of UDT data";
            return null;
        }

        var data = userData[..((bits + 7) / 8)].ToArray();
        var format = (UdtFormat)header.UdtFormat;
        switch (format)
        {
            case UdtFormat.NmeaLocation:
                var position = DecodeNmeaLocation(userData, header.BlocksToFollow, out error);
                return position is null ? null : new ShortMessage("udt:nmea", null, position, data);
            case UdtFormat.Bcd:
                return new ShortMessage("udt:bcd", Bcd(userData, bits / 4), null, data);
            case UdtFormat.Iso7:
                return new ShortMessage("udt:iso7", TrimPadding(SevenBit(userData, bits / 7)), null, data);
            case UdtFormat.Iso8:
                return new ShortMessage("udt:iso8", TrimPadding(Encoding.Latin1.GetString(userData[..(bits / 8)])), null, data);
            case UdtFormat.Utf16:
                return new ShortMessage("udt:utf-16", TrimPadding(Encoding.BigEndianUnicode.GetString(userData[..(bits / 16 * 2)])), null, data);
            default:
                return new ShortMessage("udt:" + FormatName(format), null, null, data);
        }
    }

    /// <summary>
    /// The IEC 61162-1 (NMEA) coded location of UDT format 0101 (TS 102 361-4 §7.2, NMEA location coded): C
    /// (encrypted), NS (1 = north), EW (1 = east), Q (fix valid), speed 7 bits in knots (127 = over 126), latitude
    /// degrees 7 / minutes 6 / 0.0001 minutes 14, longitude degrees 8 / minutes 6 / 0.0001 minutes 14, UTC hours 5
    /// and minutes 6; the short form (one block) ends with tens of seconds (3 bits), the long form (two blocks)
    /// has seconds (6 bits) and, at bit 103, the course over ground in degrees (9 bits). Bit positions as
    /// arancormonk/dsd-neo src/core/gps/dsd_gps.c nmea_iec_61162_1 reads them.
    /// </summary>
    public static NmeaPosition? DecodeNmeaLocation(ReadOnlySpan<byte> data, int blocks, out string? error)
    {
        var longForm = blocks >= 2;
        var needed = longForm ? 112 : 80;
        if (data.Length * 8 < needed)
        {
            error = $"the NMEA-coded location needs {needed} bits, got {data.Length * 8}";
            return null;
        }

        if (Bits(data, 0, 1) == 1)
        {
            error = "the NMEA-coded location is encrypted (C = 1)";
            return null;
        }

        var north = Bits(data, 1, 1) == 1;
        var east = Bits(data, 2, 1) == 1;
        var valid = Bits(data, 3, 1) == 1;
        var knots = Bits(data, 4, 7);
        var latDegrees = Bits(data, 11, 7);
        var latMinutes = Bits(data, 18, 6);
        var latFraction = Bits(data, 24, 14);
        var lonDegrees = Bits(data, 38, 8);
        var lonMinutes = Bits(data, 46, 6);
        var lonFraction = Bits(data, 52, 14);
        var hours = Bits(data, 66, 5);
        var minutes = Bits(data, 71, 6);
        var seconds = longForm ? Bits(data, 77, 6) : Bits(data, 77, 3) * 10;
        error = (latDegrees, latMinutes, latFraction, lonDegrees, lonMinutes, lonFraction, hours, minutes, seconds) switch
        {
            ( > 90, _, _, _, _, _, _, _, _) => $"latitude degrees {latDegrees} at bit 11 is over 90",
            (_, > 59, _, _, _, _, _, _, _) => $"latitude minutes {latMinutes} at bit 18 is over 59",
            (_, _, > 9999, _, _, _, _, _, _) => $"latitude 0.0001 minutes {latFraction} at bit 24 is over 9999",
            (_, _, _, > 180, _, _, _, _, _) => $"longitude degrees {lonDegrees} at bit 38 is over 180",
            (_, _, _, _, > 59, _, _, _, _) => $"longitude minutes {lonMinutes} at bit 46 is over 59",
            (_, _, _, _, _, > 9999, _, _, _) => $"longitude 0.0001 minutes {lonFraction} at bit 52 is over 9999",
            (_, _, _, _, _, _, > 23, _, _) => $"UTC hours {hours} at bit 66 is over 23",
            (_, _, _, _, _, _, _, > 59, _) => $"UTC minutes {minutes} at bit 71 is over 59",
            (_, _, _, _, _, _, _, _, > 59) => $"UTC seconds {seconds} at bit 77 is over 59",
            _ => null,
        };
        if (error is not null)
        {
            return null;
        }

        var timeOfDay = new TimeSpan(hours, minutes, seconds);
        if (!valid)
        {
            return new NmeaPosition(null, "no fix (Q = 0)", null, timeOfDay);
        }

        var latitude = latDegrees + ((latMinutes + (latFraction / 10000.0)) / 60.0);
        var longitude = lonDegrees + ((lonMinutes + (lonFraction / 10000.0)) / 60.0);
        var course = longForm ? Bits(data, 103, 9) : -1;
        var fix = new GeoFix(
            north ? latitude : -latitude,
            east ? longitude : -longitude,
            SpeedKmh: knots == 127 ? null : knots * KnotsToKmh,
            HeadingDeg: course is >= 0 and < 360 ? course : null);
        return new NmeaPosition(fix, null, null, timeOfDay);
    }

    /// <summary>Writes the short (one block, 10 octets) NMEA-coded location, the inverse of <see cref="DecodeNmeaLocation"/>.</summary>
    public static byte[] EncodeNmeaLocationShort(double latitude, double longitude, int knots, TimeSpan timeOfDay)
    {
        var block = new byte[10];
        var latMinutes = Math.Round(Math.Abs(latitude) * 60 * 10000);
        var lonMinutes = Math.Round(Math.Abs(longitude) * 60 * 10000);
        SetBits(block, 1, 1, latitude >= 0 ? 1 : 0);
        SetBits(block, 2, 1, longitude >= 0 ? 1 : 0);
        SetBits(block, 3, 1, 1);
        SetBits(block, 4, 7, Math.Clamp(knots, 0, 127));
        SetBits(block, 11, 7, (int)(latMinutes / 600000));
        SetBits(block, 18, 6, (int)(latMinutes % 600000 / 10000));
        SetBits(block, 24, 14, (int)(latMinutes % 10000));
        SetBits(block, 38, 8, (int)(lonMinutes / 600000));
        SetBits(block, 46, 6, (int)(lonMinutes % 600000 / 10000));
        SetBits(block, 52, 14, (int)(lonMinutes % 10000));
        SetBits(block, 66, 5, timeOfDay.Hours);
        SetBits(block, 71, 6, timeOfDay.Minutes);
        SetBits(block, 77, 3, timeOfDay.Seconds / 10);
        return block;
    }

    private static string FormatName(UdtFormat format) => format switch
    {
        UdtFormat.Binary => "binary",
        UdtFormat.Address => "address",
        UdtFormat.IpAddress => "ip-address",
        UdtFormat.ManufacturerSpecific or UdtFormat.ManufacturerSpecific2 => "manufacturer",
        UdtFormat.MixedAddressUtf16 => "mixed",
        _ => $"reserved-{(int)format}",
    };

    /// <summary>Four-bit BCD digits, most significant nibble first; nibbles above 9 are shown in hex.</summary>
    private static string Bcd(ReadOnlySpan<byte> data, int digits)
    {
        var text = new StringBuilder(digits);
        for (var i = 0; i < digits && i / 2 < data.Length; i++)
        {
            var nibble = i % 2 == 0 ? data[i / 2] >> 4 : data[i / 2] & 0x0F;
            text.Append("0123456789ABCDEF"[nibble]);
        }

        return text.ToString();
    }

    /// <summary>ISO/IEC 646 characters packed in 7 bits each, most significant bit first.</summary>
    private static string SevenBit(ReadOnlySpan<byte> data, int characters)
    {
        var text = new StringBuilder(characters);
        for (var i = 0; i < characters && ((i + 1) * 7) <= data.Length * 8; i++)
        {
            text.Append((char)Bits(data, i * 7, 7));
        }

        return text.ToString();
    }

    private static string Utf16WithOptionalBom(ReadOnlySpan<byte> data) => data switch
    {
        [0xFF, 0xFE, ..] => Encoding.Unicode.GetString(data[2..]),
        [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode.GetString(data[2..]),
        _ => Encoding.BigEndianUnicode.GetString(data),
    };

    /// <summary>Radios fill the last block with NUL octets; the text ends at the first one.</summary>
    private static string TrimPadding(string text)
    {
        var end = text.IndexOf('\0', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }

    private static int Bits(ReadOnlySpan<byte> data, int offset, int count)
    {
        var value = 0;
        for (var i = offset; i < offset + count; i++)
        {
            value = (value << 1) | ((data[i / 8] >> (7 - (i % 8))) & 1);
        }

        return value;
    }

    private static void SetBits(Span<byte> data, int offset, int count, int value)
    {
        for (var i = 0; i < count; i++)
        {
            var bit = (value >> (count - 1 - i)) & 1;
            var position = offset + i;
            data[position / 8] = (byte)(bit == 1 ? data[position / 8] | (0x80 >> (position % 8)) : data[position / 8] & ~(0x80 >> (position % 8)));
        }
    }
}
