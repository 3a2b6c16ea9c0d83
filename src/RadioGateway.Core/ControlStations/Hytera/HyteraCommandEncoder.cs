using System.Buffers;
using System.Net;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Hytera;

namespace RadioGateway.Core.ControlStations.Hytera;

/// <summary>
/// Commands for radios behind a Hytera control station, as HDAP messages the radio puts on the air: TMP texts
/// confirmed (unconfirmed to a group), LP standard, triggered and stop requests (the trigger and its stop share
/// <see cref="CommandEncoder.TriggerId"/>). Each goes as one datagram labelled with the radio IP and service port;
/// the station wraps it in an HRNP DATA frame. A radio check is not a data service and is refused; so is any id
/// outside 24 bits.
/// </summary>
public sealed class HyteraCommandEncoder(HyteraStationSettings settings) : ICommandEncoder
{
    public Transmission Encode(CommandRequest request, uint sequence, Crc9BitOrder crc9Order = Crc9BitOrder.MsbFirst)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind == CommandKind.RadioCheck)
        {
            return Refuse("rejected: a radio check is a control signal, not a data service; a Hytera control station's HDAP link cannot send one", "csbk");
        }

        if (request.Target is 0 or > 0xFFFFFF)
        {
            return Refuse($"rejected: {request.Target} is not a 24-bit radio or group id, so it has no radio IP", "ip");
        }

        var group = request.TargetType == TargetType.Group;
        var payload = new ArrayBufferWriter<byte>(128);
        if (request.Kind == CommandKind.Text)
        {
            HyteraTmp.WriteText(payload, group, confirmed: !group, sequence, request.Target, settings.DispatcherId, request.Text!, settings.RadioSubnet);
            var address = group ? HyteraStationSettings.GroupAddress(request.Target) : settings.UnitAddress(request.Target);
            return Datagram(new IPEndPoint(address, HyteraPorts.TextMessage), payload, "hytera-tmp", group ? null : AnswerKeys.HyteraTmp(request.Target, sequence));
        }

        var requestId = request.Stop || request.IntervalSeconds > 0 ? CommandEncoder.TriggerId(request.Target) : sequence;
        if (request.Stop)
        {
            HyteraLp.WriteStop(payload, HyteraLp.TriggeredStopRequest, requestId, request.Target, subnet: settings.RadioSubnet);
        }
        else if (request.IntervalSeconds > 0)
        {
            HyteraLp.WriteTriggeredRequest(payload, requestId, request.Target, request.IntervalSeconds, settings.RadioSubnet);
        }
        else
        {
            HyteraLp.WriteStandardRequest(payload, requestId, request.Target, settings.RadioSubnet);
        }

        return Datagram(new IPEndPoint(settings.UnitAddress(request.Target), HyteraPorts.Location), payload, "hytera-lp", AnswerKeys.HyteraLp(request.Target, requestId));
    }

    private static Transmission Datagram(IPEndPoint destination, ArrayBufferWriter<byte> payload, string protocol, string? answerKey) =>
        new([], answerKey, protocol) { Datagrams = [new ControlStationDatagram(destination, payload.WrittenSpan.ToArray(), protocol)] };

    private static Transmission Refuse(string reason, string protocol) => new([], null, protocol) { Refused = reason };
}
