using System.Buffers;
using System.Globalization;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Protocols.Nmea;

namespace RadioGateway.Core.DataServices;

/// <summary>What a data packet turned out to carry, decoded once for events and for command correlation.</summary>
/// <param name="Datagram">The UDP datagram, when the packet was intact UDP.</param>
/// <param name="Lrrp">LRRP document on port 4001.</param>
/// <param name="Tms">TMS PDU on port 4007.</param>
/// <param name="Ars">ARS PDU on port 4005.</param>
/// <param name="Hdap">Hytera HDAP message on ports 3002–3009.</param>
public sealed record DataServiceMessage(UdpDatagram? Datagram, LrrpMessage? Lrrp, TmsMessage? Tms, ArsMessage? Ars, HdapMessage? Hdap = null);

/// <summary>
/// Turns a rebuilt data packet into domain events: LRRP reports become <see cref="PositionReported"/>, TMS texts
/// <see cref="TextMessageReceived"/>, ARS (de)registrations <see cref="RegistrationChanged"/>, short data and UDT
/// texts and NMEA locations texts and positions; everything else —
/// damaged packets, answers, other ports — a <see cref="DataPacketHeard"/>, so nothing heard is dropped.
/// The UDP port picks the service, as MOTOTRBO radios address them; Hytera radios use ports 3002–3009, where the
/// HDAP service octet (LP, TMP, RRS) picks it.
/// </summary>
public sealed class DataServiceMapper(string radioId, UnitRoster roster)
{
    private const int MaxPayloadHexOctets = 512;

    /// <summary>
    /// The events a data packet gives. <paramref name="service"/> is what the slot receiver already decoded of
    /// its application content (<see cref="SlotItem.Service"/>); without it the content is decoded here.
    /// </summary>
    public IReadOnlyList<DomainEvent> Map(int slot, DataPacket packet, DataServiceContent? service, DateTimeOffset now, out DataServiceMessage? message)
    {
        ArgumentNullException.ThrowIfNull(packet);
        message = null;
        var header = packet.Header;
        var source = roster.Unit(header.Source);
        var destination = new CallTarget(header.Destination, header.IsGroup ? TargetType.Group : TargetType.Unit);
        DataPacketHeard Heard(string service, string summary, string? problem, int? port, ReadOnlySpan<byte> payload) => new()
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{radioId}.ts{slot}.data.{EventIdTime.Of(now)}.{header.Source}"),
            Time = now,
            RadioId = radioId,
            Slot = slot,
            Source = source,
            Destination = destination,
            Service = service,
            Summary = summary,
            Intact = problem is null,
            Problem = problem,
            Port = port,
            PayloadHex = payload.IsEmpty ? null : Convert.ToHexString(payload[..Math.Min(payload.Length, MaxPayloadHexOctets)]),
        };

        if (header.Format == DataPacketFormat.Response)
        {
            // The radio's link-layer answer to confirmed data (TS 102 361-1 §9.2.7): an answer, not user data.
            return [Heard("response", DescribeResponse(header), null, null, default)];
        }

        var describe = $"{header.Format} packet, SAP {header.Sap}, {header.Source} → {header.Destination}";
        if (!packet.IsIntact)
        {
            return [Heard("packet", "damaged " + describe, packet.Problem, null, default)];
        }

        if (header.Format is DataPacketFormat.UnifiedDataTransport or DataPacketFormat.ShortDataDefined or DataPacketFormat.ShortDataRaw)
        {
            return MapShortMessage(packet, source, destination, now, Heard);
        }

        if (header.Sap is not (ServiceAccessPoint.IpPacketData or ServiceAccessPoint.UdpIpCompressed))
        {
            return [Heard("packet", describe, null, null, packet.UserData)];
        }

        if (packet.UserData is [])
        {
            // A header announcing no blocks carries nothing to decode; it is not a damaged datagram.
            return [Heard("packet", "header without data: " + describe, null, null, default)];
        }

        var content = service ?? DataServiceContent.Decode(packet);
        if (content is not { Datagram: { } datagram, Port: { } port })
        {
            return [Heard("packet", describe, content.Problem, null, packet.UserData)];
        }

        var from = roster.Unit(datagram.SourceId);
        switch (content.Kind)
        {
            case DataServiceKind.Lrrp:
                if (content.Lrrp is not { } lrrp)
                {
                    return [Heard("lrrp", "LRRP that does not decode", content.Problem, port, datagram.Payload)];
                }

                message = new DataServiceMessage(datagram, lrrp, null, null);
                if (lrrp.Fix is { } fix)
                {
                    return [Position(from, fix, now, "lrrp")];
                }

                return [Heard("lrrp", $"LRRP {lrrp.Document} request id {lrrp.RequestIdHex}{(lrrp.ResultCode is { } code ? $" result {code}" : "")}", null, port, datagram.Payload)];
            case DataServiceKind.Tms:
                if (content.Tms is not { } tms)
                {
                    return [Heard("tms", "TMS that does not decode", content.Problem, port, datagram.Payload)];
                }

                message = new DataServiceMessage(datagram, null, tms, null);
                if (tms.Type == TmsPduType.SimpleText)
                {
                    return
                    [
                        new TextMessageReceived
                        {
                            Id = string.Create(CultureInfo.InvariantCulture, $"text.{datagram.SourceId}.{header.Destination}.{tms.SequenceNumber?.ToString(CultureInfo.InvariantCulture) ?? "x"}.{EventIdTime.Of(now)}"),
                            Time = now,
                            From = from,
                            To = destination,
                            Text = tms.Text ?? "",
                            Protocol = "tms",
                            AckRequested = tms.AckRequested,
                            SequenceNumber = tms.SequenceNumber,
                        },
                    ];
                }

                return [Heard("tms", tms.Type == TmsPduType.Acknowledgement ? $"TMS acknowledgement of message {tms.SequenceNumber}" : "TMS service availability", null, port, datagram.Payload)];
            case DataServiceKind.Ars:
                if (content.Ars is not { } ars)
                {
                    return [Heard("ars", "ARS that does not decode", content.Problem, port, datagram.Payload)];
                }

                message = new DataServiceMessage(datagram, null, null, ars);
                if (ars.IsOnline || ars.IsOffline)
                {
                    return
                    [
                        new RegistrationChanged
                        {
                            Id = string.Create(CultureInfo.InvariantCulture, $"registration.{datagram.SourceId}.{(ars.IsOnline ? "on" : "off")}.{EventIdTime.Of(now)}"),
                            Time = now,
                            Unit = from,
                            Registered = ars.IsOnline,
                            Protocol = "ars",
                        },
                    ];
                }

                return [Heard("ars", $"ARS {ars.Type}", null, port, datagram.Payload)];
            case DataServiceKind.Hytera:
                if (content.Hdap is not { } hdap)
                {
                    return [Heard("hytera", "Hytera HDAP that does not decode", content.Problem, port, datagram.Payload)];
                }

                message = new DataServiceMessage(datagram, null, null, null, hdap);
                return MapHytera(hdap, now, port, datagram, Heard);
            case DataServiceKind.NmeaText:
                // NMEA sentences sent as UDP text (GPS accessories, Kenwood-style beacons).
                message = new DataServiceMessage(datagram, null, null, null);
                return MapNmea(datagram.Payload, from, now, port, "udp", Heard);
            default:
                message = new DataServiceMessage(datagram, null, null, null);
                return [Heard("udp", $"UDP {datagram.SourcePort} → {datagram.DestinationPort}", null, datagram.DestinationPort, datagram.Payload)];
        }
    }

    /// <summary>What a response packet says (TS 102 361-1 §9.2.7, Table 9.10 classes and types).</summary>
    private static string DescribeResponse(DataHeader header) =>
        header.IsAcknowledgement ? $"acknowledgement from {header.Source}"
        : header.IsCrcRetryRequest ? $"request to resend from {header.Source}"
        : string.Create(CultureInfo.InvariantCulture, $"response class {header.ResponseClass} type {header.ResponseType} from {header.Source}");

    /// <summary>
    /// Short data and UDT (TS 102 361-1 §9.2.10–9.2.14): a UDT NMEA-coded location becomes a position, NMEA
    /// sentences sent as text are read with the NMEA decoder, other text a <see cref="TextMessageReceived"/>;
    /// status and binary content a <see cref="DataPacketHeard"/>.
    /// </summary>
    private IReadOnlyList<DomainEvent> MapShortMessage(DataPacket packet, RadioUnit from, CallTarget destination, DateTimeOffset now, Func<string, string, string?, int?, ReadOnlySpan<byte>, DataPacketHeard> heard)
    {
        var header = packet.Header;
        var udt = header.Format == DataPacketFormat.UnifiedDataTransport;
        var service = udt ? "udt" : "short-data";
        if (header.Format == DataPacketFormat.ShortDataRaw && header.BlocksToFollow == 0)
        {
            return [heard(service, $"status/precoded {header.StatusPrecoded} from port {header.SourcePort} to {header.DestinationPort}", null, null, default)];
        }

        var message = udt
            ? ShortMessages.DecodeUnifiedDataTransport(header, packet.UserData, out var error)
            : ShortMessages.DecodeShortData(header, packet.UserData, out error);
        if (message is null)
        {
            return [heard(service, $"{service} that does not decode", error, null, packet.UserData)];
        }

        if (message.Position is { } position)
        {
            return position.Fix is { } fix
                ? [Position(from, fix with { FixTime = FixTimeOfDay(position.TimeOfDay, now) }, now, "udt-nmea")]
                : [heard(service, $"{message.Format} location without a fix", position.NoFixReason, null, message.Data)];
        }

        if (message.Text is [ '$', .. ] nmea)
        {
            return MapNmea(System.Text.Encoding.Latin1.GetBytes(nmea), from, now, null, service, heard);
        }

        if (message.Text is { } text)
        {
            return
            [
                new TextMessageReceived
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"text.{header.Source}.{header.Destination}.{service}.{EventIdTime.Of(now)}"),
                    Time = now,
                    From = from,
                    To = destination,
                    Text = text,
                    Protocol = service,
                    AckRequested = header.ResponseRequested,
                },
            ];
        }

        return [heard(service, $"{service} {message.Format}", null, null, message.Data)];
    }

    /// <summary>A UTC time of day on the reception date, or the day before when that would lie in the future.</summary>
    private static DateTimeOffset? FixTimeOfDay(TimeSpan? timeOfDay, DateTimeOffset received)
    {
        if (timeOfDay is not { } time)
        {
            return null;
        }

        var fixTime = new DateTimeOffset(received.UtcDateTime.Date + time, TimeSpan.Zero);
        return fixTime > received + TimeSpan.FromMinutes(5) ? fixTime.AddDays(-1) : fixTime;
    }

    private IReadOnlyList<DomainEvent> MapNmea(byte[] payload, RadioUnit from, DateTimeOffset now, int? port, string service, Func<string, string, string?, int?, ReadOnlySpan<byte>, DataPacketHeard> heard)
    {
        byte[] text = payload[^1] == (byte)'\n' ? payload : [.. payload, (byte)'\r', (byte)'\n'];
        var buffer = new ReadOnlySequence<byte>(text);
        var reader = new NmeaLineReader();
        var events = new List<DomainEvent>();
        string? problem = null;
        while (reader.TryRead(ref buffer, out var sentence, out var skipped) != DecodeStatus.NeedMoreData)
        {
            if (sentence is null)
            {
                problem ??= skipped.ToString();
                continue;
            }

            // Sentences with only a time of day take today's date (UTC) at reception.
            if (NmeaPositions.Read(sentence, DateOnly.FromDateTime(now.UtcDateTime)) is { Fix: { } fix })
            {
                events.Add(Position(from, fix, now, "nmea"));
            }
            else
            {
                problem ??= $"{sentence.Address} carries no valid position";
            }
        }

        return events.Count > 0 ? events : [heard(service, "NMEA text without a position", problem, port, payload)];
    }

    private IReadOnlyList<DomainEvent> MapHytera(HdapMessage hdap, DateTimeOffset now, int port, UdpDatagram datagram, Func<string, string, string?, int?, ReadOnlySpan<byte>, DataPacketHeard> heard)
    {
        DecodeError error = default;
        switch (hdap.Service)
        {
            case HdapService.Location when HyteraLp.TryDecode(hdap, out var lp, out error) == DecodeStatus.Done && lp is not null:
                if (lp.Fix is { } fix)
                {
                    var position = Position(roster.Unit(lp.RadioId == 0 ? datagram.SourceId : lp.RadioId), fix, now, "hytera-lp");
                    return lp.IsEmergency
                        ? [position, new EmergencyRaised { Id = position.Id.Replace("position.", "emergency.", StringComparison.Ordinal), Time = now, Unit = position.Unit, Via = "hytera-lp" }]
                        : [position];
                }

                return [heard("hytera", $"Hytera LP 0x{lp.Opcode:X4} request {lp.RequestId}{(lp.IsReport ? " without a GPS fix" : "")}", null, port, datagram.Payload)];
            case HdapService.TextMessage when HyteraTmp.TryDecode(hdap, out var tmp, out error) == DecodeStatus.Done && tmp is not null:
                if (tmp.IsText)
                {
                    return
                    [
                        new TextMessageReceived
                        {
                            Id = string.Create(CultureInfo.InvariantCulture, $"text.{tmp.SourceId}.{tmp.DestinationId}.{tmp.RequestId}.{EventIdTime.Of(now)}"),
                            Time = now,
                            From = roster.Unit(tmp.SourceId),
                            To = tmp.IsGroup ? new CallTarget(tmp.DestinationId, TargetType.Group) : new CallTarget(tmp.DestinationId, TargetType.Unit),
                            Text = tmp.Text ?? "",
                            Protocol = "hytera-tmp",
                            AckRequested = tmp.Confirmed,
                        },
                    ];
                }

                return [heard("hytera", tmp.IsAck ? $"Hytera TMP acknowledgement of request {tmp.RequestId}, result {tmp.Result}" : $"Hytera TMP service 0x{tmp.Service:X2}", null, port, datagram.Payload)];
            case HdapService.RadioRegistration when HyteraRrs.TryDecode(hdap, out var rrs, out error) == DecodeStatus.Done && rrs is not null:
                if (rrs.IsRegistration || rrs.IsGoingOffline)
                {
                    return
                    [
                        new RegistrationChanged
                        {
                            Id = string.Create(CultureInfo.InvariantCulture, $"registration.{rrs.RadioId}.{(rrs.IsRegistration ? "on" : "off")}.{EventIdTime.Of(now)}"),
                            Time = now,
                            Unit = roster.Unit(rrs.RadioId),
                            Registered = rrs.IsRegistration,
                            Protocol = "hytera-rrs",
                        },
                    ];
                }

                return [heard("hytera", $"Hytera RRS 0x{rrs.Opcode:X4}", null, port, datagram.Payload)];
            default:
                return [heard("hytera", $"Hytera {hdap.Service} 0x{hdap.Opcode:X4}", error.Message is null ? null : error.ToString(), port, datagram.Payload)];
        }
    }

    /// <summary>
    /// A position event. Its id comes from the unit, the fix time and the coordinates, not from this gateway, so
    /// the same beacon heard by two gateways is one event upstream.
    /// </summary>
    public PositionReported Position(RadioUnit unit, GeoFix fix, DateTimeOffset received, string via)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(fix);
        var when = (fix.FixTime ?? received).UtcDateTime;
        return new PositionReported
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"position.{unit.Id}.{EventIdTime.Of(when)}.{fix.Latitude:F6}.{fix.Longitude:F6}"),
            Time = received,
            Unit = unit,
            // 7 decimals (about 1 cm): finer than any of the protocols resolve, without float noise.
            Lat = Math.Round(fix.Latitude, 7),
            Lon = Math.Round(fix.Longitude, 7),
            AltitudeM = fix.AltitudeM,
            SpeedKmh = fix.SpeedKmh,
            HeadingDeg = fix.HeadingDeg,
            AccuracyM = fix.AccuracyM,
            FixTime = fix.FixTime,
            ReceivedTime = received,
            Via = via,
            RadioId = radioId,
        };
    }

}
