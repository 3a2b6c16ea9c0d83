using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Core.ControlStations.Motorola;

/// <summary>
/// Commands for radios behind a MOTOTRBO control station, as datagrams to their CAI addresses: TMS texts with
/// acknowledgement (unacknowledged to a group's address), LRRP immediate, triggered and stop requests (the trigger
/// and its stop share <see cref="CommandEncoder.TriggerId"/>). The radio's own stack confirms the data call, so there
/// is no link-layer key. A radio check is not a data service and is refused; so is any id outside 24 bits.
/// </summary>
public sealed class MotorolaCommandEncoder(MotorolaStationSettings settings) : ICommandEncoder
{
    public Transmission Encode(CommandRequest request, uint sequence, Crc9BitOrder crc9Order = Crc9BitOrder.MsbFirst)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind == CommandKind.RadioCheck)
        {
            return Refuse("rejected: a radio check is a control signal, not a data service; a MOTOTRBO control station's IP stack cannot send one", "csbk");
        }

        if (request.Target is 0 or > CaiNetworks.MaxId)
        {
            return Refuse($"rejected: {request.Target} is not a 24-bit radio or group id, so it has no address on {settings.Networks}", "ip");
        }

        var group = request.TargetType == TargetType.Group;
        var payload = new ArrayBufferWriter<byte>(128);
        if (request.Kind == CommandKind.Text)
        {
            var tmsSequence = (int)(sequence & 0x7F);
            Tms.WriteText(payload, request.Text!, tmsSequence, ackRequested: !group);
            var address = group ? settings.Networks.GroupAddress(request.Target) : settings.Networks.UnitAddress(request.Target);
            return Datagram(new IPEndPoint(address, settings.TmsPort), payload, "tms", group ? null : AnswerKeys.Tms(request.Target, tmsSequence));
        }

        var requestId = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(requestId, request.Stop || request.IntervalSeconds > 0 ? CommandEncoder.TriggerId(request.Target) : sequence);
        if (request.Stop)
        {
            Lrrp.WriteStopRequest(payload, requestId);
        }
        else if (request.IntervalSeconds > 0)
        {
            Lrrp.WriteTriggeredRequest(payload, requestId, request.IntervalSeconds);
        }
        else
        {
            Lrrp.WriteImmediateRequest(payload, requestId);
        }

        return Datagram(new IPEndPoint(settings.Networks.UnitAddress(request.Target), settings.LrrpPort), payload, "lrrp", AnswerKeys.Lrrp(request.Target, Convert.ToHexString(requestId)));
    }

    private static Transmission Datagram(IPEndPoint destination, ArrayBufferWriter<byte> payload, string protocol, string? answerKey) =>
        new([], answerKey, protocol) { Datagrams = [new ControlStationDatagram(destination, payload.WrittenSpan.ToArray(), protocol)] };

    private static Transmission Refuse(string reason, string protocol) => new([], null, protocol) { Refused = reason };
}
