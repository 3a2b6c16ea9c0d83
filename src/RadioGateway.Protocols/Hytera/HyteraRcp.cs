using System.Buffers;
using System.Buffers.Binary;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Hytera;

/// <summary>The answer of a control-station radio to a Radio ID / Radio IP query (RCP 0x8452).</summary>
/// <param name="Result">0 success, 1 failure.</param>
/// <param name="Target">0: the value is the radio id; 1: its radio IP.</param>
/// <param name="Value">The radio id (little-endian on the wire) or the radio IP as a 32-bit number.</param>
public sealed record HyteraRcpRadioIdReply(int Result, int Target, uint Value);

/// <summary>
/// Hytera Radio Control Protocol (HDAP service 0x02, little-endian opcode and length) as far as the control-station
/// link uses it: the Radio ID / Radio IP query (0x0452 → 0x8452: result, target, 4-octet value), which the gateway
/// sends as its keepalive because the radio must answer it. Opcodes as listed by OK-DMR/ok-dmrlib
/// radio_control_protocol.py (RadioIDAndRadioIPQueryRequest/Reply).
/// </summary>
public static class HyteraRcp
{
    public const ushort RadioIdQueryRequest = 0x0452;
    public const ushort RadioIdQueryReply = 0x8452;

    /// <summary>Query target: the radio id.</summary>
    public const byte RadioIdTarget = 0x00;

    public static void WriteRadioIdQuery(IBufferWriter<byte> output, byte target = RadioIdTarget) =>
        Hdap.Write(output, HdapService.RadioControl, reliable: false, RadioIdQueryRequest, [target]);

    public static void WriteRadioIdReply(IBufferWriter<byte> output, uint radioId, byte target = RadioIdTarget, int result = 0)
    {
        Span<byte> payload = stackalloc byte[6];
        payload[0] = (byte)result;
        payload[1] = target;
        BinaryPrimitives.WriteUInt32LittleEndian(payload[2..], radioId);
        Hdap.Write(output, HdapService.RadioControl, reliable: false, RadioIdQueryReply, payload);
    }

    /// <summary>Decodes a Radio ID / IP query reply in a whole HDAP message; Invalid with the payload offset and what is wrong otherwise.</summary>
    public static DecodeStatus TryDecodeRadioIdReply(HdapMessage message, out HyteraRcpRadioIdReply? reply, out DecodeError error)
    {
        ArgumentNullException.ThrowIfNull(message);
        reply = null;
        error = default;
        if (message.Service != HdapService.RadioControl || message.Opcode != RadioIdQueryReply)
        {
            error = new DecodeError(0, $"{message.Service} 0x{message.Opcode:X4} is not an RCP radio id reply (0x{RadioIdQueryReply:X4})");
            return DecodeStatus.Invalid;
        }

        if (message.Payload.Length < 6)
        {
            error = new DecodeError(message.Payload.Length, $"RCP radio id reply of {message.Payload.Length} octets is shorter than result, target and value (6)");
            return DecodeStatus.Invalid;
        }

        reply = new HyteraRcpRadioIdReply(message.Payload[0], message.Payload[1], BinaryPrimitives.ReadUInt32LittleEndian(message.Payload.AsSpan(2)));
        return DecodeStatus.Done;
    }
}
