using System.IO.Ports;
using RadioGateway.Core.Announcements;

namespace RadioGateway.Audio;

/// <summary>
/// A serial port used only for its RTS and DTR outputs (PTT interfaces). Both lines are asked low before the port
/// opens, so System.IO.Ports sets them low as it opens (DESIGN: opening raises DTR and RTS), and dropped on dispose.
/// </summary>
public sealed class SerialControlLines : ISerialControlLines, IDisposable
{
    private readonly SerialPort _port;

    public SerialControlLines(string portName)
    {
        _port = new SerialPort(portName) { DtrEnable = false, RtsEnable = false, Handshake = Handshake.None };
        try
        {
            _port.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _port.Dispose();
            throw new IOException($"{portName}: cannot open the PTT port: {(e.InnerException ?? e).Message}", e);
        }
    }

    public bool Rts
    {
        get => _port.RtsEnable;
        set => _port.RtsEnable = value;
    }

    public bool Dtr
    {
        get => _port.DtrEnable;
        set => _port.DtrEnable = value;
    }

    public void Dispose()
    {
        try
        {
            _port.RtsEnable = false;
            _port.DtrEnable = false;
        }
        catch (IOException)
        {
            // the device went away; closing drops the lines anyway
        }

        _port.Dispose();
    }
}
