using System.Buffers;
using System.Buffers.Binary;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Hytera;

/// <summary>HDAP service types (low 7 bits of the first octet; bit 7 = reliable).</summary>
public enum HdapService : byte
{
    RadioControl = 0x02,
    Location = 0x08,
    TextMessage = 0x09,
    RadioRegistration = 0x11,
    Telemetry = 0x12,
    DataTransmit = 0x13,
}

/// <summary>One HDAP message: service, reliability flag, 16-bit opcode and payload (checksum and end mark verified).</summary>
public sealed record HdapMessage(HdapService Service, bool Reliable, ushort Opcode, byte[] Payload);

/// <summary>
/// Hytera DMR Application Protocol envelope, the payload of HRNP data frames and of Hytera data calls:
/// service octet, opcode (2), payload length (2), payload, checksum, 0x03. Opcode and length are big-endian
/// except in RCP, which is little-endian. Checksum = (~Σ octets from the opcode to the payload end) + 0x33.
/// </summary>
public static class Hdap
{
    public const byte EndMark = 0x03;

    /// <summary>Longest payload accepted (DMR data calls and HRNP frames carry well under this).</summary>
    public const int MaxPayload = 1400;

    public static DecodeStatus TryDecode(ReadOnlySequence<byte> input, out HdapMessage? message, out int consumed, out DecodeError error)
    {
        message = null;
        consumed = 0;
        error = default;
        if (input.Length < 5)
        {
            return input.Length > 0 && !IsKnownService(input.FirstSpan[0]) ? Invalid(input.FirstSpan[0], out error) : DecodeStatus.NeedMoreData;
        }

        Span<byte> head = stackalloc byte[5];
        input.Slice(0, 5).CopyTo(head);
        if (!IsKnownService(head[0]))
        {
            return Invalid(head[0], out error);
        }

        var service = (HdapService)(head[0] & 0x7F);
        var littleEndian = service == HdapService.RadioControl;
        var opcode = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(head[1..]) : BinaryPrimitives.ReadUInt16BigEndian(head[1..]);
        var length = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(head[3..]) : BinaryPrimitives.ReadUInt16BigEndian(head[3..]);
        if (length > MaxPayload)
        {
            error = new DecodeError(3, $"HDAP payload length {length} exceeds {MaxPayload}");
            return DecodeStatus.Invalid;
        }

        var total = 5 + length + 2;
        if (input.Length < total)
        {
            return DecodeStatus.NeedMoreData;
        }

        var bytes = input.Slice(0, total).ToArray();
        var expected = Checksum(bytes.AsSpan(1, 4 + length));
        if (bytes[total - 2] != expected)
        {
            error = new DecodeError(total - 2, $"HDAP checksum 0x{bytes[total - 2]:X2}, expected 0x{expected:X2}");
            return DecodeStatus.Invalid;
        }

        if (bytes[total - 1] != EndMark)
        {
            error = new DecodeError(total - 1, $"HDAP end mark 0x{bytes[total - 1]:X2}, expected 0x03");
            return DecodeStatus.Invalid;
        }

        message = new HdapMessage(service, (head[0] & 0x80) != 0, opcode, bytes[5..(5 + length)]);
        consumed = total;
        return DecodeStatus.Done;
    }

    public static void Write(IBufferWriter<byte> output, HdapService service, bool reliable, ushort opcode, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, MaxPayload);
        var total = 5 + payload.Length + 2;
        var span = output.GetSpan(total);
        span[0] = (byte)((byte)service | (reliable ? 0x80 : 0));
        if (service == HdapService.RadioControl)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[1..], opcode);
            BinaryPrimitives.WriteUInt16LittleEndian(span[3..], (ushort)payload.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], opcode);
            BinaryPrimitives.WriteUInt16BigEndian(span[3..], (ushort)payload.Length);
        }

        payload.CopyTo(span[5..]);
        span[total - 2] = Checksum(span.Slice(1, 4 + payload.Length));
        span[total - 1] = EndMark;
        output.Advance(total);
    }

    /// <summary>Radio id of a Hytera radio IP (subnet octet, then the 24-bit id).</summary>
    public static uint RadioId(ReadOnlySpan<byte> ip) => (uint)((ip[1] << 16) | (ip[2] << 8) | ip[3]);

    public static void WriteRadioIp(Span<byte> destination, uint radioId, byte subnet = 10)
    {
        destination[0] = subnet;
        destination[1] = (byte)(radioId >> 16);
        destination[2] = (byte)(radioId >> 8);
        destination[3] = (byte)radioId;
    }

    private static byte Checksum(ReadOnlySpan<byte> bytes)
    {
        var sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }

        return (byte)(~sum + 0x33);
    }

    private static bool IsKnownService(byte first) => Enum.IsDefined((HdapService)(first & 0x7F));

    private static DecodeStatus Invalid(byte first, out DecodeError error)
    {
        error = new DecodeError(0, $"0x{first & 0x7F:X2} is not an HDAP service (RCP 0x02, LP 0x08, TMP 0x09, RRS 0x11, …)");
        return DecodeStatus.Invalid;
    }
}

/// <summary>UDP ports Hytera radios use for their HDAP services over DMR data.</summary>
public static class HyteraPorts
{
    public const int RadioRegistration = 3002;
    public const int Location = 3003;
    public const int TextMessage = 3004;
}
