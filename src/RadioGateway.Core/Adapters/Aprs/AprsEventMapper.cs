using System.Globalization;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Aprs;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Core.Adapters.Aprs;

/// <summary>
/// Turns APRS frames heard through Direwolf into domain events: positions (<c>via: aprs</c>) and messages
/// (<c>protocol: aprs</c>), with callsigns mapped to units through the roster (id 0 when the roster does not know the station).
/// </summary>
public sealed class AprsEventMapper(UnitRoster roster)
{
    public const string Via = "aprs";

    /// <summary>The events one UI frame gives, or none (with <paramref name="problem"/> saying why when it did not decode).</summary>
    public IReadOnlyList<DomainEvent> Map(Ax25UiFrame frame, DateTimeOffset now, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(frame);
        problem = null;
        if (Protocols.Aprs.Aprs.TryDecode(frame.Destination.Callsign, frame.Information, out var report, out var error) != DecodeStatus.Done)
        {
            problem = $"{frame.Source}: {error}";
            return [];
        }

        var source = frame.Source.ToString();
        var unit = Unit(source);
        switch (report)
        {
            case AprsPosition position:
                var fixTime = FixTime(position.Timestamp, now);
                var fix = position.Fix;
                return
                [
                    new PositionReported
                    {
                        Id = string.Create(CultureInfo.InvariantCulture, $"position.aprs.{source}.{EventIdTime.Of(fixTime ?? now)}.{fix.Latitude:F6}.{fix.Longitude:F6}"),
                        Time = now,
                        Unit = unit,
                        Lat = fix.Latitude,
                        Lon = fix.Longitude,
                        AltitudeM = fix.AltitudeM,
                        SpeedKmh = fix.SpeedKmh,
                        HeadingDeg = fix.HeadingDeg,
                        AccuracyM = fix.AccuracyM,
                        FixTime = fixTime,
                        ReceivedTime = now,
                        Via = Via,
                    },
                ];
            case AprsMessage { Kind: AprsMessageKind.Message } message:
                var to = roster.FindByCallsign(message.Addressee);
                // APRS101 ch. 14: BLNn / NWS addressees are bulletins to everyone.
                var bulletin = message.Addressee.StartsWith("BLN", StringComparison.Ordinal) || message.Addressee.StartsWith("NWS", StringComparison.Ordinal);
                return
                [
                    new TextMessageReceived
                    {
                        Id = string.Create(CultureInfo.InvariantCulture, $"text.aprs.{source}.{message.Addressee}.{message.MessageNumber ?? "x"}.{EventIdTime.Of(now)}"),
                        Time = now,
                        From = unit,
                        To = new CallTarget(to?.Id ?? 0, bulletin ? TargetType.Group : TargetType.Unit, message.Addressee),
                        Text = message.Text,
                        Protocol = Via,
                        AckRequested = message.MessageNumber is not null,
                    },
                ];
            default:
                return [];
        }
    }

    private RadioUnit Unit(string callsign)
    {
        var known = roster.FindByCallsign(callsign);
        return new RadioUnit(known?.Id ?? 0, known?.Name, Callsign: callsign);
    }

    /// <summary>
    /// APRS101 ch. 6: a zulu day/hour/minute is the latest such moment not after now (plus a minute of clock skew);
    /// hour/minute/second likewise within the last day. Local time (no zone) and no timestamp give null: never invented.
    /// </summary>
    public static DateTimeOffset? FixTime(AprsTimestamp? stamp, DateTimeOffset now)
    {
        if (stamp is null || !stamp.Zulu)
        {
            return null;
        }

        var latest = now.UtcDateTime.AddMinutes(1);
        if (stamp.Day is { } day)
        {
            for (var monthsBack = 0; monthsBack < 3; monthsBack++)
            {
                var month = new DateTime(latest.Year, latest.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-monthsBack);
                if (day > DateTime.DaysInMonth(month.Year, month.Month))
                {
                    continue;
                }

                var candidate = new DateTime(month.Year, month.Month, day, stamp.Hour, stamp.Minute, 0, DateTimeKind.Utc);
                if (candidate <= latest)
                {
                    return new DateTimeOffset(candidate);
                }
            }

            return null;
        }

        var today = new DateTime(latest.Year, latest.Month, latest.Day, stamp.Hour, stamp.Minute, stamp.Second ?? 0, DateTimeKind.Utc);
        return new DateTimeOffset(today <= latest ? today : today.AddDays(-1));
    }
}
