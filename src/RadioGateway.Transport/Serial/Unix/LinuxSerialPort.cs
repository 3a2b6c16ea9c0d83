using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace RadioGateway.Transport.Serial.Unix;

/// <summary>
/// Linux serial port by P/Invoke: open O_NOCTTY|O_NONBLOCK, TIOCEXCL, configure with ioctl(TCGETS2/TCSETS2)
/// and BOTHER (any baud rate; not libc cfsetspeed, whose speed_t handling changed in glibc 2.42), clear HUPCL,
/// set DTR/RTS to their idle states right after open, read on a thread blocked in poll().
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class LinuxSerialPort : SerialStream
{
    private const int PollTimeoutMs = 200;
    private readonly int _fd;
    private readonly SerialPortSettings _settings;

    private LinuxSerialPort(int fd, SerialPortSettings settings)
        : base(settings.PortName)
    {
        _fd = fd;
        _settings = settings;
    }

    /// <summary>False on devices without modem-control lines (e.g. pseudo-terminals).</summary>
    public bool ModemLinesSupported { get; private set; }

    public static LinuxSerialPort Open(SerialPortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var fd = Native.Open(settings.PortName, Native.O_RDWR | Native.O_NOCTTY | Native.O_NONBLOCK | Native.O_CLOEXEC);
        if (fd < 0)
        {
            throw Error(settings.PortName, "open");
        }

        var port = new LinuxSerialPort(fd, settings);
        try
        {
            if (Native.Ioctl(fd, Native.TIOCEXCL, IntPtr.Zero) < 0)
            {
                throw Error(settings.PortName, "TIOCEXCL (exclusive open)");
            }

            port.Configure();
            port.ModemLinesSupported = port.SetLines(settings.DtrIdle, settings.RtsIdle);
            port.StartReading();
            return port;
        }
        catch
        {
            Native.Close(fd);
            throw;
        }
    }

    /// <summary>The termios2 flags for <paramref name="settings"/>, applied to what the device reported (pure, for tests).</summary>
    public static Termios2 Apply(Termios2 termios, SerialPortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Raw mode: no input/output processing, no echo, no signals, no canonical lines.
        termios.c_iflag = settings.Parity == SerialParity.None ? 0u : Native.INPCK;
        termios.c_oflag = 0;
        termios.c_lflag = 0;
        var cflag = termios.c_cflag & ~(Native.CSIZE | Native.CSTOPB | Native.PARENB | Native.PARODD | Native.CMSPAR | Native.CRTSCTS | Native.HUPCL | Native.CBAUD | Native.CIBAUD);
        cflag |= Native.CREAD | Native.CLOCAL | Native.BOTHER | (Native.BOTHER << Native.IBSHIFT);
        cflag |= settings.DataBits switch { 5 => Native.CS5, 6 => Native.CS6, 7 => Native.CS7, _ => Native.CS8 };
        if (settings.StopBits == SerialStopBits.Two)
        {
            cflag |= Native.CSTOPB;
        }

        cflag |= settings.Parity switch
        {
            SerialParity.Odd => Native.PARENB | Native.PARODD,
            SerialParity.Even => Native.PARENB,
            SerialParity.Mark => Native.PARENB | Native.CMSPAR | Native.PARODD,
            SerialParity.Space => Native.PARENB | Native.CMSPAR,
            _ => 0u,
        };
        if (settings.Handshake == SerialHandshake.RtsCts)
        {
            cflag |= Native.CRTSCTS;
        }

        termios.c_cflag = cflag;
        termios.c_ispeed = (uint)settings.BaudRate;
        termios.c_ospeed = (uint)settings.BaudRate;
        termios.SetControlCharacter(Native.VMIN, 0);
        termios.SetControlCharacter(Native.VTIME, 0);
        return termios;
    }

    private void Configure()
    {
        var termios = default(Termios2);
        if (Native.Ioctl(_fd, Native.TCGETS2, ref termios) < 0)
        {
            throw Error(PortName, "TCGETS2 (not a serial device?)");
        }

        termios = Apply(termios, _settings);
        if (Native.Ioctl(_fd, Native.TCSETS2, ref termios) < 0)
        {
            throw Error(PortName, $"TCSETS2 ({_settings.BaudRate} baud, {_settings.DataBits}{_settings.Parity.ToString()[0]}{(int)_settings.StopBits})");
        }
    }

    /// <summary>Sets DTR and RTS; false when the device has no modem-control lines.</summary>
    private bool SetLines(bool dtr, bool rts)
    {
        var lines = 0;
        if (Native.Ioctl(_fd, Native.TIOCMGET, ref lines) < 0)
        {
            return false;
        }

        lines = dtr ? lines | Native.TIOCM_DTR : lines & ~Native.TIOCM_DTR;
        lines = rts ? lines | Native.TIOCM_RTS : lines & ~Native.TIOCM_RTS;
        return Native.Ioctl(_fd, Native.TIOCMSET, ref lines) >= 0;
    }

    protected override unsafe int ReadFromDevice(Span<byte> buffer)
    {
        var poll = new Native.PollFd { fd = _fd, events = Native.POLLIN };
        var ready = Native.Poll(&poll, 1, PollTimeoutMs);
        if (ready < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Native.EINTR ? 0 : throw Error(PortName, "poll", errno);
        }

        if (ready == 0)
        {
            return 0;
        }

        if ((poll.revents & Native.POLLIN) == 0 && (poll.revents & (Native.POLLHUP | Native.POLLERR | Native.POLLNVAL)) != 0)
        {
            throw new IOException($"{PortName}: device hung up or failed (poll revents 0x{poll.revents:X})");
        }

        fixed (byte* pointer = buffer)
        {
            var read = Native.Read(_fd, pointer, (nuint)buffer.Length);
            if (read > 0)
            {
                return (int)read;
            }

            if (read == 0)
            {
                throw new IOException($"{PortName}: end of file (device gone)");
            }

            var errno = Marshal.GetLastPInvokeError();
            return errno is Native.EAGAIN or Native.EINTR ? 0 : throw Error(PortName, "read", errno);
        }
    }

    protected override unsafe void WriteToDevice(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(Closing, this);
        fixed (byte* pointer = data)
        {
            var written = 0;
            while (written < data.Length)
            {
                var result = Native.Write(_fd, pointer + written, (nuint)(data.Length - written));
                if (result >= 0)
                {
                    written += (int)result;
                    continue;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno is not (Native.EAGAIN or Native.EINTR))
                {
                    throw Error(PortName, "write", errno);
                }

                var poll = new Native.PollFd { fd = _fd, events = Native.POLLOUT };
                if (Native.Poll(&poll, 1, 1000) == 0)
                {
                    throw new IOException($"{PortName}: write blocked for 1 s (flow control stuck?)");
                }
            }
        }
    }

    protected override void CloseDevice()
    {
        if (ModemLinesSupported)
        {
            // Never leave a line asserted that could key a transmitter: both drop on close.
            SetLines(dtr: false, rts: false);
        }

        Native.Close(_fd);
    }

    private static IOException Error(string port, string operation, int? errno = null)
    {
        var code = errno ?? Marshal.GetLastPInvokeError();
        return new IOException($"{port}: {operation} failed: {Marshal.GetPInvokeErrorMessage(code)} (errno {code})", code);
    }
}

/// <summary><c>struct termios2</c> of asm-generic/termbits.h (44 bytes on x86_64 and arm64).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct Termios2
{
    public uint c_iflag;
    public uint c_oflag;
    public uint c_cflag;
    public uint c_lflag;
    public byte c_line;
    public fixed byte c_cc[19];
    public uint c_ispeed;
    public uint c_ospeed;

    public void SetControlCharacter(int index, byte value) => c_cc[index] = value;
}

[SupportedOSPlatform("linux")]
internal static unsafe partial class Native
{
    public const int O_RDWR = 0x2;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    public const nuint TCGETS2 = 0x802C542A;
    public const nuint TCSETS2 = 0x402C542B;
    public const nuint TIOCEXCL = 0x540C;
    public const nuint TIOCMGET = 0x5415;
    public const nuint TIOCMSET = 0x5418;
    public const int TIOCM_DTR = 0x2;
    public const int TIOCM_RTS = 0x4;

    public const uint CBAUD = 0x100F;
    public const uint BOTHER = 0x1000;
    public const uint CIBAUD = 0x100F0000;
    public const int IBSHIFT = 16;
    public const uint CSIZE = 0x30;
    public const uint CS5 = 0x00;
    public const uint CS6 = 0x10;
    public const uint CS7 = 0x20;
    public const uint CS8 = 0x30;
    public const uint CSTOPB = 0x40;
    public const uint CREAD = 0x80;
    public const uint PARENB = 0x100;
    public const uint PARODD = 0x200;
    public const uint HUPCL = 0x400;
    public const uint CLOCAL = 0x800;
    public const uint CMSPAR = 0x40000000;
    public const uint CRTSCTS = 0x80000000;
    public const uint INPCK = 0x10;
    public const int VTIME = 5;
    public const int VMIN = 6;

    public const short POLLIN = 0x1;
    public const short POLLOUT = 0x4;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    public const int EINTR = 4;
    public const int EAGAIN = 11;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int fd;
        public short events;
        public short revents;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, IntPtr argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, ref Termios2 argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, ref int argument);
}
