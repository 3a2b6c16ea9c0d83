using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace RadioGateway.Uplink;

/// <summary>
/// Opens the broker's TCP connection for MQTTnet (its <see cref="IMqttClientStreamProvider"/> seam) as an
/// <see cref="UplinkSocketStream"/>. TLS, when configured, is layered on top by MQTTnet.
/// </summary>
internal sealed class UplinkStreamProvider : IMqttClientStreamProvider
{
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
            return new UplinkSocketStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>
/// The broker socket as a stream, with the two things MQTTnet's own TCP channel lacks and a fast uplink needs:
/// <list type="bullet">
/// <item>Writes are coalesced. MQTTnet writes every packet straight to the socket, header and payload apart,
/// under its send lock: two system calls per QoS 1 publish. Here a write only appends to a buffer and one
/// sender task puts everything waiting into the socket with one call, so a window of publishes leaves in a few
/// segments. A write completes before its bytes are on the wire, as with any socket buffer: delivery is
/// confirmed by PUBACK, never by a write. A failed send closes the socket, so the reader and MQTTnet see it.</item>
/// <item>Reads are buffered (MQTTnet reads a 4-byte PUBACK in two or three calls), and on Linux each receive
/// re-arms TCP_QUICKACK (tcp(7): the kernel clears it again), so a broker that Nagles its PUBACKs, as
/// mosquitto does by default, is not held up by our delayed ACK (32 → 1.3 ms outbox-to-PUBACK, session 2).</item>
/// </list>
/// </summary>
internal sealed class UplinkSocketStream : Stream, IMqttClientStreamEndPoints
{
    private const int TcpQuickAck = 12; // TCP_QUICKACK, linux/tcp.h
    private const int ReceiveBufferSize = 16 * 1024;
    // Writers wait for the sender above this much unsent data, so a stalled peer cannot grow memory.
    private const int MaxUnsentBytes = 1 << 20;
    private static readonly TimeSpan SendOnCloseTimeout = TimeSpan.FromSeconds(2);
    private static readonly byte[] QuickAckOn = [1, 0, 0, 0];

    private readonly Socket _socket;
    private readonly byte[] _received = new byte[ReceiveBufferSize];
    private readonly Lock _gate = new();
    private ArrayBufferWriter<byte> _unsent = new(8 * 1024);
    private ArrayBufferWriter<byte> _sending = new(8 * 1024);
    private int _receivedStart;
    private int _receivedEnd;
    private bool _senderRunning;
    private Exception? _sendFailure;
    private TaskCompletionSource? _drained;
    private TaskCompletionSource? _idle;

    public UplinkSocketStream(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    public EndPoint? LocalEndPoint { get; }

    public EndPoint? RemoteEndPoint { get; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_receivedStart == _receivedEnd)
        {
            _receivedStart = 0;
            _receivedEnd = await _socket.ReceiveAsync(_received, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            AcknowledgeQuickly();
            if (_receivedEnd == 0)
            {
                return 0;
            }
        }

        var count = Math.Min(buffer.Length, _receivedEnd - _receivedStart);
        _received.AsSpan(_receivedStart, count).CopyTo(buffer.Span);
        _receivedStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Task? drained = null;
        var startSender = false;
        lock (_gate)
        {
            if (_sendFailure is { } failure)
            {
                return ValueTask.FromException(new IOException("The connection to the broker failed: " + failure.Message, failure));
            }

            buffer.Span.CopyTo(_unsent.GetSpan(buffer.Length));
            _unsent.Advance(buffer.Length);
            if (!_senderRunning)
            {
                _senderRunning = startSender = true;
            }
            else if (_unsent.WrittenCount > MaxUnsentBytes)
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
        }

        if (startSender)
        {
            _ = Task.Run(SendAllAsync, CancellationToken.None);
        }

        return drained is null ? ValueTask.CompletedTask : new ValueTask(drained.WaitAsync(cancellationToken));
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // What was written goes out before the socket closes: MQTTnet writes DISCONNECT and closes at once, and a
            // DISCONNECT lost here would make the broker publish the Will of a gateway that stopped cleanly.
            Task? sent = null;
            lock (_gate)
            {
                if (_senderRunning && _sendFailure is null)
                {
                    _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    sent = _idle.Task;
                }
            }

            sent?.Wait(SendOnCloseTimeout);
            lock (_gate)
            {
                _sendFailure ??= new ObjectDisposedException(nameof(UplinkSocketStream));
                _drained?.TrySetResult();
            }

            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    // The one sender: swaps the unsent buffer out under the lock and sends it whole, until nothing is left.
    private async Task SendAllAsync()
    {
        while (true)
        {
            TaskCompletionSource? drained;
            TaskCompletionSource? idle = null;
            lock (_gate)
            {
                (_sending, _unsent) = (_unsent, _sending);
                _unsent.ResetWrittenCount();
                drained = _drained;
                _drained = null;
                if (_sending.WrittenCount == 0)
                {
                    _senderRunning = false;
                    idle = _idle;
                    _idle = null;
                }
            }

            drained?.TrySetResult();
            idle?.TrySetResult();
            if (_sending.WrittenCount == 0)
            {
                return;
            }

            try
            {
                var remaining = _sending.WrittenMemory;
                while (!remaining.IsEmpty)
                {
                    var sent = await _socket.SendAsync(remaining, SocketFlags.None).ConfigureAwait(false);
                    remaining = remaining[sent..];
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                lock (_gate)
                {
                    _sendFailure ??= exception;
                    _senderRunning = false;
                    _drained?.TrySetResult();
                    _idle?.TrySetResult();
                }

                _socket.Dispose();
                return;
            }
        }
    }

    private void AcknowledgeQuickly()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpQuickAck, QuickAckOn);
            }
            catch (SocketException)
            {
                // The socket is closing; the next receive reports it.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
