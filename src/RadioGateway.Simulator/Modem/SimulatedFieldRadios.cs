using System.Buffers;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Simulator.Scenarios;

namespace RadioGateway.Simulator.Modem;

/// <summary>Something a simulated radio received from the gateway, for logs and tests.</summary>
public sealed record FieldRadioReception(uint Unit, string What, string? Text);

/// <summary>A radio starts (<see cref="Interval"/> set) or stops (null) periodic location reports for a trigger.</summary>
public sealed record PeriodicReporting(string Trigger, TimeSpan? Interval, Func<IReadOnlyList<SlotBurst>> Report);

/// <summary>
/// The field radios behind the simulated base station, on the receiving end of what the gateway transmits: they
/// hear it through the same slot receiver the gateway uses, and answer like real radios — response packets
/// to confirmed data, TMS and Hytera TMP acknowledgements, LRRP and Hytera LP reports, radio-check replies —
/// except the units told to stay silent.
/// </summary>
public sealed class SimulatedFieldRadios(byte colourCode, IReadOnlySet<uint> silentUnits, TimeProvider time)
{
    private readonly DmrSlotReceiver[] _receivers = [new(1, colourCode), new(2, colourCode)];

    /// <summary>Takes one burst the host transmitted; returns what the radios received and the bursts of their answers.</summary>
    public (IReadOnlyList<FieldRadioReception> Received, IReadOnlyList<SlotBurst> Answers) OnHostBurst(SlotBurst burst) => OnHostBurst(burst, out _);

    /// <summary>As above, also telling when a radio starts or stops periodic reporting.</summary>
    public (IReadOnlyList<FieldRadioReception> Received, IReadOnlyList<SlotBurst> Answers) OnHostBurst(SlotBurst burst, out IReadOnlyList<PeriodicReporting> reporting)
    {
        var triggers = new List<PeriodicReporting>();
        reporting = triggers;
        var received = new List<FieldRadioReception>();
        var answers = new List<SlotBurst>();
        foreach (ref readonly var item in _receivers[burst.Slot - 1].Receive(burst))
        {
            switch (item.Kind)
            {
                case SlotItemKind.Csbk when item.Csbk is { Opcode: Csbk.RadioCheck } check:
                    if (silentUnits.Contains(check.TargetId))
                    {
                        received.Add(new FieldRadioReception(check.TargetId, "radio-check (silent)", null));
                        break;
                    }

                    var reply = Csbk.Addressed(Csbk.RadioCheck, 0x00, check.SourceId, check.TargetId, octet2: 0x80);
                    received.Add(new FieldRadioReception(check.TargetId, "radio-check", null));
                    answers.Add(DataCallBursts.ControlBlock(burst.Slot, colourCode, DmrSyncPattern.MsSourcedData, reply));
                    break;
                case SlotItemKind.DataPacket when item.Service is { Datagram: not null } service:
                    Answer(burst.Slot, item.Packet!.Header, service, received, answers, triggers);
                    break;
            }
        }

        return (received, answers);
    }

    private void Answer(int slot, DataHeader header, DataServiceContent service, List<FieldRadioReception> received, List<SlotBurst> answers, List<PeriodicReporting> triggers)
    {
        var datagram = service.Datagram!;
        var unit = datagram.DestinationId;
        var gateway = datagram.SourceId;
        var payload = new ArrayBufferWriter<byte>(128);
        string what;
        string? text = null;
        switch (service)
        {
            case { Tms: { Type: TmsPduType.SimpleText } tms }:
                what = "tms text";
                text = tms.Text;
                if (tms.AckRequested && tms.SequenceNumber is { } sequence)
                {
                    Tms.WriteAcknowledgement(payload, sequence);
                }

                break;
            case { Lrrp: { } lrrp }:
                what = "lrrp " + lrrp.Document;
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
            case { Hdap: { } hdap, Port: HyteraPorts.TextMessage or HyteraPorts.Location }:
                what = "hytera " + hdap.Service;
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
                return;
        }

        var silent = silentUnits.Contains(unit);
        if (!silent && header.Format == DataPacketFormat.Confirmed)
        {
            // Link layer first: the response packet confirming every block (TS 102 361-1 §9.2.7).
            answers.Add(DataCallBursts.Acknowledgement(slot, colourCode, DmrSyncPattern.MsSourcedData, header.Destination, header.Source, header.SendSequence));
        }

        received.Add(new FieldRadioReception(unit, silent ? what + " (silent)" : what, text));
        if (!silent && payload.WrittenCount > 0)
        {
            answers.AddRange(DataCallBursts.Udp(slot, colourCode, DmrSyncPattern.MsSourcedData, unit, gateway, groupTarget: false, datagram.DestinationPort, payload.WrittenSpan, identification: (ushort)unit));
        }
    }

    private IReadOnlyList<SlotBurst> Report(int slot, uint unit, uint gateway, int port, Action<IBufferWriter<byte>> write)
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
