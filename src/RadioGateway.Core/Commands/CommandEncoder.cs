using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Core.Commands;

/// <summary>
/// What goes on the air for a command, the answer key that would mean "delivered" (null: no answer exists, e.g. a
/// group text), and for confirmed data the key of the radio's link-layer acknowledgement (null: unconfirmed).
/// </summary>
public sealed record Transmission(IReadOnlyList<SlotBurst> Bursts, string? AnswerKey, string Protocol, string? LinkAcknowledgementKey = null)
{
    /// <summary>One burst per 60 ms TDMA frame on the slot, or the data calls of the datagrams.</summary>
    public TimeSpan Airtime => GuardedTransmitter.Airtime(Bursts) + Datagrams.Aggregate(TimeSpan.Zero, (sum, d) => sum + d.Airtime);

    /// <summary>For a control-station radio: the datagrams its IP stack sends instead of bursts (each one a transmission).</summary>
    public IReadOnlyList<ControlStations.ControlStationDatagram> Datagrams { get; init; } = [];

    /// <summary>Why the command cannot go out at all through this radio (nothing is keyed); null when it can.</summary>
    public string? Refused { get; init; }
}

/// <summary>Turns a command into what one kind of radio puts on the air (bursts for an MMDVM modem, datagrams for a control station).</summary>
public interface ICommandEncoder
{
    /// <param name="sequence">A number unique per command (request ids, sequence numbers are taken from it).</param>
    /// <param name="crc9Order">Bit order of the CRC-9 in confirmed blocks, where the encoder builds them.</param>
    Transmission Encode(CommandRequest request, uint sequence, Crc9BitOrder crc9Order = Crc9BitOrder.MsbFirst);
}

/// <summary>
/// Encodes commands for the target radio, by the roster's data protocol: MOTOTRBO (TMS text with
/// acknowledgement, LRRP immediate/triggered/stop requests) or Hytera (TMP text confirmed, LP standard/triggered
/// requests); groups get an unacknowledged TMS text; radio checks are a CSBK. Data to a unit goes as a confirmed
/// packet (the radio answers with a response packet; the dispatcher resends without one). Keys match <see cref="AnswerKeys"/>.
/// </summary>
public sealed class CommandEncoder(uint gatewayRadioId, UnitRoster roster, byte colourCode, int slot) : ICommandEncoder
{
    public int Slot => slot;

    /// <param name="sequence">A number unique per command (request ids, TMS sequence numbers are taken from it).</param>
    /// <param name="crc9Order">Bit order of the CRC-9 in confirmed blocks (the network's, see <see cref="Crc9OrderSelector"/>).</param>
    public Transmission Encode(CommandRequest request, uint sequence, Crc9BitOrder crc9Order = Crc9BitOrder.MsbFirst)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hytera = request.TargetType == TargetType.Unit && roster.Find(request.Target)?.DataProtocol == UnitDataProtocol.Hytera;
        var payload = new ArrayBufferWriter<byte>(128);
        int port;
        string? key;
        string protocol;
        switch (request.Kind)
        {
            case CommandKind.Text when hytera:
                protocol = "hytera-tmp";
                port = HyteraPorts.TextMessage;
                HyteraTmp.WriteText(payload, group: false, confirmed: true, sequence, request.Target, gatewayRadioId, request.Text!);
                key = AnswerKeys.HyteraTmp(request.Target, sequence);
                break;
            case CommandKind.Text:
                protocol = "tms";
                port = Tms.Port;
                var group = request.TargetType == TargetType.Group;
                var tmsSequence = (int)(sequence & 0x7F);
                Tms.WriteText(payload, request.Text!, tmsSequence, ackRequested: !group);
                key = group ? null : AnswerKeys.Tms(request.Target, tmsSequence);
                return new Transmission(Udp(request.Target, group, port, payload.WrittenSpan, sequence, crc9Order), key, protocol, group ? null : AnswerKeys.DataAcknowledgement(request.Target));
            case CommandKind.Locate when hytera:
                protocol = "hytera-lp";
                // A trigger and the stop that ends it share one request id, so the radio knows which to end.
                sequence = request.Stop || request.IntervalSeconds > 0 ? TriggerId(request.Target) : sequence;
                port = HyteraPorts.Location;
                if (request.Stop)
                {
                    HyteraLp.WriteStop(payload, HyteraLp.TriggeredStopRequest, sequence, request.Target);
                }
                else if (request.IntervalSeconds > 0)
                {
                    HyteraLp.WriteTriggeredRequest(payload, sequence, request.Target, request.IntervalSeconds);
                }
                else
                {
                    HyteraLp.WriteStandardRequest(payload, sequence, request.Target);
                }

                key = AnswerKeys.HyteraLp(request.Target, sequence);
                break;
            case CommandKind.Locate:
                protocol = "lrrp";
                port = Lrrp.Port;
                var requestId = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(requestId, request.Stop || request.IntervalSeconds > 0 ? TriggerId(request.Target) : sequence);
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

                key = AnswerKeys.Lrrp(request.Target, Convert.ToHexString(requestId));
                break;
            default:
                var check = Csbk.Addressed(Csbk.RadioCheck, 0x00, request.Target, gatewayRadioId);
                return new Transmission([DataCallBursts.ControlBlock(slot, colourCode, DmrSyncPattern.BsSourcedData, check)], AnswerKeys.RadioCheck(request.Target), "csbk");
        }

        return new Transmission(Udp(request.Target, false, port, payload.WrittenSpan, sequence, crc9Order), key, protocol, AnswerKeys.DataAcknowledgement(request.Target));
    }

    /// <summary>The request id of a unit's periodic location trigger: fixed per unit (high bit set, never a sequence number).</summary>
    public static uint TriggerId(uint unit) => 0x80000000 | unit;

    private IReadOnlyList<SlotBurst> Udp(uint target, bool group, int port, ReadOnlySpan<byte> payload, uint sequence, Crc9BitOrder crc9Order) =>
        DataCallBursts.Udp(slot, colourCode, DmrSyncPattern.BsSourcedData, gatewayRadioId, target, group, port, payload, identification: (ushort)sequence, confirmed: !group, crc9Order: crc9Order);
}
