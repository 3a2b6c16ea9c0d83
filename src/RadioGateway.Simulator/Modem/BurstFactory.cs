using System.Buffers;
using System.Globalization;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Simulator.Scenarios;

namespace RadioGateway.Simulator.Modem;

/// <summary>
/// Turns planned bursts into what an MMDVM modem hands the host: fully FEC-encoded DMR bursts in DMR_DATA
/// frames (or DMR_LOST), with the scenario's bit errors injected into FEC-protected fields.
/// </summary>
public sealed class BurstFactory(byte colourCode, int seed = 1)
{
    /// <summary>UDP ports of the Hytera services the simulated radios use (RRS, LP, TMP).</summary>
    public const int HyteraRrsPort = HyteraPorts.RadioRegistration;
    public const int HyteraLpPort = HyteraPorts.Location;
    public const int HyteraTmpPort = HyteraPorts.TextMessage;

    private readonly Random _random = new(seed);

    /// <summary>The MMDVM frame for one planned burst of <paramref name="call"/>.</summary>
    public MmdvmFrame Build(ScenarioCall call, PlannedBurst planned)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (planned.Kind == PlannedBurstKind.Lost)
        {
            return new MmdvmFrame(planned.Slot == 1 ? MmdvmCommand.DmrLost1 : MmdvmCommand.DmrLost2, Array.Empty<byte>());
        }

        var lc = FullLinkControl.Voice(call.Group, call.Destination, call.Source, call.Emergency);
        var burst = new byte[DmrBurst.Length];
        byte control;
        switch (planned.Kind)
        {
            case PlannedBurstKind.VoiceLcHeader:
            case PlannedBurstKind.Terminator:
                var dataType = planned.Kind == PlannedBurstKind.VoiceLcHeader ? DmrDataType.VoiceLcHeader : DmrDataType.TerminatorWithLc;
                lc.WriteToBurst(burst, dataType);
                DmrBurst.WriteSlotType(burst, colourCode, dataType);
                DmrBurst.WriteSync(burst, DmrSyncPattern.MsSourcedData);
                control = (byte)(MmdvmDmrFrame.DataSync | (byte)dataType);
                InjectErrors(burst, planned.BitErrors, dataBurst: true);
                break;
            default:
                FillVoice(burst);
                if (planned.VoiceSequence == 0)
                {
                    DmrBurst.WriteSync(burst, DmrSyncPattern.MsSourcedVoice);
                    control = MmdvmDmrFrame.VoiceSync;
                }
                else
                {
                    WriteEmbedded(burst, call, lc, planned);
                    control = (byte)planned.VoiceSequence;
                    InjectErrors(burst, planned.BitErrors, dataBurst: false);
                }

                break;
        }

        var frame = new MmdvmDmrFrame(planned.Slot, control, burst);
        return new MmdvmFrame(frame.Command, frame.EncodePayload());
    }

    /// <summary>The DMR_DATA frame of a CSBK a unit sends (BPTC(196,96), CRC-CCITT with the CSBK mask).</summary>
    public MmdvmFrame BuildCsbk(ScenarioSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var csbk = signal.Kind switch
        {
            "radio-check" => Csbk.Addressed(Csbk.RadioCheck, 0x00, signal.Target, signal.Source),
            "call-alert" => Csbk.Addressed(Csbk.CallAlert, 0x00, signal.Target, signal.Source),
            "emergency" => Csbk.Addressed(Csbk.CallEmergency, 0x00, signal.Target, signal.Source, octet2: signal.GroupTarget ? (byte)0x40 : (byte)0),
            "preamble" => Csbk.Addressed(Csbk.Preamble, 0x00, signal.Target, signal.Source, octet2: (byte)(0x80 | (signal.GroupTarget ? 0x40 : 0)), octet3: 1),
            _ => throw new InvalidDataException($"scenario signal kind '{signal.Kind}' is not one of radio-check, call-alert, emergency, preamble"),
        };
        var burst = new byte[DmrBurst.Length];
        DmrBurst.WriteBptcInfo(burst, csbk.Bytes);
        DmrBurst.WriteSlotType(burst, colourCode, DmrDataType.Csbk);
        DmrBurst.WriteSync(burst, DmrSyncPattern.MsSourcedData);
        var frame = new MmdvmDmrFrame(signal.Slot, (byte)(MmdvmDmrFrame.DataSync | (byte)DmrDataType.Csbk), burst);
        return new MmdvmFrame(frame.Command, frame.EncodePayload());
    }

    /// <summary>
    /// The bursts of a unit's data call: two preamble CSBKs announcing the blocks, the data header, then the
    /// rate ½ blocks of an unconfirmed packet carrying IPv4/UDP (radio network 12.0.0.0/8) to the service port.
    /// Depends only on <paramref name="data"/> and <paramref name="now"/> (the fix time).
    /// </summary>
    public IReadOnlyList<MmdvmFrame> BuildDataCall(ScenarioData data, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(data);
        var payload = new ArrayBufferWriter<byte>(128);
        int port;
        switch (data.Kind)
        {
            case "lrrp-position":
                port = Lrrp.Port;
                Lrrp.WriteReport(payload, LrrpDocument.UnsolicitedReport, [0x01], new GeoFix(data.Latitude, data.Longitude, SpeedKmh: data.SpeedKmh, HeadingDeg: data.HeadingDeg, FixTime: now));
                break;
            case "tms-text":
                port = Tms.Port;
                Tms.WriteText(payload, data.Text ?? "", (int)(data.At.TotalMilliseconds / 60) & 0x7F, ackRequested: true);
                break;
            case "ars-register":
                port = Ars.Port;
                Ars.WriteDeviceRegistration(payload, data.Source.ToString(CultureInfo.InvariantCulture));
                break;
            case "ars-deregister":
                port = Ars.Port;
                Ars.WriteDeregistration(payload);
                break;
            case "hytera-lp-position":
                port = HyteraLpPort;
                HyteraLp.WriteReport(payload, HyteraLp.TriggeredReport, requestId: 1, data.Source, new GeoFix(data.Latitude, data.Longitude, SpeedKmh: data.SpeedKmh, HeadingDeg: data.HeadingDeg, FixTime: now));
                break;
            case "hytera-tmp-text":
                port = HyteraTmpPort;
                HyteraTmp.WriteText(payload, data.GroupTarget, confirmed: true, requestId: (uint)data.At.TotalMilliseconds, data.Target, data.Source, data.Text ?? "");
                break;
            case "hytera-rrs-register" or "hytera-rrs-offline":
                port = HyteraRrsPort;
                HyteraRrs.Write(payload, data.Kind == "hytera-rrs-register" ? HyteraRrs.Registration : HyteraRrs.GoingOffline, data.Source);
                break;
            default:
                throw new InvalidDataException($"scenario data kind '{data.Kind}' is not one of {string.Join(", ", Scenario.DataKinds)}");
        }

        return DataCallBursts.Udp(data.Slot, colourCode, DmrSyncPattern.MsSourcedData, data.Source, data.Target, data.GroupTarget, port, payload.WrittenSpan, identification: (ushort)data.At.TotalMilliseconds)
            .Select(MmdvmDmrFrame.FromSlotBurst)
            .Select(frame => new MmdvmFrame(frame.Command, frame.EncodePayload()))
            .ToList();
    }

    private void WriteEmbedded(byte[] burst, ScenarioCall call, FullLinkControl voiceLc, PlannedBurst planned)
    {
        if (planned.Embedded == EmbeddedContent.None || planned.VoiceSequence is < 1 or > 4)
        {
            DmrBurst.WriteEmb(burst, new Emb(colourCode, false, Lcss.SingleFragment));
            DmrBurst.WriteEmbeddedFragment(burst, 0);
            return;
        }

        var lc = planned.Embedded switch
        {
            EmbeddedContent.VoiceLinkControl => voiceLc,
            _ => TalkerAlias.Encode(call.Alias!)[planned.Embedded - EmbeddedContent.TalkerAliasHeader],
        };
        var fragments = EmbeddedLinkControl.Encode(lc);
        var lcss = planned.VoiceSequence switch
        {
            1 => Lcss.FirstFragment,
            4 => Lcss.LastFragment,
            _ => Lcss.Continuation,
        };
        DmrBurst.WriteEmb(burst, new Emb(colourCode, false, lcss));
        DmrBurst.WriteEmbeddedFragment(burst, fragments[planned.VoiceSequence - 1]);
    }

    /// <summary>Vocoder bits: we do not simulate speech, only its presence.</summary>
    private void FillVoice(byte[] burst) => _random.NextBytes(burst);

    /// <summary>
    /// Flips bits the FEC must correct: one in the BPTC field of a data burst (any single error is within
    /// BPTC(196,96)'s reach), up to two in the EMB of a voice burst (QR(16,7,6) corrects two).
    /// </summary>
    private void InjectErrors(byte[] burst, int count, bool dataBurst)
    {
        var errors = Math.Min(count, dataBurst ? 1 : 2);
        var emb = new[] { 108, 109, 110, 111, 112, 113, 114, 115, 148, 149, 150, 151, 152, 153, 154, 155 };
        foreach (var bit in dataBurst
            ? Enumerable.Range(0, errors).Select(_ => _random.Next(0, 98))
            : emb.OrderBy(_ => _random.Next()).Take(errors))
        {
            burst[bit >> 3] ^= (byte)(0x80 >> (bit & 7));
        }
    }
}
