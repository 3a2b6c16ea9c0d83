using System.Buffers;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using RadioGateway.Protocols.Dmr;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Mmdvm;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw decode --format mmdvm|burst [FILE|-]</c>: hex in (one item per line, whitespace ignored), JSON lines
/// out, one object per decoded item; a line that does not decode gives an object with <c>error</c> and the
/// command goes on.
/// </summary>
public static class DecodeCommand
{
    public static readonly string[] Formats = ["mmdvm", "burst"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "mmdvm (serial byte stream) or burst (33-byte DMR burst)", Required = true };
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
        var lineNumber = 0;
        while (input.ReadLine() is { } line)
        {
            lineNumber++;
            var digits = new string(line.Where(c => !char.IsWhiteSpace(c)).ToArray());
            if (digits.Length == 0)
            {
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

            if (format == "burst")
            {
                Write(output, w => DescribeBurst(w, lineNumber, bytes));
                continue;
            }

            // The serial stream continues across lines, as the modem sends it.
            var at = lineNumber;
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
                    writer.WritePropertyName("source");
                    writer.WriteStartObject();
                    writer.WriteNumber("id", csbk.SourceId);
                    writer.WriteEndObject();
                    writer.WritePropertyName("destination");
                    writer.WriteStartObject();
                    writer.WriteNumber("id", csbk.TargetId);
                    writer.WriteEndObject();
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

        writer.WritePropertyName("source");
        writer.WriteStartObject();
        writer.WriteNumber("id", lc.SourceId);
        writer.WriteEndObject();
        writer.WritePropertyName("destination");
        writer.WriteStartObject();
        writer.WriteNumber("id", lc.DestinationId);
        writer.WriteString("type", lc.IsGroupCall ? "group" : "unit");
        writer.WriteEndObject();
        writer.WriteBoolean("emergency", lc.Emergency);
        writer.WriteBoolean("privacy", lc.Privacy);
    }
}
