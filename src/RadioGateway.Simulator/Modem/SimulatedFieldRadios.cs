using System.Buffers;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Simulator.Scenarios;

namespace RadioGateway.Simulator.Modem;

/// <summary>Something a simulated radio received from the gateway, for logs and tests.</summary>
public sealed record FieldRadioReception(uint Unit, string What, string? Text);

/// <summary>A radio starts (<see cref="Interval"/> set) or stops (null) periodic location reports for a trigger.</summary>
public sealed record PeriodicReporting(string Trigger, TimeSpan? Interval, Func<IReadOnlyList<MmdvmDmrFrame>> Report);

/// <summary>
/// The field radios behind the simulated base station, on the receiving end of what the gateway transmits: they
/// rebuild data calls with the same protocol code the gateway uses, and answer like real radios — response packets
/// to confirmed data, TMS and Hytera TMP acknowledgements, LRRP and Hytera LP reports, radio-check replies —
/// except the units told to stay silent.
/// </summary>
public sealed class SimulatedFieldRadios(byte colourCode, IReadOnlySet<uint> silentUnits, TimeProvider time)
{
    private readonly DataCallAssembler[] _assemblers = [new(), new()];

    /// <summary>Takes one burst the host transmitted; returns what the radios received and the frames of their answers.</summary>
    public (IReadOnlyList<FieldRadioReception> Received, IReadOnlyList<MmdvmDmrFrame> Answers) OnHostBurst(MmdvmDmrFrame frame) => OnHostBurst(frame, out _);

    /// <summary>As above, also telling when a radio starts or stops periodic reporting.</summary>
    public (IReadOnlyList<FieldRadioReception> Received, IReadOnlyList<MmdvmDmrFrame> Answers) OnHostBurst(MmdvmDmrFrame frame, out IReadOnlyList<PeriodicReporting> reporting)
    {
        var triggers = new List<PeriodicReporting>();
        reporting = triggers;
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.IsDataSync || !DmrBurst.TryReadSlotType(frame.Burst, out _, out var type, out _))
        {
            return ([], []);
        }

        var info = new byte[12];
        var corrected = DmrBurst.ReadBptcInfo(frame.Burst, info);
        var assembler = _assemblers[frame.Slot - 1];
        switch (type)
        {
            case DmrDataType.Csbk when corrected >= 0 && Csbk.Decode(info, out _) is { Opcode: Csbk.RadioCheck } check:
                if (silentUnits.Contains(check.TargetId))
                {
                    return ([new FieldRadioReception(check.TargetId, "radio-check (silent)", null)], []);
                }

                var reply = Csbk.Addressed(Csbk.RadioCheck, 0x00, check.SourceId, check.TargetId, octet2: 0x80);
                return ([new FieldRadioReception(check.TargetId, "radio-check", null)], [DataCallBursts.ControlBlock(frame.Slot, colourCode, DmrSyncPattern.MsSourcedData, reply)]);
            case DmrDataType.DataHeader when corrected >= 0 && DataHeader.Decode(info, out _) is { } header:
                return Answer(frame.Slot, assembler.OnHeader(header), triggers);
            case DmrDataType.Rate12Data when assembler.OnRate12Block(info, corrected < 0) is { } packet:
                return Answer(frame.Slot, [packet], triggers);
            default:
                return ([], []);
        }
    }

    private (IReadOnlyList<FieldRadioReception>, IReadOnlyList<MmdvmDmrFrame>) Answer(int slot, IReadOnlyList<DataPacket> packets, List<PeriodicReporting> triggers)
    {
        var received = new List<FieldRadioReception>();
        var answers = new List<MmdvmDmrFrame>();
        foreach (var packet in packets.Where(p => p.IsIntact))
        {
            if (UdpOverDmr.Decode(packet.Header, packet.UserData, out _) is not { } datagram)
            {
                continue;
            }

            var unit = datagram.DestinationId;
            var gateway = datagram.SourceId;
            var payload = new ArrayBufferWriter<byte>(128);
            var input = new ReadOnlySequence<byte>(datagram.Payload);
            string what;
            string? text = null;
            switch (datagram.DestinationPort)
            {
                case Tms.Port when Tms.TryDecode(input, out var tms, out _, out _) == DecodeStatus.Done && tms!.Type == TmsPduType.SimpleText:
                    what = "tms text";
                    text = tms.Text;
                    if (tms.AckRequested && tms.SequenceNumber is { } sequence)
                    {
                        Tms.WriteAcknowledgement(payload, sequence);
                    }

                    break;
                case Lrrp.Port when Lrrp.TryDecode(input, out var lrrp, out _, out _) == DecodeStatus.Done:
                    what = "lrrp " + lrrp!.Document;
                    switch (lrrp.Document)
                    {
                        case LrrpDocument.ImmediateRequest:
                            Lrrp.WriteReport(payload, LrrpDocument.ImmediateReport, lrrp.RequestId, PositionOf(unit));
                            break;
                        case LrrpDocument.TriggeredRequest:
                            // The first report answers the request; more follow every interval until stopped.
                            Lrrp.WriteReport(payload, LrrpDocument.TriggeredReport, lrrp.RequestId, PositionOf(unit));
                            if (lrrp.IntervalSeconds is > 0 and var interval && !silentUnits.Contains(unit))
                            {
                                var (reportUnit, reportGateway, requestId) = (unit, gateway, lrrp.RequestId);
                                triggers.Add(new PeriodicReporting($"lrrp:{unit}:{lrrp.RequestIdHex}", TimeSpan.FromSeconds(interval), () => Report(slot, reportUnit, reportGateway, Lrrp.Port, b => Lrrp.WriteReport(b, LrrpDocument.TriggeredReport, requestId, PositionOf(reportUnit)))));
                            }

                            break;
                        case LrrpDocument.StopRequest:
                            Lrrp.WriteAnswer(payload, LrrpDocument.StopAnswer, lrrp.RequestId, resultCode: 0);
                            triggers.Add(new PeriodicReporting($"lrrp:{unit}:{lrrp.RequestIdHex}", null, () => []));
                            break;
                    }

                    break;
                case HyteraPorts.TextMessage or HyteraPorts.Location when Hdap.TryDecode(input, out var hdap, out _, out _) == DecodeStatus.Done:
                    what = "hytera " + hdap!.Service;
                    if (HyteraTmp.TryDecode(hdap, out var tmp, out _) == DecodeStatus.Done && tmp is { IsText: true })
                    {
                        text = tmp.Text;
                        unit = tmp.DestinationId;
                        if (tmp.Confirmed)
                        {
                            HyteraTmp.WriteAck(payload, group: false, tmp.RequestId, tmp.SourceId, tmp.DestinationId);
                        }
                    }
                    else if (HyteraLp.TryDecode(hdap, out var lp, out _) == DecodeStatus.Done && lp is { Opcode: HyteraLp.StandardRequest or HyteraLp.TriggeredRequest })
                    {
                        unit = lp.RadioId;
                        HyteraLp.WriteReport(payload, lp.Opcode == HyteraLp.StandardRequest ? HyteraLp.StandardReport : HyteraLp.TriggeredReport, lp.RequestId, unit, PositionOf(unit));
                        if (lp.IntervalSeconds is > 0 and var interval && !silentUnits.Contains(unit))
                        {
                            var (reportUnit, reportGateway, requestId) = (unit, gateway, lp.RequestId);
                            triggers.Add(new PeriodicReporting($"hytera-lp:{unit}:{lp.RequestId}", TimeSpan.FromSeconds(interval), () => Report(slot, reportUnit, reportGateway, HyteraPorts.Location, b => HyteraLp.WriteReport(b, HyteraLp.TriggeredReport, requestId, reportUnit, PositionOf(reportUnit)))));
                        }
                    }
                    else if (HyteraLp.TryDecode(hdap, out var stop, out _) == DecodeStatus.Done && stop is { Opcode: HyteraLp.TriggeredStopRequest })
                    {
                        unit = stop.RadioId;
                        HyteraLp.WriteStop(payload, HyteraLp.TriggeredStopAnswer, stop.RequestId, unit);
                        triggers.Add(new PeriodicReporting($"hytera-lp:{unit}:{stop.RequestId}", null, () => []));
                    }

                    break;
                default:
                    continue;
            }

            var silent = silentUnits.Contains(unit);
            if (!silent && packet.Header.Format == DataPacketFormat.Confirmed)
            {
                // Link layer first: the response packet confirming every block (TS 102 361-1 §9.2.7).
                answers.Add(DataCallBursts.Acknowledgement(slot, colourCode, DmrSyncPattern.MsSourcedData, packet.Header.Destination, packet.Header.Source, packet.Header.SendSequence));
            }

            received.Add(new FieldRadioReception(unit, silent ? what + " (silent)" : what, text));
            if (!silent && payload.WrittenCount > 0)
            {
                answers.AddRange(DataCallBursts.Udp(slot, colourCode, DmrSyncPattern.MsSourcedData, unit, gateway, groupTarget: false, datagram.DestinationPort, payload.WrittenSpan, identification: (ushort)unit));
            }
        }

        return (received, answers);
    }

    private IReadOnlyList<MmdvmDmrFrame> Report(int slot, uint unit, uint gateway, int port, Action<IBufferWriter<byte>> write)
    {
        var payload = new ArrayBufferWriter<byte>(128);
        write(payload);
        return DataCallBursts.Udp(slot, colourCode, DmrSyncPattern.MsSourcedData, unit, gateway, groupTarget: false, port, payload.WrittenSpan, identification: (ushort)unit);
    }

    /// <summary>Where a unit is: on its default route, else near Tehran.</summary>
    private GeoFix PositionOf(uint unit)
    {
        var route = Scenario.DefaultRoutes.FirstOrDefault(r => r.Unit == unit);
        var (latitude, longitude) = route.Unit == unit ? (route.Latitude, route.Longitude) : (35.70 + (unit % 100 * 0.001), 51.40 + (unit % 100 * 0.001));
        // GPS fixes come in whole seconds (LRRP info-time, Hytera hhmmss).
        var now = time.GetUtcNow();
        return new GeoFix(latitude, longitude, SpeedKmh: 0, HeadingDeg: 0, FixTime: now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond)));
    }
}
