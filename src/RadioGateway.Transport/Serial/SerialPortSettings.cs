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

/// <summary>No XON/XOFF: MMDVM frames are binary and would lose their 0x11/0x13 bytes.</summary>
public enum SerialHandshake
{
    None,
    RtsCts,
}

/// <summary>
/// How to open a serial port. <see cref="DtrIdle"/> and <see cref="RtsIdle"/> are the line states set right
/// after open: opening raises both, and a radio keyed by RTS would transmit (Hamlib#1343). Both drop on close.
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
    /// <summary>Every problem with these settings on this operating system, each naming the field.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(PortName))
        {
            problems.Add("port name is empty");
        }
        else if (OperatingSystem.IsWindows() && !IsComPortName(PortName))
        {
            problems.Add($"port name {PortName} is not a COM port name (COM1, COM2, …)");
        }

        if (BaudRate is < 50 or > 4_000_000)
        {
            problems.Add($"baud rate {BaudRate} is outside 50–4000000");
        }

        if (DataBits is < 5 or > 8)
        {
            problems.Add($"data bits {DataBits} is outside 5–8");
        }

        if (Parity is SerialParity.Mark or SerialParity.Space && !OperatingSystem.IsWindows())
        {
            // System.IO.Ports on Linux has no CMSPAR: it would open the port silently without parity.
            problems.Add($"parity {Parity.ToString().ToLowerInvariant()} is supported on Windows only");
        }

        if (Handshake == SerialHandshake.RtsCts && !RtsIdle)
        {
            problems.Add("RTS/CTS handshake drives RTS itself: set the RTS idle state to true or use no handshake");
        }

        return problems;
    }

    /// <summary>Speed and framing in the usual short form, e.g. <c>115200 8N1</c>.</summary>
    public string LineSettings => $"{BaudRate} {DataBits}{Parity.ToString()[0]}{(int)StopBits}";

    // System.IO.Ports on Windows opens COM<n> only (it adds the \\.\ prefix itself).
    private static bool IsComPortName(string name) =>
        name.StartsWith("COM", StringComparison.OrdinalIgnoreCase) && uint.TryParse(name.AsSpan(3), out _);
}
