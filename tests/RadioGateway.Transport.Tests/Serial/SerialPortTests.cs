using System.Runtime.Versioning;
using RadioGateway.Testing;
using RadioGateway.Transport.Serial;
using RadioGateway.Transport.Serial.Unix;
using RadioGateway.Transport.Serial.Windows;

namespace RadioGateway.Transport.Tests.Serial;

[SupportedOSPlatform("linux")]
public sealed class SerialPortTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(Patience);
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return buffer;
    }

    [Theory]
    [InlineData(115200, 8, SerialParity.None, SerialStopBits.One)]
    [InlineData(9600, 7, SerialParity.Even, SerialStopBits.Two)]
    [InlineData(460800, 8, SerialParity.Mark, SerialStopBits.One)]
    [InlineData(250000, 8, SerialParity.Space, SerialStopBits.One)]
    public async Task Bytes_cross_a_real_pty_pair_both_ways(int baud, int dataBits, SerialParity parity, SerialStopBits stopBits)
    {
        using var pair = await SocatPtyPair.StartAsync();
        await using var gateway = SerialPortFactory.Open(new SerialPortSettings(pair.GatewayEnd, baud, dataBits, parity, stopBits));
        await using var device = SerialPortFactory.Open(new SerialPortSettings(pair.DeviceEnd, baud, dataBits, parity, stopBits));
        var toDevice = Enumerable.Range(0, 300).Select(i => (byte)(i & 0x7F)).ToArray();
        var toGateway = "سلام مرکز"u8.ToArray().Select(b => (byte)(b & 0x7F)).ToArray();

        await gateway.WriteAsync(toDevice);
        await device.WriteAsync(toGateway);

        Assert.Equal(toDevice, await ReadExactlyAsync(device, toDevice.Length));
        Assert.Equal(toGateway, await ReadExactlyAsync(gateway, toGateway.Length));
    }

    [Fact]
    public async Task A_pty_reports_no_modem_control_lines()
    {
        using var pair = await SocatPtyPair.StartAsync();
        using var port = LinuxSerialPort.Open(new SerialPortSettings(pair.GatewayEnd));

        Assert.False(port.ModemLinesSupported);
    }

    [Fact]
    public async Task Pulling_the_cable_fails_the_pending_read_with_an_io_error_naming_the_port()
    {
        using var pair = await SocatPtyPair.StartAsync();
        await using var gateway = SerialPortFactory.Open(new SerialPortSettings(pair.GatewayEnd));
        var pending = ReadExactlyAsync(gateway, 1);

        pair.Cut();

        var error = await Assert.ThrowsAsync<IOException>(() => pending);
        Assert.Contains(pair.GatewayEnd, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_missing_device_names_it_and_the_os_error()
    {
        var error = Assert.Throws<IOException>(() => SerialPortFactory.Open(new SerialPortSettings("/dev/radiogw-no-such-port")));

        Assert.Contains("/dev/radiogw-no-such-port: open failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_settings_are_refused_before_the_device_is_touched()
    {
        var error = Assert.Throws<ArgumentException>(() => SerialPortFactory.Open(new SerialPortSettings("/dev/ttyS0", BaudRate: 10, DataBits: 9)));

        Assert.Contains("baud rate 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("data bits 9", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SerialParity.None, 0u)]
    [InlineData(SerialParity.Odd, 0x100u | 0x200u)]
    [InlineData(SerialParity.Even, 0x100u)]
    [InlineData(SerialParity.Mark, 0x100u | 0x200u | 0x40000000u)]
    [InlineData(SerialParity.Space, 0x100u | 0x40000000u)]
    public void Termios2_parity_bits_follow_the_settings(SerialParity parity, uint expected)
    {
        const uint parityBits = 0x100 | 0x200 | 0x40000000;
        var termios = LinuxSerialPort.Apply(new Termios2 { c_cflag = 0x400 | 0xBF }, new SerialPortSettings("x", 38400, Parity: parity));

        Assert.Equal(expected, termios.c_cflag & parityBits);
        Assert.Equal(0u, termios.c_cflag & 0x400); // HUPCL cleared: closing must not hang up the modem
        Assert.Equal(0x1000u, termios.c_cflag & 0x100F); // BOTHER
        Assert.Equal(38400u, termios.c_ispeed);
        Assert.Equal(38400u, termios.c_ospeed);
        Assert.Equal(0u, termios.c_lflag);
    }

    [Fact]
    public void Dcb_maps_rts_cts_mark_parity_and_two_stop_bits()
    {
        var dcb = DcbMapping.Apply(default, new SerialPortSettings("COM3", 460800, 8, SerialParity.Mark, SerialStopBits.Two, SerialHandshake.RtsCts, DtrIdle: true, RtsIdle: true));

        Assert.Equal(460800u, dcb.BaudRate);
        Assert.Equal((byte)8, dcb.ByteSize);
        Assert.Equal((byte)3, dcb.Parity);
        Assert.Equal((byte)2, dcb.StopBits);
        Assert.Equal(DcbMapping.FBinary | DcbMapping.FParity | DcbMapping.FOutxCtsFlow | (1u << 4) | (2u << 12), dcb.Flags);
    }

    [Fact]
    public void Dcb_keeps_rts_low_when_idle_low_without_handshake()
    {
        var dcb = DcbMapping.Apply(default, new SerialPortSettings("COM3", DtrIdle: false, RtsIdle: false));

        Assert.Equal(DcbMapping.FBinary, dcb.Flags);
        Assert.Equal((byte)0, dcb.Parity);
        Assert.Equal((byte)0, dcb.StopBits);
        Assert.Equal(uint.MaxValue, DcbMapping.ReadTimeouts().ReadIntervalTimeout);
    }
}
