using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Aprs;

/// <summary>What one APRS information field said.</summary>
public abstract record AprsReport;

/// <summary>
/// An APRS timestamp as sent (APRS101 ch. 6): day/hour/minute zulu (<c>z</c>) or local (<c>/</c>), or
/// hour/minute/second zulu (<c>h</c>). Without a date it cannot become an instant here; the receiver resolves it.
/// </summary>
public sealed record AprsTimestamp(int? Day, int Hour, int Minute, int? Second, bool Zulu);

/// <summary>The position formats of APRS101: ch. 8 (uncompressed), ch. 9 (compressed), ch. 10 (Mic-E).</summary>
public enum AprsPositionFormat
{
    Uncompressed,
    Compressed,
    MicE,
}

/// <summary>A position report: the fix (course, speed and altitude when sent), symbol, comment and the timestamp if any.</summary>
/// <param name="Ambiguity">Digits the sender blanked out (APRS101 ch. 8 "Position Ambiguity"), 0..4.</param>
/// <param name="MessagingCapable">Data type <c>=</c> or <c>@</c>: the station accepts APRS messages.</param>
public sealed record AprsPosition(
    GeoFix Fix,
    AprsPositionFormat Format,
    char SymbolTable,
    char SymbolCode,
    string Comment,
    AprsTimestamp? Timestamp,
    int Ambiguity,
    bool MessagingCapable) : AprsReport;

/// <summary>What an APRS message line is (APRS101 ch. 14).</summary>
public enum AprsMessageKind
{
    Message,
    Acknowledgement,
    Rejection,
}

/// <summary>An APRS message (data type <c>:</c>): addressee, text and message number.</summary>
public sealed record AprsMessage(string Addressee, string Text, string? MessageNumber, AprsMessageKind Kind) : AprsReport;

/// <summary>A data type this gateway does not turn into events (status, objects, telemetry, weather, …).</summary>
public sealed record AprsOtherReport(char DataType) : AprsReport;
