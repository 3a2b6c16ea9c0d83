using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Motorola;

public enum TmsPduType
{
    SimpleText,
    ServiceAvailability,
    Acknowledgement,
}

/// <summary>A MOTOTRBO TMS PDU.</summary>
/// <param name="Type">Text, acknowledgement or service availability.</param>
/// <param name="AckRequested">The sender wants a TMS acknowledgement.</param>
/// <param name="SequenceNumber">0–127, ties an acknowledgement to its text; null when absent.</param>
/// <param name="Text">The message text (texts only).</param>
/// <param name="Address">Optional address field (e.g. an e-mail or console address), raw.</param>
/// <param name="Encoding">Encoding code of the text (4 = UCS-2 little-endian, the default).</param>
public sealed record TmsMessage(TmsPduType Type, bool AckRequested, int? SequenceNumber, string? Text, byte[] Address, int Encoding = Tms.Ucs2LittleEndian);

/// <summary>
/// Motorola Text Messaging Service (UDP 4007): a 2-octet length, a first header (bit 7 more headers, bit 6
/// acknowledgement requested, bit 4 control, bits 3–0 PDU type), an address length and address, then for
/// texts and acknowledgements the sequence-number headers and, for texts, UCS-2 little-endian text.
/// </summary>
public static class Tms
{
    public const int Port = 4007;

    /// <summary>Encoding code for UCS-2 little-endian.</summary>
    public const int Ucs2LittleEndian = 0x04;

    /// <summary>Longest PDU accepted (a DMR packet carries at most ~1.5 kB).</summary>
    public const int MaxLength = 1500;

    /// <summary>Most UTF-16 code units a text may have so the whole packet fits one rate ½ data call.</summary>
    public const int MaxTextUnits = 700;

    public static DecodeStatus TryDecode(ReadOnlySequence<byte> input, out TmsMessage? message, out int consumed, out DecodeError error) =>
        LengthPrefixed.TryDecode<TmsMessage>(input, MaxLength, "TMS", Parse, out message, out consumed, out error);

    private static TmsMessage? Parse(ReadOnlySpan<byte> pdu, out DecodeError error)
    {
        error = default;
        var first = pdu[0];
        var moreHeaders = (first & 0x80) != 0;
        var ackRequested = (first & 0x40) != 0;
        var control = (first & 0x10) != 0;
        var pduType = first & 0x0F;
        TmsPduType type;
        switch ((control, pduType))
        {
            case (false, 0x0):
                type = TmsPduType.SimpleText;
                break;
            case (true, 0x0):
                type = TmsPduType.ServiceAvailability;
                break;
            case (true, 0xF):
                type = TmsPduType.Acknowledgement;
                break;
            default:
                error = new DecodeError(2, $"TMS PDU type 0x{pduType:X} (control {control}) is not text, acknowledgement or availability");
                return null;
        }

        if (pdu.Length < 2)
        {
            error = new DecodeError(3, "TMS PDU ends before its address length");
            return null;
        }

        var addressLength = pdu[1];
        var position = 2 + addressLength;
        if (position > pdu.Length)
        {
            error = new DecodeError(3, $"address of {addressLength} octets runs past the PDU ({pdu.Length} octets)");
            return null;
        }

        var address = pdu[2..position].ToArray();
        int? sequence = null;
        var encoding = Ucs2LittleEndian;
        if (type == TmsPduType.ServiceAvailability)
        {
            return new TmsMessage(type, ackRequested, null, null, address);
        }

        if (moreHeaders)
        {
            if (position >= pdu.Length)
            {
                error = new DecodeError(2 + position, "sequence-number header missing");
                return null;
            }

            var low = pdu[position++];
            sequence = low & 0x1F;
            if ((low & 0x80) != 0)
            {
                if (position >= pdu.Length)
                {
                    error = new DecodeError(2 + position, "second sequence-number header missing");
                    return null;
                }

                var high = pdu[position++];
                sequence |= high & 0x60;
                if (type == TmsPduType.SimpleText && (high & 0x1F) != 0)
                {
                    encoding = high & 0x1F;
                }
            }
        }

        if (type == TmsPduType.Acknowledgement)
        {
            return new TmsMessage(type, ackRequested, sequence, null, address);
        }

        var textBytes = pdu[position..];
        if (encoding != Ucs2LittleEndian)
        {
            error = new DecodeError(2 + position - 1, $"text encoding 0x{encoding:X2} is not UCS-2 little-endian (0x04), the only one MOTOTRBO radios send");
            return null;
        }

        if (textBytes.Length % 2 != 0)
        {
            error = new DecodeError(2 + position, $"UCS-2 text of {textBytes.Length} octets has an odd length");
            return null;
        }

        return new TmsMessage(type, ackRequested, sequence, Encoding.Unicode.GetString(textBytes), address, encoding);
    }

    /// <summary>A text with sequence number and UCS-2 encoding; <paramref name="ackRequested"/> asks the radio to acknowledge.</summary>
    public static void WriteText(IBufferWriter<byte> output, string text, int sequenceNumber, bool ackRequested, ReadOnlySpan<byte> address = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(text.Length, MaxTextUnits);
        var body = new ArrayBufferWriter<byte>(16 + (text.Length * 2));
        Put(body, (byte)(0x80 | (ackRequested ? 0x40 : 0) | 0x20)); // more headers, ack, reserved bit as radios set it
        WriteAddressAndSequence(body, address, sequenceNumber, Ucs2LittleEndian);
        body.Write(Encoding.Unicode.GetBytes(text));
        WriteWithLength(output, body);
    }

    /// <summary>The acknowledgement of text <paramref name="sequenceNumber"/>.</summary>
    public static void WriteAcknowledgement(IBufferWriter<byte> output, int sequenceNumber, ReadOnlySpan<byte> address = default)
    {
        var body = new ArrayBufferWriter<byte>(8);
        Put(body, 0x80 | 0x20 | 0x10 | 0x0F);
        WriteAddressAndSequence(body, address, sequenceNumber, encoding: 0);
        WriteWithLength(output, body);
    }

    private static void WriteAddressAndSequence(ArrayBufferWriter<byte> body, ReadOnlySpan<byte> address, int sequenceNumber, int encoding)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequenceNumber, 127);
        ArgumentOutOfRangeException.ThrowIfNegative(sequenceNumber);
        Put(body, (byte)address.Length);
        body.Write(address);
        var twoOctets = sequenceNumber > 0x1F || encoding != 0;
        Put(body, (byte)((twoOctets ? 0x80 : 0) | (sequenceNumber & 0x1F)));
        if (twoOctets)
        {
            Put(body, (byte)((sequenceNumber & 0x60) | (encoding & 0x1F)));
        }
    }

    private static void WriteWithLength(IBufferWriter<byte> output, ArrayBufferWriter<byte> body) => LengthPrefixed.Write(output, body.WrittenSpan);

    private static void Put(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
