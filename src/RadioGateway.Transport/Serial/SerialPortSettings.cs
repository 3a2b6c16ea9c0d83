namespace RadioGateway.Transport.Serial;

public enum SerialParity
{
    None,
    Odd,
    Even,
    Mark,
    Space,
}

public enum SerialStopBits
{
    One = 1,
    Two = 2,
}

public enum SerialHandshake
{
    None,
    RtsCts,
}

/// <summary>
/// How to open a serial port. <see cref="DtrIdle"/> and <see cref="RtsIdle"/> are the line states set right
/// after open and restored on close: opening raises both, and a radio keyed by RTS would transmit (Hamlib#1343).
/// </summary>
public sealed record SerialPortSettings(
    string PortName,
    int BaudRate = 115200,
    int DataBits = 8,
    SerialParity Parity = SerialParity.None,
    SerialStopBits StopBits = SerialStopBits.One,
    SerialHandshake Handshake = SerialHandshake.None,
    bool DtrIdle = true,
    bool RtsIdle = false)
{
    /// <summary>Every problem with these settings, each naming the field.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(PortName))
        {
            problems.Add("port name is empty");
        }

        if (BaudRate is < 50 or > 4_000_000)
        {
            problems.Add($"baud rate {BaudRate} is outside 50–4000000");
        }

        if (DataBits is < 5 or > 8)
        {
            problems.Add($"data bits {DataBits} is outside 5–8");
        }

        if (Handshake == SerialHandshake.RtsCts && !RtsIdle)
        {
            problems.Add("RTS/CTS handshake drives RTS itself: set the RTS idle state to true or use no handshake");
        }

        return problems;
    }
}

/// <summary>Opens serial ports on this operating system.</summary>
public static class SerialPortFactory
{
    public static Stream Open(SerialPortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"serial port {settings.PortName}: {string.Join("; ", problems)}", nameof(settings));
        }

        if (OperatingSystem.IsWindows())
        {
            return Windows.WindowsSerialPort.Open(settings);
        }

        if (OperatingSystem.IsLinux())
        {
            return Unix.LinuxSerialPort.Open(settings);
        }

        throw new PlatformNotSupportedException("serial ports are supported on Linux and Windows");
    }
}
