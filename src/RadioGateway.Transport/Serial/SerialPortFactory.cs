using System.IO.Ports;

namespace RadioGateway.Transport.Serial;

/// <summary>
/// Opens serial ports with System.IO.Ports (Linux and Windows). On Linux it opens the device with
/// O_NOCTTY and TIOCEXCL (exclusive) and, before <see cref="SerialPort.Open"/> returns, sets DTR and RTS to the
/// states it was given: here, the profile's idle states.
/// </summary>
public static class SerialPortFactory
{
    /// <summary>errno ENOTTY as System.IO.Ports reports it in <see cref="Exception.HResult"/>: the device has no modem-control lines.</summary>
    private const int NoModemControlLines = 25;

    /// <exception cref="ArgumentException">The settings are invalid (nothing was opened).</exception>
    /// <exception cref="IOException">The device cannot be opened; the message names it and the reason.</exception>
    public static Stream Open(SerialPortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"serial port {settings.PortName}: {string.Join("; ", problems)}", nameof(settings));
        }

        var port = Configure(settings);
        try
        {
            var modemLinesDriven = OpenPort(port);
            return new SerialPortStream(port, modemLinesDriven);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            port.Dispose();
            // System.IO.Ports on Linux reports every failed open() as "access denied" with the errno text inside.
            var reason = e is ArgumentException ? $"the device refused {settings.LineSettings}: {e.Message}" : (e.InnerException ?? e).Message;
            throw new IOException($"{settings.PortName}: open failed: {reason}", e);
        }
    }

    /// <summary>The unopened port for <paramref name="settings"/>; <see cref="SerialPort.Open"/> applies all of it.</summary>
    internal static SerialPort Configure(SerialPortSettings settings)
    {
        var port = new SerialPort(settings.PortName, settings.BaudRate, ToParity(settings.Parity), settings.DataBits, settings.StopBits == SerialStopBits.Two ? StopBits.Two : StopBits.One)
        {
            Handshake = settings.Handshake == SerialHandshake.RtsCts ? Handshake.RequestToSend : Handshake.None,
            DtrEnable = settings.DtrIdle,
        };
        if (port.Handshake == Handshake.None)
        {
            // With RTS/CTS the driver owns RTS (System.IO.Ports refuses to set it).
            port.RtsEnable = settings.RtsIdle;
        }

        return port;
    }

    /// <returns>False when the device has no modem-control lines (a pty), so DTR and RTS could not be driven.</returns>
    private static bool OpenPort(SerialPort port)
    {
        try
        {
            port.Open();
        }
        catch (IOException e) when (e.HResult == NoModemControlLines)
        {
            // A pty (socat, ser2net) has no modem-control lines: TIOCMGET fails with ENOTTY, which System.IO.Ports
            // forgives only when asked for low lines. Open it so.
            port.DtrEnable = false;
            if (port.Handshake == Handshake.None)
            {
                port.RtsEnable = false;
            }

            port.Open();
            return false;
        }

        return HasModemControlLines(port);
    }

    // Asked for low lines, System.IO.Ports opens a pty without a word; reading DTR back (TIOCMGET) tells.
    private static bool HasModemControlLines(SerialPort port)
    {
        try
        {
            _ = port.DtrEnable;
            return true;
        }
        catch (IOException e) when (e.HResult == NoModemControlLines)
        {
            return false;
        }
    }

    private static Parity ToParity(SerialParity parity) => parity switch
    {
        SerialParity.Odd => Parity.Odd,
        SerialParity.Even => Parity.Even,
        SerialParity.Mark => Parity.Mark,
        SerialParity.Space => Parity.Space,
        _ => Parity.None,
    };
}
