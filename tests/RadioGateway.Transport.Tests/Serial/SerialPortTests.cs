using System.IO.Ports;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using RadioGateway.Testing;
using RadioGateway.Transport.Serial;

namespace RadioGateway.Transport.Tests.Serial;

/// <summary>System.IO.Ports behind <see cref="SerialPortFactory"/>, on real socat pty pairs.</summary>
[SupportedOSPlatform("linux")]
public sealed partial class SerialPortTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Every byte value, so raw mode is checked too (no ^C signal, no CR/LF mapping, no XON/XOFF).</summary>
    private static readonly byte[] AllByteValues = [.. Enumerable.Range(0, 512).Select(i => (byte)i)];

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(Patience);
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return buffer;
    }

    private static async Task AssertBytesCrossBothWaysAsync(Stream gateway, Stream device)
    {
        var toGateway = "سلام مرکز"u8.ToArray();
        await gateway.WriteAsync(AllByteValues);
        await device.WriteAsync(toGateway);

        Assert.Equal(AllByteValues, await ReadExactlyAsync(device, AllByteValues.Length));
        Assert.Equal(toGateway, await ReadExactlyAsync(gateway, toGateway.Length));
    }

    /// <summary>The tty's own settings as <c>stty -a</c> reads them, split into words.</summary>
    private static async Task<string[]> TtySettingsAsync(string path)
    {
        using var stty = ExternalTool.Start(ExternalTool.Require("stty", "coreutils"), ["-F", path, "-a"]);
        using var timeout = new CancellationTokenSource(Patience);
        await stty.Process.WaitForExitAsync(timeout.Token);
        Assert.True(stty.Process.ExitCode == 0, "stty failed: " + stty.Output);
        return stty.Output.Split([' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries);
    }

    // A pty takes speed and stop bits; its driver forces 8 data bits without parity (pty_set_termios), so
    // 7E1 is checked only as far as System.IO.Ports is told it (Configure test below).
    [Theory]
    [InlineData(9600, SerialStopBits.One, "-cstopb")]
    [InlineData(115200, SerialStopBits.One, "-cstopb")]
    [InlineData(460800, SerialStopBits.One, "-cstopb")]
    [InlineData(19200, SerialStopBits.Two, "cstopb")]
    public async Task Bytes_cross_a_real_pty_pair_both_ways_with_the_line_settings_on_the_tty(int baud, SerialStopBits stopBits, string sttyStopBits)
    {
        using var pair = await SocatPtyPair.StartAsync();
        var settings = new SerialPortSettings(pair.GatewayEnd, baud, StopBits: stopBits);
        await using var gateway = SerialPortFactory.Open(settings);
        await using var device = SerialPortFactory.Open(settings with { PortName = pair.DeviceEnd });

        var tty = await TtySettingsAsync(pair.GatewayEnd);
        Assert.Equal(baud.ToString(System.Globalization.CultureInfo.InvariantCulture), tty[Array.IndexOf(tty, "speed") + 1]);
        Assert.Contains(sttyStopBits, tty);
        Assert.Contains("-icanon", tty);
        await AssertBytesCrossBothWaysAsync(gateway, device);
    }

    [Fact]
    public void Line_settings_and_idle_line_states_go_to_System_IO_Ports_as_given()
    {
        using var port = SerialPortFactory.Configure(new SerialPortSettings("/dev/ttyUSB0", 19200, 7, SerialParity.Even, SerialStopBits.Two, DtrIdle: false, RtsIdle: true));

        Assert.Equal((19200, 7, Parity.Even, StopBits.Two, Handshake.None), (port.BaudRate, port.DataBits, port.Parity, port.StopBits, port.Handshake));
        Assert.Equal((false, true), (port.DtrEnable, port.RtsEnable));
    }

    // What DTR and RTS do on open cannot be seen on a pty (it has no modem-control lines), so this checks what
    // SerialPort is handed: System.IO.Ports applies DtrEnable and RtsEnable in SerialPort.Open, in the stream's
    // constructor right after open() and the termios reset, before Open returns and before any byte moves.
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void The_profile_idle_line_states_are_what_SerialPort_opens_with(bool dtrIdle, bool rtsIdle)
    {
        using var port = SerialPortFactory.Configure(new SerialPortSettings("/dev/ttyACM0", DtrIdle: dtrIdle, RtsIdle: rtsIdle));

        Assert.Equal((dtrIdle, rtsIdle), (port.DtrEnable, port.RtsEnable));
    }

    [Fact]
    public void With_rts_cts_the_driver_owns_rts_and_dtr_still_opens_at_its_idle_state()
    {
        using var port = SerialPortFactory.Configure(new SerialPortSettings("/dev/ttyACM0", Handshake: SerialHandshake.RtsCts, DtrIdle: false, RtsIdle: true));

        Assert.Equal((Handshake.RequestToSend, false), (port.Handshake, port.DtrEnable));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_pty_opens_whatever_the_idle_states_and_says_it_drove_no_modem_lines(bool dtrIdle)
    {
        using var pair = await SocatPtyPair.StartAsync();
        await using var gateway = SerialPortFactory.Open(new SerialPortSettings(pair.GatewayEnd, DtrIdle: dtrIdle));

        Assert.False(Assert.IsType<SerialPortStream>(gateway).ModemLinesDriven);
    }

    [Fact]
    public async Task The_port_is_held_exclusively_while_open_and_released_on_close()
    {
        using var pair = await SocatPtyPair.StartAsync();
        var gateway = SerialPortFactory.Open(new SerialPortSettings(pair.GatewayEnd));

        Assert.True(TtyExclusivity.IsExclusive(pair.GatewayEnd));
        await gateway.DisposeAsync();
        Assert.False(TtyExclusivity.IsExclusive(pair.GatewayEnd));
    }

    [Fact]
    public async Task Pulling_the_cable_fails_the_pending_read_and_every_later_read_and_write_with_an_io_error_naming_the_port()
    {
        using var pair = await SocatPtyPair.StartAsync();
        await using var gateway = SerialPortFactory.Open(new SerialPortSettings(pair.GatewayEnd));
        var pending = ReadExactlyAsync(gateway, 1);

        pair.Cut();

        var error = await Assert.ThrowsAsync<IOException>(() => pending);
        Assert.Contains(pair.GatewayEnd, error.Message, StringComparison.Ordinal);
        // On its own System.IO.Ports would leave these pending for ever once its I/O loop has stopped.
        var nextRead = await Assert.ThrowsAsync<IOException>(() => ReadExactlyAsync(gateway, 1));
        Assert.Equal(error.Message, nextRead.Message);
        var write = await Assert.ThrowsAsync<IOException>(() => gateway.WriteAsync(new byte[] { 0xE0 }).AsTask().WaitAsync(Patience));
        Assert.Equal(error.Message, write.Message);
    }

    [Fact]
    public async Task A_write_the_device_does_not_take_fails_with_an_io_error_naming_the_port_and_ends_the_link()
    {
        using var pair = await SocatPtyPair.StartAsync();
        await using var gateway = SerialPortFactory.Open(new SerialPortSettings(pair.GatewayEnd));

        // Nobody reads the device end, so socat and then the pty stop taking bytes, as a modem holding CTS low would.
        var error = await Assert.ThrowsAsync<IOException>(() => gateway.WriteAsync(new byte[1 << 20]).AsTask().WaitAsync(Patience));

        Assert.StartsWith($"{pair.GatewayEnd}: write blocked for 2 s", error.Message, StringComparison.Ordinal);
        var read = await Assert.ThrowsAsync<IOException>(() => ReadExactlyAsync(gateway, 1));
        Assert.Equal(error.Message, read.Message);
    }

    [Fact]
    public async Task The_port_opens_again_at_the_same_path_once_the_device_is_back_and_bytes_flow()
    {
        using var pair = await SocatPtyPair.StartAsync();
        var settings = new SerialPortSettings(pair.GatewayEnd);
        await using (var first = SerialPortFactory.Open(settings))
        {
            var pending = ReadExactlyAsync(first, 1);
            pair.Cut();
            await Assert.ThrowsAsync<IOException>(() => pending);
        }

        var absent = Assert.Throws<IOException>(() => SerialPortFactory.Open(settings));
        Assert.Contains($"{pair.GatewayEnd}: open failed: No such file or directory", absent.Message, StringComparison.Ordinal);

        using var back = await SocatPtyPair.StartAsync(Path.GetDirectoryName(pair.GatewayEnd));
        await using var gateway = SerialPortFactory.Open(settings);
        await using var device = SerialPortFactory.Open(settings with { PortName = back.DeviceEnd });
        await AssertBytesCrossBothWaysAsync(gateway, device);
    }

    [Fact]
    public void Opening_a_missing_device_names_it_and_the_os_error()
    {
        var error = Assert.Throws<IOException>(() => SerialPortFactory.Open(new SerialPortSettings("/dev/radiogw-no-such-port")));

        Assert.Equal("/dev/radiogw-no-such-port: open failed: No such file or directory", error.Message);
    }

    [Fact]
    public void Invalid_settings_are_refused_before_the_device_is_touched()
    {
        var error = Assert.Throws<ArgumentException>(() => SerialPortFactory.Open(new SerialPortSettings("/dev/ttyS0", BaudRate: 10, DataBits: 9, Parity: SerialParity.Mark)));

        Assert.Contains("baud rate 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("data bits 9", error.Message, StringComparison.Ordinal);
        Assert.Contains("parity mark is supported on Windows only", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Reads the tty's TTY_EXCLUSIVE flag, which TIOCEXCL sets, with TIOCGEXCL (tty_ioctl(4), Linux 3.8+).</summary>
    private static partial class TtyExclusivity
    {
        private const int OpenReadWrite = 0x2;
        private const int OpenNoControllingTty = 0x100;
        private const int OpenNonBlocking = 0x800;
        private const int DeviceBusy = 16;
        private const nuint TIOCGEXCL = 0x80045440;

        public static bool IsExclusive(string path)
        {
            var fd = Open(path, OpenReadWrite | OpenNoControllingTty | OpenNonBlocking);
            if (fd < 0)
            {
                // Only root (CAP_SYS_ADMIN) opens a tty held with TIOCEXCL; anyone else gets EBUSY.
                var errno = Marshal.GetLastPInvokeError();
                return errno == DeviceBusy ? true : throw new IOException($"{path}: open failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            try
            {
                var exclusive = 0;
                return Ioctl(fd, TIOCGEXCL, ref exclusive) == 0
                    ? exclusive != 0
                    : throw new IOException($"{path}: TIOCGEXCL failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
            finally
            {
                _ = Close(fd);
            }
        }

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        private static partial int Ioctl(int fd, nuint request, ref int argument);

        [LibraryImport("libc", EntryPoint = "close")]
        private static partial int Close(int fd);
    }
}
