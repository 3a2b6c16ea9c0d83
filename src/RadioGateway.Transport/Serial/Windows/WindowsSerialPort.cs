using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace RadioGateway.Transport.Serial.Windows;

/// <summary>
/// Windows serial port by kernel32: CreateFile (exclusive by nature), DCB from <see cref="DcbMapping"/>,
/// COMMTIMEOUTS so ReadFile returns as soon as a byte arrives or after 200 ms (the read thread never spins),
/// EscapeCommFunction for the DTR/RTS idle states.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed partial class WindowsSerialPort : SerialStream
{
    private const uint GenericRead = 0x80000000;
    private const uint GenericWrite = 0x40000000;
    private const uint OpenExisting = 3;
    private const uint SetRts = 3;
    private const uint ClrRts = 4;
    private const uint SetDtr = 5;
    private const uint ClrDtr = 6;

    private readonly SafeFileHandle _handle;

    private WindowsSerialPort(SafeFileHandle handle, string portName)
        : base(portName)
    {
        _handle = handle;
    }

    public static WindowsSerialPort Open(SerialPortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = settings.PortName.StartsWith(@"\\.\", StringComparison.Ordinal) ? settings.PortName : @"\\.\" + settings.PortName;
        var handle = CreateFileW(path, GenericRead | GenericWrite, 0, IntPtr.Zero, OpenExisting, 0, IntPtr.Zero);
        if (handle.IsInvalid)
        {
            throw Error(settings.PortName, "CreateFile");
        }

        var port = new WindowsSerialPort(handle, settings.PortName);
        try
        {
            var dcb = new Dcb { DCBlength = (uint)Marshal.SizeOf<Dcb>() };
            if (!GetCommState(handle, ref dcb))
            {
                throw Error(settings.PortName, "GetCommState");
            }

            dcb = DcbMapping.Apply(dcb, settings);
            if (!SetCommState(handle, ref dcb))
            {
                throw Error(settings.PortName, "SetCommState");
            }

            var timeouts = DcbMapping.ReadTimeouts();
            if (!SetCommTimeouts(handle, ref timeouts))
            {
                throw Error(settings.PortName, "SetCommTimeouts");
            }

            EscapeCommFunction(handle, settings.DtrIdle ? SetDtr : ClrDtr);
            if (settings.Handshake == SerialHandshake.None)
            {
                EscapeCommFunction(handle, settings.RtsIdle ? SetRts : ClrRts);
            }

            port.StartReading();
            return port;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    protected override unsafe int ReadFromDevice(Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            if (!ReadFile(_handle, pointer, (uint)buffer.Length, out var read, IntPtr.Zero))
            {
                throw Error(PortName, "ReadFile");
            }

            return (int)read;
        }
    }

    protected override unsafe void WriteToDevice(ReadOnlySpan<byte> data)
    {
        fixed (byte* pointer = data)
        {
            if (!WriteFile(_handle, pointer, (uint)data.Length, out var written, IntPtr.Zero) || written != data.Length)
            {
                throw Error(PortName, "WriteFile");
            }
        }
    }

    protected override void CloseDevice()
    {
        if (!_handle.IsInvalid && !_handle.IsClosed)
        {
            // Never leave a line asserted that could key a transmitter: both drop on close.
            EscapeCommFunction(_handle, ClrRts);
            EscapeCommFunction(_handle, ClrDtr);
        }

        _handle.Dispose();
    }

    private static IOException Error(string port, string operation)
    {
        var code = Marshal.GetLastPInvokeError();
        return new IOException($"{port}: {operation} failed: {Marshal.GetPInvokeErrorMessage(code)} (error {code})", code);
    }

    [LibraryImport("kernel32.dll", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    private static partial SafeFileHandle CreateFileW(string name, uint access, uint share, IntPtr security, uint creation, uint flags, IntPtr template);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetCommState(SafeFileHandle handle, ref Dcb dcb);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetCommState(SafeFileHandle handle, ref Dcb dcb);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetCommTimeouts(SafeFileHandle handle, ref CommTimeouts timeouts);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool EscapeCommFunction(SafeFileHandle handle, uint function);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool ReadFile(SafeFileHandle handle, byte* buffer, uint count, out uint read, IntPtr overlapped);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool WriteFile(SafeFileHandle handle, byte* buffer, uint count, out uint written, IntPtr overlapped);
}

/// <summary>Win32 DCB (winbase.h); the flag bit fields live in <see cref="Flags"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Dcb
{
    public uint DCBlength;
    public uint BaudRate;
    public uint Flags;
    public ushort wReserved;
    public ushort XonLim;
    public ushort XoffLim;
    public byte ByteSize;
    public byte Parity;
    public byte StopBits;
    public byte XonChar;
    public byte XoffChar;
    public byte ErrorChar;
    public byte EofChar;
    public byte EvtChar;
    public ushort wReserved1;
}

/// <summary>Win32 COMMTIMEOUTS.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct CommTimeouts
{
    public uint ReadIntervalTimeout;
    public uint ReadTotalTimeoutMultiplier;
    public uint ReadTotalTimeoutConstant;
    public uint WriteTotalTimeoutMultiplier;
    public uint WriteTotalTimeoutConstant;
}

/// <summary>Pure mapping of <see cref="SerialPortSettings"/> to DCB fields (tested on every platform).</summary>
public static class DcbMapping
{
    // DCB bit fields (winbase.h): fBinary:1, fParity:1, fOutxCtsFlow:1, fOutxDsrFlow:1, fDtrControl:2,
    // fDsrSensitivity:1, fTXContinueOnXoff:1, fOutX:1, fInX:1, fErrorChar:1, fNull:1, fRtsControl:2, fAbortOnError:1.
    public const uint FBinary = 1u << 0;
    public const uint FParity = 1u << 1;
    public const uint FOutxCtsFlow = 1u << 2;
    public const int FDtrControlShift = 4;
    public const int FRtsControlShift = 12;
    public const uint DtrControlDisable = 0;
    public const uint DtrControlEnable = 1;
    public const uint RtsControlDisable = 0;
    public const uint RtsControlEnable = 1;
    public const uint RtsControlHandshake = 2;

    public static Dcb Apply(Dcb dcb, SerialPortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        dcb.BaudRate = (uint)settings.BaudRate;
        dcb.ByteSize = (byte)settings.DataBits;
        dcb.Parity = settings.Parity switch
        {
            SerialParity.Odd => 1,
            SerialParity.Even => 2,
            SerialParity.Mark => 3,
            SerialParity.Space => 4,
            _ => 0,
        };
        dcb.StopBits = settings.StopBits == SerialStopBits.Two ? (byte)2 : (byte)0;
        var flags = FBinary;
        if (settings.Parity != SerialParity.None)
        {
            flags |= FParity;
        }

        flags |= (settings.DtrIdle ? DtrControlEnable : DtrControlDisable) << FDtrControlShift;
        if (settings.Handshake == SerialHandshake.RtsCts)
        {
            flags |= FOutxCtsFlow | (RtsControlHandshake << FRtsControlShift);
        }
        else
        {
            flags |= (settings.RtsIdle ? RtsControlEnable : RtsControlDisable) << FRtsControlShift;
        }

        dcb.Flags = flags;
        return dcb;
    }

    /// <summary>
    /// ReadFile returns when at least one byte is there, or after 200 ms with none (ReadIntervalTimeout and
    /// ReadTotalTimeoutMultiplier MAXDWORD, constant 200: the documented "return immediately with what arrived" mode).
    /// </summary>
    public static CommTimeouts ReadTimeouts() => new()
    {
        ReadIntervalTimeout = uint.MaxValue,
        ReadTotalTimeoutMultiplier = uint.MaxValue,
        ReadTotalTimeoutConstant = 200,
        WriteTotalTimeoutConstant = 1000,
    };
}
