using System.Buffers;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.DataServices;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Air;
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
/// command goes on. <c>mmdvm</c> runs a serial capture through the gateway's own receive pipeline and prints the
/// events it would journal (calls, CSBKs, positions, texts, registrations), with <c>--bursts</c> also each burst;
/// <c>burst</c> and <c>datacall</c> take one burst per line through the same slot receiver.
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
        var bursts = new Option<bool>("--bursts") { Description = "mmdvm: also print every DMR burst (by default only the events the gateway would journal)" };
        var colourCode = new Option<int?>("--colour-code") { Description = "The channel's colour code (0-15); by default the first burst that carries one sets it" };
        colourCode.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0 or > 15)
            {
                result.AddError("--colour-code must be 0-15");
            }
        });
        var input = new Argument<string>("FILE") { Description = "Hex input, one item per line; - or nothing for standard input", DefaultValueFactory = _ => "-" };
        var command = new Command("decode", "Decode hex captures to JSON lines for diagnosis") { format, bursts, colourCode, input };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(input)!;
            if (path != "-" && CannotRead(path) is { } problem)
            {
                Console.Error.WriteLine($"radiogw: decode: cannot read '{path}': {problem}");
                return 2;
            }

            using var reader = path == "-" ? Console.In : new StreamReader(path);
            using var output = Console.OpenStandardOutput();
            Run(reader, output, parse.GetValue(format)!, parse.GetValue(bursts), (byte?)parse.GetValue(colourCode));
            return 0;
        });
        return command;
    }

    /// <summary>Why <paramref name="path"/> cannot be read as a capture, or null when it can.</summary>
    private static string? CannotRead(string path)
    {
        if (Directory.Exists(path))
        {
            return "it is a directory";
        }

        if (!File.Exists(path))
        {
            return "it does not exist";
        }

        try
        {
            using var probe = File.OpenRead(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <param name="bursts">mmdvm: print each DMR burst as well as the events.</param>
    /// <param name="colourCode">The channel's colour code; null to take the first one a burst carries.</param>
    public static void Run(TextReader input, Stream output, string format, bool bursts = false, byte? colourCode = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var frames = new MmdvmFrameBuffer();
        var lineNumber = 0;
        using var replay = new CaptureReplay(colourCode, format == "mmdvm" && !bursts ? null : (in SlotBurst burst, ReadOnlySpan<SlotItem> items) =>
        {
            var at = lineNumber;
            var described = items.ToArray();
            var (slot, sync) = (burst.Slot, burst.Sync);
            switch (format)
            {
                case "datacall":
                    foreach (var item in described)
                    {
                        if (item.Kind is SlotItemKind.Damaged)
                        {
                            Write(output, w => Error(w, at, item.Reason!));
                        }
                        else if (item.Packet is { } packet)
                        {
                            Write(output, w => DescribePacket(w, at, packet, item.Service));
                        }
                    }

                    break;
                default:
                    Write(output, w =>
                    {
                        w.WriteNumber("line", at);
                        if (format == "mmdvm")
                        {
                            w.WriteNumber("slot", slot);
                            w.WritePropertyName("burst");
                            w.WriteStartObject();
                        }

                        w.WriteString("sync", sync.ToString());
                        DescribeItems(w, described);
                        if (format == "mmdvm")
                        {
                            w.WriteEndObject();
                        }
                    });
                    break;
            }
        });
        var hrnp = new HrnpFrameReader();
        var hrnpPending = Array.Empty<byte>();
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
                case "burst" or "datacall":
                    if (bytes.Length != DmrBurst.Length)
                    {
                        Write(output, w => Error(w, at, $"a DMR burst is {DmrBurst.Length} bytes, this line has {bytes.Length}"));
                        continue;
                    }

                    // A bare burst says nothing about itself: its sync pattern tells data from voice.
                    replay.OnBurst(SlotBurst.FromAir(1, bytes));
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
                    OnFrame(output, at, frame, replay);
                }
                else if (item.Skip is { } skip)
                {
                    Write(output, w => Error(w, at, $"skipped {skip.Count} bytes at stream offset {skip.Offset}: {skip.Reason}"));
                }
            }

            WriteEvents(output, at, replay.TakeEvents());
        }

        if (format == "mmdvm")
        {
            replay.End();
            WriteEvents(output, lineNumber, replay.TakeEvents());
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

    /// <summary>DMR frames go through the gateway pipeline (their lines come from it); other frames are described here.</summary>
    private static void OnFrame(Stream output, int line, MmdvmFrame frame, CaptureReplay replay)
    {
        switch (frame.Command)
        {
            case MmdvmCommand.DmrData1 or MmdvmCommand.DmrData2:
                if (MmdvmDmrFrame.TryReadBurst(frame, out var burst, out var error))
                {
                    replay.OnBurst(burst);
                }
                else
                {
                    Write(output, w => Error(w, line, error!));
                }

                return;
            case MmdvmCommand.DmrLost1 or MmdvmCommand.DmrLost2:
                replay.OnLost(frame.Command == MmdvmCommand.DmrLost1 ? 1 : 2);
                return;
        }

        Write(output, writer =>
        {
            writer.WriteNumber("line", line);
            writer.WriteString("command", Enum.IsDefined(frame.Command) ? frame.Command.ToString() : $"0x{(byte)frame.Command:X2}");
            writer.WriteString("payload", Convert.ToHexString(frame.Payload.Span).ToLowerInvariant());
            if (frame.Command == MmdvmCommand.GetVersion && MmdvmVersion.Decode(frame.Payload.Span, out _) is { } version)
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
        });
    }

    /// <summary>Each event as the gateway would journal it: its kind, CloudEvents type, id, time and data.</summary>
    private static void WriteEvents(Stream output, int line, IReadOnlyList<DomainEvent> events)
    {
        foreach (var domainEvent in events)
        {
            Write(output, w =>
            {
                w.WriteNumber("line", line);
                w.WriteString("event", domainEvent.Kind);
                w.WriteString("type", domainEvent.Type);
                w.WriteString("id", domainEvent.Id);
                w.WriteString("time", EventJson.FormatTime(domainEvent.Time));
                w.WritePropertyName("data");
                w.WriteRawValue(EventJson.SerializeData(domainEvent));
            });
        }
    }

    /// <summary>The burst's own item, then what it completed.</summary>
    private static void DescribeItems(Utf8JsonWriter writer, SlotItem[] items)
    {
        foreach (var item in items)
        {
            switch (item.Kind)
            {
                case SlotItemKind.VoiceBurst:
                    writer.WriteString("voiceBurst", item.VoicePosition < 0 ? "B-F" : ((char)('A' + item.VoicePosition)).ToString());
                    if (item.Emb is { } emb)
                    {
                        writer.WriteNumber("colourCode", emb.ColourCode);
                        writer.WriteBoolean("privacy", emb.PrivacyIndicator);
                        writer.WriteString("lcss", emb.Lcss.ToString());
                        writer.WriteString("embeddedFragment", item.EmbeddedFragment.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
                        writer.WriteNumber("correctedBits", item.BitErrors);
                    }

                    break;
                case SlotItemKind.EmbeddedLc:
                    writer.WritePropertyName("embeddedLc");
                    writer.WriteStartObject();
                    DescribeLc(writer, item.LinkControl!);
                    writer.WriteBoolean("lateEntry", item.LateEntry);
                    writer.WriteEndObject();
                    continue;
                case SlotItemKind.TalkerAliasPart:
                    writer.WriteString("talkerAliasPart", item.LinkControl!.Opcode.ToString());
                    continue;
                case SlotItemKind.TalkerAlias:
                    writer.WriteString("talkerAlias", item.Alias);
                    continue;
                case SlotItemKind.GpsInfo:
                    writer.WritePropertyName("gps");
                    writer.WriteStartObject();
                    writer.WriteNumber("lat", Math.Round(item.Gps!.Latitude, 7));
                    writer.WriteNumber("lon", Math.Round(item.Gps.Longitude, 7));
                    WriteOptional(writer, "accuracyM", item.Gps.AccuracyM);
                    writer.WriteEndObject();
                    continue;
                case SlotItemKind.EmbeddedDamaged:
                    writer.WriteString("embeddedError", item.Reason);
                    continue;
                case SlotItemKind.DataPacket or SlotItemKind.ResponsePacket:
                    writer.WritePropertyName("packet");
                    writer.WriteStartObject();
                    DescribePacketFields(writer, item.Packet!, item.Service);
                    writer.WriteEndObject();
                    continue;
                default:
                    if (item.ColourCode is { } colourCode)
                    {
                        writer.WriteNumber("colourCode", colourCode);
                    }

                    if (item.DataType is { } dataType)
                    {
                        writer.WriteString("dataType", dataType.ToString());
                    }

                    break;
            }

            switch (item.Kind)
            {
                case SlotItemKind.VoiceHeader or SlotItemKind.Terminator or SlotItemKind.OtherLinkControl:
                    writer.WriteNumber("correctedBits", item.BitErrors);
                    DescribeLc(writer, item.LinkControl!);
                    break;
                case SlotItemKind.Csbk:
                    writer.WriteString("csbk", item.Csbk!.Name);
                    writer.WriteNumber("opcode", item.Csbk.Opcode);
                    writer.WriteNumber("featureSetId", item.Csbk.FeatureSetId);
                    WriteParties(writer, item.Csbk.SourceId, item.Csbk.TargetId, null);
                    break;
                case SlotItemKind.DataHeader:
                    writer.WriteNumber("correctedBits", item.BitErrors);
                    DescribeHeader(writer, item.DataHeader!);
                    break;
                case SlotItemKind.DataBlock:
                    DescribeBlock(writer, item.Info.ToArray(), item.BitErrors, item.DataType == DmrDataType.Rate34Data ? "rate ¾ block beyond trellis correction" : "rate ½ block beyond BPTC correction");
                    break;
                case SlotItemKind.OtherColourCode:
                    writer.WriteString("error", "another colour code than the channel's: not decoded");
                    break;
            }

            if (item.Reason is not null)
            {
                writer.WriteString("error", item.Reason);
            }
        }
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

    private static void DescribePacket(Utf8JsonWriter writer, int line, DataPacket packet, DataServiceContent? service)
    {
        writer.WriteNumber("line", line);
        DescribePacketFields(writer, packet, service);
    }

    private static void DescribePacketFields(Utf8JsonWriter writer, DataPacket packet, DataServiceContent? service)
    {
        DescribeHeader(writer, packet.Header);
        writer.WriteBoolean("intact", packet.IsIntact);
        if (!packet.IsIntact)
        {
            writer.WriteString("error", packet.Problem);
            return;
        }

        writer.WriteString("userData", Convert.ToHexString(packet.UserData!));
        var events = new DataServiceMapper("decode", UnitRoster.Empty).Map(1, packet, service, DateTimeOffset.UnixEpoch, out _);
        if (service?.Datagram is { } datagram)
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
}
