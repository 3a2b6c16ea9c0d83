using System.Buffers;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.DataServices;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Protocols.Nmea;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw decode --format FORMAT [FILE|-]</c>: hex in (one item per line, whitespace ignored), JSON lines
/// out, one object per decoded item; a line that does not decode gives an object with <c>error</c> and the
/// command goes on. <c>datacall</c> takes one burst per line and prints each rebuilt packet with its service.
/// </summary>
public static class DecodeCommand
{
    public static readonly string[] Formats = ["mmdvm", "burst", "datacall", "lrrp", "ars", "tms", "ip", "hytera-hdap", "hytera-hrnp", "nmea"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var format = new Option<string>("--format")
        {
            Description = "mmdvm (serial byte stream), burst (33-byte DMR burst), datacall (bursts of data calls, one per line), lrrp, ars, tms, hytera-hdap (UDP payloads), ip (IPv4/UDP packet), hytera-hrnp (control-station byte stream), nmea (sentences as text or hex)",
            Required = true,
        };
        format.AcceptOnlyFromAmong(Formats);
        var input = new Argument<string>("FILE") { Description = "Hex input, one item per line; - or nothing for standard input", DefaultValueFactory = _ => "-" };
        var command = new Command("decode", "Decode hex captures to JSON lines for diagnosis") { format, input };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(input)!;
            using var reader = path == "-" ? Console.In : new StreamReader(path);
            using var output = Console.OpenStandardOutput();
            Run(reader, output, parse.GetValue(format)!);
            return 0;
        });
        return command;
    }

    public static void Run(TextReader input, Stream output, string format)
    {
        ArgumentNullException.ThrowIfNull(input);
        var frames = new MmdvmFrameBuffer();
        var dataCalls = new DataCallDecoder();
        var hrnp = new HrnpFrameReader();
        var hrnpPending = Array.Empty<byte>();
        var lineNumber = 0;
        while (input.ReadLine() is { } line)
        {
            lineNumber++;
            var digits = new string(line.Where(c => !char.IsWhiteSpace(c)).ToArray());
            if (digits.Length == 0)
            {
                continue;
            }

            if (format == "nmea" && line.TrimStart() is ['$' or '!', ..] sentenceText)
            {
                // NMEA given as text, as a GPS or radio prints it.
                var textLine = lineNumber;
                Write(output, w => DescribeNmea(w, textLine, System.Text.Encoding.ASCII.GetBytes(sentenceText.TrimEnd() + "\r\n")));
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromHexString(digits);
            }
            catch (FormatException)
            {
                Write(output, w => Error(w, lineNumber, $"not hex: {(digits.Length % 2 == 1 ? "odd number of digits" : "a character that is not 0-9/a-f")}"));
                continue;
            }

            var at = lineNumber;
            switch (format)
            {
                case "burst":
                    Write(output, w => DescribeBurst(w, at, bytes));
                    continue;
                case "datacall":
                    var packets = dataCalls.Add(bytes, out var burstError);
                    foreach (var packet in packets)
                    {
                        Write(output, w => DescribePacket(w, at, packet));
                    }

                    if (burstError is not null)
                    {
                        Write(output, w => Error(w, at, burstError));
                    }

                    continue;
                case "hytera-hdap":
                    Write(output, w =>
                    {
                        w.WriteNumber("line", at);
                        DescribeHdap(w, bytes);
                    });
                    continue;
                case "hytera-hrnp":
                    // Like the MMDVM stream, HRNP frames may span lines.
                    var buffer = new ReadOnlySequence<byte>([.. hrnpPending, .. bytes]);
                    while (hrnp.TryRead(ref buffer, out var hrnpFrame, out var skipped) != DecodeStatus.NeedMoreData)
                    {
                        Write(output, w =>
                        {
                            if (hrnpFrame is null)
                            {
                                Error(w, at, $"{skipped.Message} (stream offset {skipped.Offset})");
                                return;
                            }

                            w.WriteNumber("line", at);
                            w.WriteString("opcode", hrnpFrame.Opcode.ToString());
                            w.WriteNumber("source", hrnpFrame.Source);
                            w.WriteNumber("destination", hrnpFrame.Destination);
                            w.WriteNumber("packetNumber", hrnpFrame.PacketNumber);
                            if (hrnpFrame.Data.Length > 0)
                            {
                                w.WritePropertyName("hdap");
                                w.WriteStartObject();
                                DescribeHdap(w, hrnpFrame.Data);
                                w.WriteEndObject();
                            }
                        });
                    }

                    hrnpPending = buffer.ToArray();
                    continue;
                case "nmea":
                    Write(output, w => DescribeNmea(w, at, bytes[^1] == (byte)'\n' ? bytes : [.. bytes, (byte)'\r', (byte)'\n']));
                    continue;
                case "lrrp" or "ars" or "tms":
                    Write(output, w => DescribeService(w, at, format, bytes));
                    continue;
                case "ip":
                    Write(output, w =>
                    {
                        w.WriteNumber("line", at);
                        var datagram = UdpOverDmr.DecodeIpv4(bytes, out var ipError);
                        if (datagram is null)
                        {
                            w.WriteString("error", ipError);
                            return;
                        }

                        DescribeDatagram(w, datagram);
                    });
                    continue;
            }

            // The serial stream continues across lines, as the modem sends it.
            foreach (var item in frames.Add(bytes))
            {
                if (item.Frame is { } frame)
                {
                    Write(output, w => DescribeFrame(w, at, frame));
                }
                else if (item.Skip is { } skip)
                {
                    Write(output, w => Error(w, at, $"skipped {skip.Count} bytes at stream offset {skip.Offset}: {skip.Reason}"));
                }
            }
        }

        if (hrnpPending.Length > 0)
        {
            Write(output, w => Error(w, lineNumber, $"{hrnpPending.Length} bytes at the end are an incomplete HRNP frame"));
        }

        if (frames.Pending > 0)
        {
            Write(output, w => Error(w, lineNumber, $"{frames.Pending} bytes at the end are an incomplete frame"));
        }
    }

    private static void Write(Stream output, Action<Utf8JsonWriter> body)
    {
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }

    private static void Error(Utf8JsonWriter writer, int line, string message)
    {
        writer.WriteNumber("line", line);
        writer.WriteString("error", message);
    }

    private static void DescribeFrame(Utf8JsonWriter writer, int line, MmdvmFrame frame)
    {
        writer.WriteNumber("line", line);
        writer.WriteString("command", Enum.IsDefined(frame.Command) ? frame.Command.ToString() : $"0x{(byte)frame.Command:X2}");
        writer.WriteString("payload", Convert.ToHexString(frame.Payload.Span).ToLowerInvariant());
        if (frame.Command is MmdvmCommand.DmrData1 or MmdvmCommand.DmrData2)
        {
            var dmr = MmdvmDmrFrame.Decode(frame, out var error);
            if (dmr is null)
            {
                writer.WriteString("error", error);
                return;
            }

            writer.WriteNumber("slot", dmr.Slot);
            writer.WritePropertyName("burst");
            writer.WriteStartObject();
            DescribeBurstFields(writer, dmr.Burst, dmr.IsDataSync ? null : dmr.IsVoiceSync ? 0 : dmr.LowNibble);
            writer.WriteEndObject();
        }
        else if (frame.Command == MmdvmCommand.GetVersion && MmdvmVersion.Decode(frame.Payload.Span, out _) is { } version)
        {
            writer.WriteNumber("protocolVersion", version.ProtocolVersion);
            writer.WriteString("description", version.Description);
        }
        else if (frame.Command is MmdvmCommand.Ack or MmdvmCommand.Nak && frame.Payload.Length > 0)
        {
            writer.WriteString("of", ((MmdvmCommand)frame.Payload.Span[0]).ToString());
            if (frame.Command == MmdvmCommand.Nak && frame.Payload.Length > 1)
            {
                writer.WriteNumber("reason", frame.Payload.Span[1]);
            }
        }
    }

    private static void DescribeBurst(Utf8JsonWriter writer, int line, byte[] bytes)
    {
        writer.WriteNumber("line", line);
        if (bytes.Length != DmrBurst.Length)
        {
            writer.WriteString("error", $"a DMR burst is {DmrBurst.Length} bytes, this line has {bytes.Length}");
            return;
        }

        DescribeBurstFields(writer, bytes, voicePosition: null);
    }

    /// <param name="voicePosition">Known from the modem for voice bursts (0 = A); null to decide from the sync pattern.</param>
    private static void DescribeBurstFields(Utf8JsonWriter writer, byte[] burst, int? voicePosition)
    {
        var sync = DmrBurst.FindSync(burst, maxBitErrors: 4);
        writer.WriteString("sync", sync.ToString());
        if (voicePosition is null && DmrBurst.IsDataSync(sync) || voicePosition is null && sync == DmrSyncPattern.None && DmrBurst.TryReadSlotType(burst, out _, out _, out _))
        {
            if (!DmrBurst.TryReadSlotType(burst, out var colourCode, out var dataType, out var corrected))
            {
                writer.WriteString("error", "slot type beyond Golay(20,8) correction");
                return;
            }

            writer.WriteNumber("colourCode", colourCode);
            writer.WriteString("dataType", dataType.ToString());
            writer.WriteNumber("slotTypeCorrectedBits", corrected);
            switch (dataType)
            {
                case DmrDataType.VoiceLcHeader or DmrDataType.TerminatorWithLc:
                    var lc = FullLinkControl.FromBurst(burst, dataType, out var lcCorrected);
                    if (lc is null)
                    {
                        writer.WriteString("error", $"{dataType} beyond BPTC/RS correction");
                        return;
                    }

                    writer.WriteNumber("correctedBits", lcCorrected);
                    DescribeLc(writer, lc);
                    break;
                case DmrDataType.DataHeader:
                    var headerInfo = new byte[12];
                    var header = DmrBurst.ReadBptcInfo(burst, headerInfo) >= 0 ? DataHeader.Decode(headerInfo, out var headerError) : null;
                    if (header is null)
                    {
                        writer.WriteString("error", "data header beyond BPTC correction or with a bad CRC");
                        return;
                    }

                    DescribeHeader(writer, header);
                    break;
                case DmrDataType.Rate12Data:
                    var block = new byte[12];
                    DescribeBlock(writer, block, DmrBurst.ReadBptcInfo(burst, block), "rate ½ block beyond BPTC correction");
                    break;
                case DmrDataType.Rate34Data:
                    var rate34 = new byte[18];
                    DescribeBlock(writer, rate34, DmrBurst.ReadRate34Info(burst, rate34), "rate ¾ block beyond trellis correction");
                    break;
                case DmrDataType.Csbk:
                    var info = new byte[12];
                    var csbk = DmrBurst.ReadBptcInfo(burst, info) >= 0 ? Csbk.Decode(info, out var error) : null;
                    if (csbk is null)
                    {
                        writer.WriteString("error", "CSBK beyond BPTC correction or with a bad CRC");
                        return;
                    }

                    writer.WriteString("csbk", csbk.Name);
                    writer.WriteNumber("opcode", csbk.Opcode);
                    writer.WriteNumber("featureSetId", csbk.FeatureSetId);
                    WriteParties(writer, csbk.SourceId, csbk.TargetId, null);
                    break;
            }

            return;
        }

        if (DmrBurst.IsVoiceSync(sync) || voicePosition == 0)
        {
            writer.WriteString("voiceBurst", "A");
            return;
        }

        if (DmrBurst.TryReadEmb(burst, out var emb, out var embCorrected))
        {
            writer.WriteString("voiceBurst", voicePosition is { } position ? ((char)('A' + position)).ToString() : "B-F");
            writer.WriteNumber("colourCode", emb.ColourCode);
            writer.WriteBoolean("privacy", emb.PrivacyIndicator);
            writer.WriteString("lcss", emb.Lcss.ToString());
            writer.WriteString("embeddedFragment", DmrBurst.ReadEmbeddedFragment(burst).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteNumber("correctedBits", embCorrected);
            return;
        }

        writer.WriteString("error", "no sync pattern, no valid slot type and no valid EMB");
    }

    private static void DescribeLc(Utf8JsonWriter writer, FullLinkControl lc)
    {
        writer.WriteString("flco", lc.Opcode.ToString());
        writer.WriteNumber("featureSetId", lc.FeatureSetId);
        if (!lc.IsVoice)
        {
            return;
        }

        WriteParties(writer, lc.SourceId, lc.DestinationId, lc.IsGroupCall ? "group" : "unit");
        writer.WriteBoolean("emergency", lc.Emergency);
        writer.WriteBoolean("privacy", lc.Privacy);
    }

    /// <summary><c>source</c> {id} and <c>destination</c> {id, type?}, as in the MQTT payloads.</summary>
    private static void WriteParties(Utf8JsonWriter writer, uint source, uint destination, string? destinationType)
    {
        writer.WritePropertyName("source");
        writer.WriteStartObject();
        writer.WriteNumber("id", source);
        writer.WriteEndObject();
        writer.WritePropertyName("destination");
        writer.WriteStartObject();
        writer.WriteNumber("id", destination);
        if (destinationType is not null)
        {
            writer.WriteString("type", destinationType);
        }

        writer.WriteEndObject();
    }

    private static void DescribeBlock(Utf8JsonWriter writer, byte[] block, int corrected, string failure)
    {
        if (corrected < 0)
        {
            writer.WriteString("error", failure);
            return;
        }

        writer.WriteNumber("correctedBits", corrected);
        writer.WriteString("block", Convert.ToHexString(block));
    }

    private static void DescribeHeader(Utf8JsonWriter writer, DataHeader header)
    {
        writer.WriteString("dataPacketFormat", header.Format.ToString());
        writer.WriteString("sap", header.Sap.ToString());
        WriteParties(writer, header.Source, header.Destination, header.IsGroup ? "group" : "unit");
        writer.WriteNumber("blocksToFollow", header.BlocksToFollow);
        writer.WriteNumber("padOctets", header.PadOctets);
        writer.WriteBoolean("responseRequested", header.ResponseRequested);
    }

    private static void DescribePacket(Utf8JsonWriter writer, int line, DataPacket packet)
    {
        writer.WriteNumber("line", line);
        DescribeHeader(writer, packet.Header);
        writer.WriteBoolean("intact", packet.IsIntact);
        if (!packet.IsIntact)
        {
            writer.WriteString("error", packet.Problem);
            return;
        }

        writer.WriteString("userData", Convert.ToHexString(packet.UserData!));
        var events = new DataServiceMapper("decode", UnitRoster.Empty).Map(1, packet, DateTimeOffset.UnixEpoch, out var message);
        if (message?.Datagram is { } datagram)
        {
            writer.WritePropertyName("udp");
            writer.WriteStartObject();
            DescribeDatagram(writer, datagram);
            writer.WriteEndObject();
        }

        foreach (var domainEvent in events)
        {
            // The same fields as the MQTT data of the event this packet becomes.
            writer.WritePropertyName(domainEvent.Kind);
            writer.WriteRawValue(EventJson.SerializeData(domainEvent with { Time = DateTimeOffset.UnixEpoch }));
        }
    }

    private static void DescribeDatagram(Utf8JsonWriter writer, UdpDatagram datagram)
    {
        writer.WriteNumber("sourceId", datagram.SourceId);
        writer.WriteNumber("destinationId", datagram.DestinationId);
        writer.WriteNumber("sourcePort", datagram.SourcePort);
        writer.WriteNumber("destinationPort", datagram.DestinationPort);
        writer.WriteString("payload", Convert.ToHexString(datagram.Payload));
    }

    private static void DescribeService(Utf8JsonWriter writer, int line, string format, byte[] bytes)
    {
        writer.WriteNumber("line", line);
        var input = new ReadOnlySequence<byte>(bytes);
        DecodeStatus status;
        int consumed;
        DecodeError error;
        switch (format)
        {
            case "lrrp":
                status = Lrrp.TryDecode(input, out var lrrp, out consumed, out error);
                if (lrrp is not null)
                {
                    writer.WriteString("document", lrrp.Document.ToString());
                    writer.WriteString("requestId", lrrp.RequestIdHex);
                    WriteOptional(writer, "resultCode", lrrp.ResultCode);
                    if (lrrp.ResultText is not null)
                    {
                        writer.WriteString("resultText", lrrp.ResultText);
                    }

                    WriteOptional(writer, "intervalSeconds", lrrp.IntervalSeconds);
                    if (lrrp.Fix is { } fix)
                    {
                        writer.WriteNumber("lat", Math.Round(fix.Latitude, 7));
                        writer.WriteNumber("lon", Math.Round(fix.Longitude, 7));
                        WriteOptional(writer, "altitudeM", fix.AltitudeM);
                        WriteOptional(writer, "speedKmh", fix.SpeedKmh);
                        WriteOptional(writer, "headingDeg", fix.HeadingDeg);
                        WriteOptional(writer, "accuracyM", fix.AccuracyM);
                        if (fix.FixTime is { } time)
                        {
                            writer.WriteString("fixTime", EventJson.FormatTime(time));
                        }
                    }
                }

                break;
            case "tms":
                status = Tms.TryDecode(input, out var tms, out consumed, out error);
                if (tms is not null)
                {
                    writer.WriteString("pdu", tms.Type.ToString());
                    WriteOptional(writer, "sequenceNumber", tms.SequenceNumber);
                    writer.WriteBoolean("ackRequested", tms.AckRequested);
                    if (tms.Text is not null)
                    {
                        writer.WriteString("text", tms.Text);
                    }
                }

                break;
            default:
                status = Ars.TryDecode(input, out var ars, out consumed, out error);
                if (ars is not null)
                {
                    writer.WriteString("pdu", ars.Type.ToString());
                    if (ars.DeviceId is not null)
                    {
                        writer.WriteString("deviceId", ars.DeviceId);
                    }

                    if (ars.UserId is not null)
                    {
                        writer.WriteString("userId", ars.UserId);
                    }

                    WriteOptional(writer, "refreshMinutes", ars.RefreshMinutes);
                    WriteOptional(writer, "failureReason", ars.FailureReason);
                    if (ars.IsOnline || ars.IsOffline)
                    {
                        writer.WriteBoolean("registered", ars.IsOnline);
                    }
                }

                break;
        }

        switch (status)
        {
            case DecodeStatus.NeedMoreData:
                writer.WriteString("error", $"{format} message is truncated: {bytes.Length} bytes are only its beginning");
                break;
            case DecodeStatus.Invalid:
                writer.WriteString("error", error.ToString());
                break;
            case DecodeStatus.Done when consumed < bytes.Length:
                writer.WriteString("warning", $"{bytes.Length - consumed} bytes after the message at offset {consumed}");
                break;
        }
    }

    private static void DescribeNmea(Utf8JsonWriter writer, int line, byte[] bytes)
    {
        writer.WriteNumber("line", line);
        if (Nmea.TryDecode(new ReadOnlySequence<byte>(bytes), out var sentence, out _, out var error) != DecodeStatus.Done || sentence is null)
        {
            writer.WriteString("error", error.Message is null ? "sentence is incomplete" : error.ToString());
            return;
        }

        writer.WriteString("sentence", sentence.Address);
        writer.WriteBoolean("checksum", sentence.HasChecksum);
        if (NmeaPositions.Read(sentence) is not { } position)
        {
            return;
        }

        if (position.SenderId is not null)
        {
            writer.WriteString("senderId", position.SenderId);
        }

        if (position.Fix is not { } fix)
        {
            writer.WriteString("noFix", position.NoFixReason);
            return;
        }

        writer.WriteNumber("lat", Math.Round(fix.Latitude, 7));
        writer.WriteNumber("lon", Math.Round(fix.Longitude, 7));
        WriteOptional(writer, "altitudeM", fix.AltitudeM);
        WriteOptional(writer, "speedKmh", fix.SpeedKmh);
        WriteOptional(writer, "headingDeg", fix.HeadingDeg);
        if (fix.FixTime is { } time)
        {
            writer.WriteString("fixTime", EventJson.FormatTime(time));
        }
        else if (position.TimeOfDay is { } timeOfDay)
        {
            writer.WriteString("timeOfDay", timeOfDay.ToString(@"hh\:mm\:ss\.fff", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static void DescribeHdap(Utf8JsonWriter writer, byte[] bytes)
    {
        var status = Hdap.TryDecode(new ReadOnlySequence<byte>(bytes), out var hdap, out _, out var error);
        if (hdap is null)
        {
            writer.WriteString("error", status == DecodeStatus.NeedMoreData ? $"HDAP message is truncated: {bytes.Length} bytes are only its beginning" : error.ToString());
            return;
        }

        writer.WriteString("service", hdap.Service.ToString());
        writer.WriteString("opcode", $"0x{hdap.Opcode:X4}");
        writer.WriteBoolean("reliable", hdap.Reliable);
        DecodeError typedError = default;
        switch (hdap.Service)
        {
            case HdapService.Location when HyteraLp.TryDecode(hdap, out var lp, out typedError) == DecodeStatus.Done && lp is not null:
                writer.WriteNumber("requestId", lp.RequestId);
                writer.WriteNumber("radioId", lp.RadioId);
                WriteOptional(writer, "result", lp.Result);
                WriteOptional(writer, "intervalSeconds", lp.IntervalSeconds);
                WriteOptional(writer, "rssi", lp.Rssi);
                if (lp.Fix is { } fix)
                {
                    writer.WriteNumber("lat", Math.Round(fix.Latitude, 7));
                    writer.WriteNumber("lon", Math.Round(fix.Longitude, 7));
                    WriteOptional(writer, "speedKmh", fix.SpeedKmh);
                    WriteOptional(writer, "headingDeg", fix.HeadingDeg);
                    if (fix.FixTime is { } time)
                    {
                        writer.WriteString("fixTime", EventJson.FormatTime(time));
                    }
                }

                break;
            case HdapService.TextMessage when HyteraTmp.TryDecode(hdap, out var tmp, out typedError) == DecodeStatus.Done && tmp is not null:
                writer.WriteNumber("requestId", tmp.RequestId);
                WriteParties(writer, tmp.SourceId, tmp.DestinationId, tmp.IsGroup ? "group" : "unit");
                writer.WriteBoolean("confirmed", tmp.Confirmed);
                if (tmp.Text is not null)
                {
                    writer.WriteString("text", tmp.Text);
                }

                WriteOptional(writer, "result", tmp.Result);
                break;
            case HdapService.RadioRegistration when HyteraRrs.TryDecode(hdap, out var rrs, out typedError) == DecodeStatus.Done && rrs is not null:
                writer.WriteNumber("radioId", rrs.RadioId);
                if (rrs.IsRegistration || rrs.IsGoingOffline)
                {
                    writer.WriteBoolean("registered", rrs.IsRegistration);
                }

                WriteOptional(writer, "result", rrs.Result);
                WriteOptional(writer, "renewSeconds", rrs.RenewSeconds);
                break;
            default:
                writer.WriteString("payload", Convert.ToHexString(hdap.Payload));
                break;
        }

        if (typedError.Message is not null)
        {
            writer.WriteString("error", typedError.ToString());
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    /// <summary>Reassembles data calls from bursts given one per line (any slot, one call at a time).</summary>
    private sealed class DataCallDecoder
    {
        private readonly DataCallAssembler _assembler = new();

        public IReadOnlyList<DataPacket> Add(byte[] burst, out string? error)
        {
            error = null;
            if (burst.Length != DmrBurst.Length)
            {
                error = $"a DMR burst is {DmrBurst.Length} bytes, this line has {burst.Length}";
                return [];
            }

            if (!DmrBurst.TryReadSlotType(burst, out _, out var type, out _))
            {
                error = "slot type beyond Golay(20,8) correction";
                return [];
            }

            var info = new byte[12];
            var corrected = DmrBurst.ReadBptcInfo(burst, info);
            switch (type)
            {
                case DmrDataType.DataHeader:
                    var header = corrected >= 0 ? DataHeader.Decode(info, out var headerError) : null;
                    if (header is null)
                    {
                        error = "data header beyond BPTC correction or with a bad CRC";
                        return [];
                    }

                    return _assembler.OnHeader(header);
                case DmrDataType.Rate12Data:
                    return _assembler.OnRate12Block(info, corrected < 0) is { } packet ? [packet] : [];
                case DmrDataType.Rate34Data:
                    var block = new byte[18];
                    var trellisCorrected = DmrBurst.ReadRate34Info(burst, block);
                    return _assembler.OnRate34Block(block, trellisCorrected < 0) is { } rate34 ? [rate34] : [];
                default:
                    return []; // preambles and other bursts carry no packet data
            }
        }
    }
}
