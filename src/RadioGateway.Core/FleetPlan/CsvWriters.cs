using System.Globalization;

namespace RadioGateway.Core.FleetPlan;

/// <summary>
/// CSV files for programming tools that import spreadsheets: AnyTone CPS (D878UV/D868UV/D578UV), CHIRP (analog
/// channels) and the contact lists of Motorola and Hytera CPS. Fields are quoted as RFC 4180 asks; lines end in CRLF.
/// </summary>
public static class CsvWriters
{
    /// <summary>AnyTone CPS 1.21 (D878UV) Channel.CSV columns, in the order the CPS exports them (as dzcb's anytone.py lists them).</summary>
    public static readonly string[] AnytoneChannelColumns =
    [
        "No.", "Channel Name", "Receive Frequency", "Transmit Frequency", "Channel Type", "Transmit Power", "Band Width",
        "CTCSS/DCS Decode", "CTCSS/DCS Encode", "Contact", "Contact Call Type", "Contact TG/DMR ID", "Radio ID",
        "Busy Lock/TX Permit", "Squelch Mode", "Optional Signal", "DTMF ID", "2Tone ID", "5Tone ID", "PTT ID", "Color Code",
        "Slot", "Scan List", "Receive Group List", "PTT Prohibit", "Reverse", "Simplex TDMA", "Slot Suit",
        "AES Digital Encryption", "Digital Encryption", "Call Confirmation", "Talk Around(Simplex)", "Work Alone",
        "Custom CTCSS", "2TONE Decode", "Ranging", "Through Mode", "Digi APRS RX", "Analog APRS PTT Mode",
        "Digital APRS PTT Mode", "APRS Report Type", "Digital APRS Report Channel", "Correct Frequency[Hz]",
        "SMS Confirmation", "Exclude Channel From Roaming", "DMR MODE", "DataACK Disable", "R5toneBot", "R5ToneEot",
    ];

    /// <summary>AnyTone TalkGroups.CSV columns.</summary>
    public static readonly string[] AnytoneTalkGroupColumns = ["No.", "Radio ID", "Name", "Call Type", "Call Alert"];

    /// <summary>AnyTone Zone.CSV columns (CPS 1.21: members and their frequencies joined with '|').</summary>
    public static readonly string[] AnytoneZoneColumns =
    [
        "No.", "Zone Name", "Zone Channel Member", "Zone Channel Member RX Frequency", "Zone Channel Member TX Frequency",
        "A Channel", "A Channel RX Frequency", "A Channel TX Frequency", "B Channel", "B Channel RX Frequency", "B Channel TX Frequency",
    ];

    /// <summary>AnyTone ReceiveGroupCallList.CSV columns (members joined with '|').</summary>
    public static readonly string[] AnytoneReceiveGroupColumns = ["No.", "Group Name", "Contact", "Contact TG/DMR ID"];

    /// <summary>CHIRP's generic CSV columns (chirp/drivers/generic_csv.py, as CHIRP exports them).</summary>
    public static readonly string[] ChirpColumns =
    [
        "Location", "Name", "Frequency", "Duplex", "Offset", "Tone", "rToneFreq", "cToneFreq", "DtcsCode", "DtcsPolarity",
        "RxDtcsCode", "CrossMode", "Mode", "TStep", "Skip", "Power", "Comment", "URCALL", "RPT1CALL", "RPT2CALL", "DVCODE",
    ];

    /// <summary>Contact list for the Motorola MOTOTRBO CPS import (one row per contact: name, call type, id).</summary>
    public static readonly string[] MotorolaContactColumns = ["Contact Name", "Call Type", "Call ID"];

    /// <summary>Contact list for the Hytera CPS import ("Digital Contacts": name, call type, id).</summary>
    public static readonly string[] HyteraContactColumns = ["No.", "Call Alias", "Call Type", "Call ID"];

    public static void AnytoneChannels(TextWriter output, Codeplug codeplug)
    {
        ArgumentNullException.ThrowIfNull(codeplug);
        var rows = codeplug.Channels.Select((channel, i) =>
        {
            var digital = channel.Mode == ChannelMode.Digital;
            var contact = channel.TalkGroup is { } tg ? codeplug.Contacts.First(c => c.Group && c.Number == tg) : null;
            var simplex = channel.RxFrequencyHz == channel.TxFrequencyHz;
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["No."] = Number(i + 1),
                ["Channel Name"] = channel.Name,
                ["Receive Frequency"] = Mhz5(channel.RxFrequencyHz),
                ["Transmit Frequency"] = Mhz5(channel.TxFrequencyHz),
                ["Channel Type"] = digital ? "D-Digital" : "A-Analog",
                ["Transmit Power"] = channel.Power.ToString(),
                ["Band Width"] = channel.BandwidthHz == 25_000 ? "25K" : "12.5K",
                ["Contact"] = contact?.Name ?? "",
                ["Contact Call Type"] = "Group Call",
                ["Contact TG/DMR ID"] = contact is null ? "0" : Number(contact.Number),
                ["Busy Lock/TX Permit"] = digital ? (simplex ? "Always" : "Same Color Code") : "Off",
                ["Color Code"] = Number(digital ? channel.ColourCode : 1),
                ["Slot"] = Number(digital ? channel.Slot : 1),
                ["Receive Group List"] = channel.GroupList ?? "None",
                ["Through Mode"] = digital && simplex ? "On" : "Off",
                ["DMR MODE"] = digital && !simplex ? "1" : "0",
            };
            return AnytoneChannelColumns.Select(column => values.TryGetValue(column, out var value) ? value : AnytoneDefault(column));
        });
        Write(output, AnytoneChannelColumns, rows);
    }

    public static void AnytoneTalkGroups(TextWriter output, Codeplug codeplug)
    {
        ArgumentNullException.ThrowIfNull(codeplug);
        Write(output, AnytoneTalkGroupColumns, codeplug.Contacts.Select((c, i) => new[]
        {
            Number(i + 1), Number(c.Number), c.Name, c.Group ? "Group Call" : "Private Call", "None",
        }));
    }

    public static void AnytoneZones(TextWriter output, Codeplug codeplug)
    {
        ArgumentNullException.ThrowIfNull(codeplug);
        Write(output, AnytoneZoneColumns, codeplug.Zones.Select((zone, i) =>
        {
            var members = zone.Channels.Select(name => codeplug.Channels.First(c => c.Name == name)).ToList();
            var first = members[0];
            return new[]
            {
                Number(i + 1), zone.Name,
                string.Join('|', members.Select(m => m.Name)),
                string.Join('|', members.Select(m => Mhz5(m.RxFrequencyHz))),
                string.Join('|', members.Select(m => Mhz5(m.TxFrequencyHz))),
                first.Name, Mhz5(first.RxFrequencyHz), Mhz5(first.TxFrequencyHz),
                first.Name, Mhz5(first.RxFrequencyHz), Mhz5(first.TxFrequencyHz),
            };
        }));
    }

    public static void AnytoneReceiveGroups(TextWriter output, Codeplug codeplug)
    {
        ArgumentNullException.ThrowIfNull(codeplug);
        Write(output, AnytoneReceiveGroupColumns, codeplug.GroupLists.Select((list, i) => new[]
        {
            Number(i + 1), list.Name,
            string.Join('|', list.TalkGroups.Select(t => codeplug.Contacts.First(c => c.Group && c.Number == t).Name)),
            string.Join('|', list.TalkGroups.Select(t => Number(t))),
        }));
    }

    /// <summary>CHIRP rows for the analog channels only (CHIRP programs no DMR); returns how many digital channels were left out.</summary>
    public static int Chirp(TextWriter output, Codeplug codeplug)
    {
        ArgumentNullException.ThrowIfNull(codeplug);
        var analog = codeplug.Channels.Where(c => c.Mode == ChannelMode.Analog).ToList();
        Write(output, ChirpColumns, analog.Select((channel, i) =>
        {
            var offset = channel.TxFrequencyHz - channel.RxFrequencyHz;
            var duplex = offset switch { > 0 => "+", < 0 => "-", _ => "" };
            return new[]
            {
                Number(i), channel.Name, Mhz6(channel.RxFrequencyHz), duplex, Mhz6(Math.Abs(offset)),
                "", "88.5", "88.5", "023", "NN", "023", "Tone->Tone",
                channel.BandwidthHz == 25_000 ? "FM" : "NFM", "12.50", "", channel.Power == TransmitPower.High ? "High" : "Low",
                "", "", "", "", "",
            };
        }));
        return codeplug.Channels.Count - analog.Count;
    }

    public static void MotorolaContacts(TextWriter output, Codeplug codeplug)
    {
        ArgumentNullException.ThrowIfNull(codeplug);
        Write(output, MotorolaContactColumns, codeplug.Contacts.Select(c => new[] { c.Name, c.Group ? "Group Call" : "Private Call", Number(c.Number) }));
    }

    public static void HyteraContacts(TextWriter output, Codeplug codeplug)
    {
        ArgumentNullException.ThrowIfNull(codeplug);
        Write(output, HyteraContactColumns, codeplug.Contacts.Select((c, i) => new[] { Number(i + 1), c.Name, c.Group ? "Group Call" : "Private Call", Number(c.Number) }));
    }

    /// <summary>One RFC 4180 field: quoted when it holds a comma, quote or line break.</summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void Write(TextWriter output, IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(string.Join(',', header.Select(Field)));
        output.Write("\r\n");
        foreach (var row in rows)
        {
            output.Write(string.Join(',', row.Select(Field)));
            output.Write("\r\n");
        }
    }

    // What the CPS writes for a column this plan has no value for (dzcb's defaults for CPS 1.21).
    private static string AnytoneDefault(string column) => column switch
    {
        "CTCSS/DCS Decode" or "CTCSS/DCS Encode" or "Optional Signal" or "PTT ID" or "PTT Prohibit" or "Reverse" or "Simplex TDMA"
            or "Slot Suit" or "Digital Encryption" or "Call Confirmation" or "Talk Around(Simplex)" or "Work Alone" or "Ranging"
            or "Digi APRS RX" or "Analog APRS PTT Mode" or "Digital APRS PTT Mode" or "APRS Report Type" or "SMS Confirmation" => "Off",
        "Squelch Mode" => "Carrier",
        "Radio ID" => "",
        "DTMF ID" or "2Tone ID" or "5Tone ID" or "Digital APRS Report Channel" => "1",
        "Scan List" => "None",
        "AES Digital Encryption" => "Normal Encryption",
        "Custom CTCSS" => "251.1",
        _ => "0",
    };

    private static string Mhz5(long hz) => (hz / 1_000_000m).ToString("0.00000", CultureInfo.InvariantCulture);

    private static string Mhz6(long hz) => (hz / 1_000_000m).ToString("0.000000", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
