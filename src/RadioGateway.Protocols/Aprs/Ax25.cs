using System.Globalization;
using System.Text;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Protocols.Aprs;

/// <summary>An AX.25 station address: callsign (up to six characters) and SSID 0..15; <see cref="Repeated"/> is a digipeater's H bit.</summary>
public sealed record Ax25Address(string Callsign, int Ssid, bool Repeated = false)
{
    /// <summary><c>CALL</c> or <c>CALL-SSID</c>, as APRS writes it.</summary>
    public override string ToString() => Ssid == 0 ? Callsign : string.Create(CultureInfo.InvariantCulture, $"{Callsign}-{Ssid}");
}

/// <summary>An AX.25 UI frame (control 0x03) as APRS uses it: destination, source, digipeater path, PID and information field.</summary>
public sealed record Ax25UiFrame(Ax25Address Destination, Ax25Address Source, IReadOnlyList<Ax25Address> Digipeaters, byte Pid, byte[] Information);

/// <summary>
/// AX.25 v2.2 §3.12 addresses and §4.3.3.6 UI frames, as a KISS TNC hands them over (no flags, no FCS).
/// Each address is 7 octets: six callsign characters shifted left one bit (space padded) and an SSID octet
/// (bits 1-4 SSID, bit 7 H/C, bit 0 set on the last address). At most 8 digipeaters.
/// </summary>
public static class Ax25
{
    public const byte UiControl = 0x03;

    /// <summary>PID 0xF0: no layer 3 (APRS101 ch. 3).</summary>
    public const byte NoLayer3 = 0xF0;

    public const int MaxDigipeaters = 8;

    /// <summary>Largest information field (AX.25 N1 default 256 octets).</summary>
    public const int MaxInformation = 256;

    private const int AddressLength = 7;

    /// <summary>Decodes one whole frame; anything but a UI frame is <see cref="DecodeStatus.Invalid"/> with the reason.</summary>
    public static DecodeStatus TryDecode(ReadOnlySpan<byte> frame, out Ax25UiFrame? value, out DecodeError error)
    {
        value = null;
        var addresses = new List<Ax25Address>();
        var offset = 0;
        while (true)
        {
            if (frame.Length < offset + AddressLength)
            {
                error = new DecodeError(offset, $"frame ends inside address {addresses.Count + 1} ({frame.Length} octets)");
                return DecodeStatus.Invalid;
            }

            if (!TryAddress(frame.Slice(offset, AddressLength), offset, out var address, out error))
            {
                return DecodeStatus.Invalid;
            }

            addresses.Add(address!);
            var last = (frame[offset + 6] & 0x01) != 0;
            offset += AddressLength;
            if (last)
            {
                break;
            }

            if (addresses.Count == 2 + MaxDigipeaters)
            {
                error = new DecodeError(offset, $"more than {MaxDigipeaters} digipeaters in the address field");
                return DecodeStatus.Invalid;
            }
        }

        if (addresses.Count < 2)
        {
            error = new DecodeError(6, "address field ends after the destination (no source)");
            return DecodeStatus.Invalid;
        }

        if (frame.Length < offset + 2)
        {
            error = new DecodeError(offset, "frame ends before control and PID");
            return DecodeStatus.Invalid;
        }

        // P/F bit (0x10) may be set on a UI frame.
        if ((frame[offset] & ~0x10) != UiControl)
        {
            error = new DecodeError(offset, $"control 0x{frame[offset]:X2} is not a UI frame (0x03)");
            return DecodeStatus.Invalid;
        }

        var information = frame[(offset + 2)..];
        if (information.Length > MaxInformation)
        {
            error = new DecodeError(offset + 2 + MaxInformation, $"information field of {information.Length} octets is longer than {MaxInformation}");
            return DecodeStatus.Invalid;
        }

        error = default;
        value = new Ax25UiFrame(addresses[0], addresses[1], addresses[2..], frame[offset + 1], information.ToArray());
        return DecodeStatus.Done;
    }

    private static bool TryAddress(ReadOnlySpan<byte> field, int offset, out Ax25Address? address, out DecodeError error)
    {
        address = null;
        var callsign = new StringBuilder(6);
        var padding = false;
        for (var i = 0; i < 6; i++)
        {
            if ((field[i] & 0x01) != 0)
            {
                error = new DecodeError(offset + i, $"callsign octet 0x{field[i]:X2} has the extension bit set");
                return false;
            }

            var c = (char)(field[i] >> 1);
            if (c == ' ')
            {
                padding = true;
                continue;
            }

            if (padding || !char.IsAsciiLetterOrDigit(c))
            {
                error = new DecodeError(offset + i, padding ? "callsign character after space padding" : $"'{EscapeChar(c)}' is not a callsign character (letters, digits)");
                return false;
            }

            callsign.Append(c);
        }

        if (callsign.Length == 0)
        {
            error = new DecodeError(offset, "empty callsign");
            return false;
        }

        error = default;
        address = new Ax25Address(callsign.ToString(), (field[6] >> 1) & 0x0F, (field[6] & 0x80) != 0);
        return true;
    }

    private static string EscapeChar(char c) => c is < ' ' or > '~' ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}") : c.ToString();

    /// <summary>Writes a UI frame with PID 0xF0 (no FCS; a KISS TNC adds it).</summary>
    public static void WriteUi(System.Buffers.IBufferWriter<byte> output, Ax25Address destination, Ax25Address source, IReadOnlyList<Ax25Address> digipeaters, ReadOnlySpan<byte> information)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(digipeaters);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digipeaters.Count, MaxDigipeaters, nameof(digipeaters));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(information.Length, MaxInformation, nameof(information));
        Ax25Address[] all = [destination, source, .. digipeaters];
        var span = output.GetSpan((all.Length * AddressLength) + 2 + information.Length);
        for (var a = 0; a < all.Length; a++)
        {
            var call = all[a].Callsign.PadRight(6);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(call.Length, 6, "callsign");
            for (var i = 0; i < 6; i++)
            {
                span[(a * AddressLength) + i] = (byte)(call[i] << 1);
            }

            // Bits 5-6 reserved, set to 1 (AX.25 §3.12.2).
            span[(a * AddressLength) + 6] = (byte)(0x60 | (all[a].Ssid << 1) | (all[a].Repeated ? 0x80 : 0) | (a == all.Length - 1 ? 0x01 : 0));
        }

        var n = all.Length * AddressLength;
        span[n++] = UiControl;
        span[n++] = NoLayer3;
        information.CopyTo(span[n..]);
        output.Advance(n + information.Length);
    }
}
