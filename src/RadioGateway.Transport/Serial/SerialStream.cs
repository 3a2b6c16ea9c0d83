using System.IO.Pipelines;

namespace RadioGateway.Transport.Serial;

/// <summary>
/// A serial port as a Stream: a dedicated reader thread blocks in the OS (poll on Linux, ReadFile with
/// COMMTIMEOUTS on Windows) and feeds a pipe; ReadAsync reads the pipe. A device that disappears fails the
/// next read with an <see cref="IOException"/> naming the port.
/// </summary>
public abstract class SerialStream : Stream
{
    private readonly Pipe _received = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
    private readonly Stream _reader;
    private readonly Thread _thread;
    private volatile bool _closing;

    protected SerialStream(string portName)
    {
        PortName = portName;
        _reader = _received.Reader.AsStream();
        _thread = new Thread(ReadLoop) { IsBackground = true, Name = $"serial reader {portName}" };
    }

    public string PortName { get; }

    protected bool Closing => _closing;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Starts the reader thread; call once the port is configured.</summary>
    protected void StartReading() => _thread.Start();

    /// <summary>Blocks up to a short time for input; returns bytes read, 0 for none yet. Throws IOException when the device is gone.</summary>
    protected abstract int ReadFromDevice(Span<byte> buffer);

    protected abstract void WriteToDevice(ReadOnlySpan<byte> data);

    /// <summary>Restores the idle line states and closes the handle.</summary>
    protected abstract void CloseDevice();

    public override int Read(byte[] buffer, int offset, int count) => _reader.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _reader.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _reader.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => WriteToDevice(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WriteToDevice(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closing)
        {
            _closing = true;
            if (_thread.IsAlive)
            {
                _thread.Join(TimeSpan.FromSeconds(2));
            }

            CloseDevice();
            _received.Reader.Complete();
        }

        base.Dispose(disposing);
    }

    private void ReadLoop()
    {
        var writer = _received.Writer;
        Exception? failure = null;
        try
        {
            while (!_closing)
            {
                var memory = writer.GetMemory(4096);
                var read = ReadFromDevice(memory.Span);
                if (read == 0)
                {
                    continue;
                }

                writer.Advance(read);
                var flushed = writer.FlushAsync().AsTask().GetAwaiter().GetResult();
                if (flushed.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (IOException e)
        {
            failure = e;
        }
        finally
        {
            writer.Complete(_closing ? null : failure ?? new IOException($"{PortName}: reader stopped"));
        }
    }
}
