using System.Buffers;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Aprs;

/// <summary>One KISS frame: the TNC port (high nibble of the command byte), the command (low nibble; 0 = data) and the unescaped payload.</summary>
public sealed record KissFrame(int Port, int Command, byte[] Payload)
{
    /// <summary>Command 0: the payload is an AX.25 frame without its FCS (KISS spec, "Data frame").</summary>
    public bool IsData => Command == 0;
}

/// <summary>
/// KISS framing (K9NG/KA9Q "The KISS TNC", 1987): frames between FEND (0xC0); inside, FEND is sent as FESC TFEND
/// (0xDB 0xDC) and FESC as FESC TFESC (0xDB 0xDD). Leading FENDs are fill and skipped. A frame is at most
/// <see cref="MaxPayload"/> octets once unescaped (an AX.25 frame is at most 330 with 256 octets of info).
/// </summary>
public static class Kiss
{
    public const byte Fend = 0xC0;
    public const byte Fesc = 0xDB;
    public const byte Tfend = 0xDC;
    public const byte Tfesc = 0xDD;

    /// <summary>Largest unescaped frame accepted (command byte included).</summary>
    public const int MaxPayload = 1024;

    /// <summary>
    /// Decodes the first frame of <paramref name="input"/>. <c>consumed</c> covers leading fill, the frame and its
    /// closing FEND. When the input holds only fill, <see cref="DecodeStatus.NeedMoreData"/>.
    /// </summary>
    public static DecodeStatus TryDecode(ReadOnlySequence<byte> input, out KissFrame? frame, out int consumed, out DecodeError error)
    {
        frame = null;
        consumed = 0;
        error = default;
        var reader = new SequenceReader<byte>(input);
        if (input.IsEmpty)
        {
            return DecodeStatus.NeedMoreData;
        }

        if (input.FirstSpan[0] != Fend)
        {
            error = new DecodeError(0, $"0x{input.FirstSpan[0]:X2} does not open a KISS frame (FEND 0xC0)");
            return DecodeStatus.Invalid;
        }

        reader.AdvancePast(Fend);
        var payload = new List<byte>();
        var escaped = false;
        while (reader.TryRead(out var b))
        {
            if (escaped)
            {
                escaped = false;
                if (b is not (Tfend or Tfesc))
                {
                    error = new DecodeError(reader.Consumed - 1, $"FESC followed by 0x{b:X2}, not TFEND or TFESC");
                    return DecodeStatus.Invalid;
                }

                payload.Add(b == Tfend ? Fend : Fesc);
            }
            else if (b == Fesc)
            {
                escaped = true;
            }
            else if (b == Fend)
            {
                // Not empty: AdvancePast skipped every FEND before the command byte.
                consumed = (int)reader.Consumed;
                frame = new KissFrame(payload[0] >> 4, payload[0] & 0x0F, [.. payload.Skip(1)]);
                return DecodeStatus.Done;
            }
            else
            {
                payload.Add(b);
            }

            if (payload.Count > MaxPayload)
            {
                error = new DecodeError(reader.Consumed - 1, $"KISS frame longer than {MaxPayload} octets without a closing FEND");
                return DecodeStatus.Invalid;
            }
        }

        return DecodeStatus.NeedMoreData;
    }

    /// <summary>Writes one data frame (FEND, command, escaped payload, FEND).</summary>
    public static void WriteData(IBufferWriter<byte> output, int port, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)port, 15u, nameof(port));
        var span = output.GetSpan((payload.Length * 2) + 3);
        var n = 0;
        span[n++] = Fend;
        span[n++] = (byte)(port << 4);
        foreach (var b in payload)
        {
            switch (b)
            {
                case Fend:
                    span[n++] = Fesc;
                    span[n++] = Tfend;
                    break;
                case Fesc:
                    span[n++] = Fesc;
                    span[n++] = Tfesc;
                    break;
                default:
                    span[n++] = b;
                    break;
            }
        }

        span[n++] = Fend;
        output.Advance(n);
    }
}
