using System.Buffers;
using System.Buffers.Binary;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Motorola;

/// <summary>The 2-octet big-endian length that opens every ARS and TMS PDU.</summary>
internal static class LengthPrefixed
{
    public delegate T? PduParser<T>(ReadOnlySpan<byte> pdu, out DecodeError error);

    /// <summary>Frames one PDU and parses it; the shared <c>TryDecode</c> of ARS and TMS.</summary>
    public static DecodeStatus TryDecode<T>(ReadOnlySequence<byte> input, int maxLength, string service, PduParser<T> parse, out T? message, out int consumed, out DecodeError error)
        where T : class
    {
        message = null;
        var status = TryFrame(input, maxLength, service, out var pdu, out consumed, out error);
        if (status != DecodeStatus.Done)
        {
            return status;
        }

        message = parse(pdu, out error);
        if (message is null)
        {
            consumed = 0;
            return DecodeStatus.Invalid;
        }

        return DecodeStatus.Done;
    }

    /// <summary>Cuts one PDU (without its length) from the front of <paramref name="input"/>, bounding the length first.</summary>
    public static DecodeStatus TryFrame(ReadOnlySequence<byte> input, int maxLength, string service, out byte[] pdu, out int consumed, out DecodeError error)
    {
        pdu = [];
        consumed = 0;
        error = default;
        if (input.Length < 2)
        {
            return DecodeStatus.NeedMoreData;
        }

        Span<byte> lengthBytes = stackalloc byte[2];
        input.Slice(0, 2).CopyTo(lengthBytes);
        var length = BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
        if (length == 0 || length > maxLength)
        {
            error = new DecodeError(0, $"{service} length {length} is outside 1..{maxLength}");
            return DecodeStatus.Invalid;
        }

        if (input.Length < 2 + length)
        {
            return DecodeStatus.NeedMoreData;
        }

        pdu = input.Slice(2, length).ToArray();
        consumed = 2 + length;
        return DecodeStatus.Done;
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> pdu)
    {
        var span = output.GetSpan(2);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)pdu.Length);
        output.Advance(2);
        output.Write(pdu);
    }
}
