using System.IO.Pipelines;
using System.IO.Ports;

namespace RadioGateway.Transport.Serial;

/// <summary>
/// An open <see cref="SerialPort"/> as a Stream. One read is always pending on the port's
/// <see cref="SerialPort.BaseStream"/> and feeds a pipe, so a cancelled read loses no bytes on either OS.
/// The first failure (device gone, write stalled) closes the port and fails every pending and later read
/// and write with an <see cref="IOException"/> naming the port: once its Unix I/O loop has stopped,
/// System.IO.Ports would leave later requests pending for ever.
/// </summary>
internal sealed class SerialPortStream : Stream
{
    /// <summary>A write that the device has not taken by then is a wedged link (flow control stuck).</summary>
    private static readonly TimeSpan WriteStall = TimeSpan.FromSeconds(2);

    private readonly SerialPort _port;
    private readonly Stream _device;
    private readonly Pipe _received = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
    private readonly Stream _reader;
    private IOException? _failure;
    private int _portClosed;
    private volatile bool _disposed;

    internal SerialPortStream(SerialPort port, bool modemLinesDriven)
    {
        _port = port;
        _device = port.BaseStream;
        PortName = port.PortName;
        ModemLinesDriven = modemLinesDriven;
        _reader = _received.Reader.AsStream();
        // Called here, not on the thread pool: the first read starts System.IO.Ports' Unix I/O loop before anyone
        // can dispose this stream. Its Dispose waits for a running loop but misses one still starting, and the
        // close (TIOCNXCL, close()) then waits for the loop's next poll().
        _ = ReceiveAsync();
    }

    public string PortName { get; }

    /// <summary>Whether DTR and RTS were set to their idle states; false on a device without modem-control lines (a pty).</summary>
    public bool ModemLinesDriven { get; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _reader.Read(buffer, offset, count);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _reader.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new IOException(failure.Message, failure.InnerException);
        }

        try
        {
            // WaitAsync as well as the token: System.IO.Ports on Windows cannot cancel a write under way.
            await _device.WriteAsync(buffer, cancellationToken).AsTask().WaitAsync(WriteStall, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw Fail($"write blocked for {WriteStall.TotalSeconds:0} s (flow control stuck?)", e);
        }
        catch (Exception e) when (!_disposed && e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            throw Fail(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Nothing to do: a completed write is in the driver, which sends it (tcdrain would block on flow control).</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            ClosePort();
            _received.Reader.Complete();
        }

        base.Dispose(disposing);
    }

    private async Task ReceiveAsync()
    {
        var writer = _received.Writer;
        try
        {
            while (true)
            {
                var read = await _device.ReadAsync(writer.GetMemory(4096)).ConfigureAwait(false);
                writer.Advance(read);
                var flushed = await writer.FlushAsync().ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e)
        {
            // Whatever ends the device read ends the link.
            await writer.CompleteAsync(_disposed ? null : Fail(e)).ConfigureAwait(false);
        }
    }

    private IOException Fail(Exception cause) =>
        // System.IO.Ports on Linux reports poll()'s POLLERR (a hung-up tty: adapter unplugged, pty master gone) as a closed port.
        Fail(cause is ObjectDisposedException ? "the device hung up (unplugged or gone)" : cause.Message, cause);

    /// <summary>Keeps the first failure, closes the port so the pending read ends too, and returns the failure.</summary>
    private IOException Fail(string reason, Exception cause)
    {
        var failure = new IOException($"{PortName}: {reason}", cause);
        failure = Interlocked.CompareExchange(ref _failure, failure, null) ?? failure;
        ClosePort();
        return failure;
    }

    private void ClosePort()
    {
        if (Interlocked.Exchange(ref _portClosed, 1) != 0)
        {
            return;
        }

        if (ModemLinesDriven)
        {
            DropModemLines();
        }

        try
        {
            // The base stream, not SerialPort.Close: that first drains the output (tcdrain), which blocks on stuck flow control.
            _device.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Windows lowers DTR on close and throws when the device is already gone; the handle is closed all the same.
        }

        _port.Dispose();
    }

    /// <summary>
    /// Never leave a line asserted that could key a transmitter (Hamlib#1343, Direwolf#44); RTS first. Done
    /// here because HUPCL, which System.IO.Ports leaves as the tty has it, may have been cleared (stty -hupcl).
    /// </summary>
    private void DropModemLines()
    {
        try
        {
            if (_port.Handshake == Handshake.None)
            {
                _port.RtsEnable = false;
            }

            _port.DtrEnable = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The device is gone: no line left to drive.
        }
    }
}
