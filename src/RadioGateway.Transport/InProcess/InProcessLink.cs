using System.IO.Pipelines;

namespace RadioGateway.Transport.InProcess;

/// <summary>
/// Two connected in-memory streams, like the two ends of a serial cable, for the built-in simulated base
/// station (<c>radiogw run --simulate</c>) and tests. Disposing one end makes reads on the other return 0.
/// </summary>
public static class InProcessLink
{
    public static (Stream HostEnd, Stream DeviceEnd) CreatePair()
    {
        var toDevice = new Pipe();
        var toHost = new Pipe();
        return (new DuplexStream(toHost.Reader, toDevice.Writer), new DuplexStream(toDevice.Reader, toHost.Writer));
    }

    private sealed class DuplexStream(PipeReader input, PipeWriter output) : Stream
    {
        private readonly Stream _reader = input.AsStream();
        private readonly Stream _writer = output.AsStream();

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _reader.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _reader.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _reader.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => _writer.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _writer.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _writer.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => _writer.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                input.Complete();
                output.Complete();
            }

            base.Dispose(disposing);
        }
    }
}
