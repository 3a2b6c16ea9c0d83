using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Hytera;

namespace RadioGateway.Core.ControlStations.Hytera;

/// <summary>
/// One HRNP session on a TCP connection to the control station: frames in (resynchronising on 0x7E after damage),
/// frames out one at a time, and the DATA frames still waiting for their DATA_ACK by packet number.
/// </summary>
internal sealed class HrnpLink(TcpClient client) : IAsyncDisposable
{
    private readonly NetworkStream _stream = client.GetStream();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly HrnpFrameReader _reader = new();
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource> _awaitingAck = new();
    private readonly Lock _sessionGate = new();
    private readonly HrnpSession _session = new();
    private readonly byte[] _chunk = new byte[2048];
    private byte[] _buffered = [];

    /// <summary>CONNECT (packet numbering restarts).</summary>
    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        HrnpFrame frame;
        lock (_sessionGate)
        {
            frame = _session.Connect();
        }

        return WriteAsync(frame, cancellationToken);
    }

    public HrnpReceived Classify(HrnpFrame frame)
    {
        lock (_sessionGate)
        {
            return _session.Receive(frame);
        }
    }

    public Task AcknowledgeAsync(HrnpFrame data, CancellationToken cancellationToken) => WriteAsync(_session.AckOf(data), cancellationToken);

    public Task CloseAckAsync(CancellationToken cancellationToken) => WriteAsync(_session.CloseAck(), cancellationToken);

    public Task CloseAsync(CancellationToken cancellationToken) => WriteAsync(_session.Close(), cancellationToken);

    /// <summary>Sends one HDAP message in a DATA frame and waits for its DATA_ACK.</summary>
    /// <exception cref="TimeoutException">No DATA_ACK within <paramref name="ackTimeout"/>.</exception>
    public async Task SendDataAsync(byte[] hdap, TimeSpan ackTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        HrnpFrame frame;
        lock (_sessionGate)
        {
            frame = _session.Data(hdap);
            _awaitingAck[frame.PacketNumber] = acknowledged;
        }

        try
        {
            await WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await acknowledged.Task.WaitAsync(ackTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _awaitingAck.TryRemove(new KeyValuePair<ushort, TaskCompletionSource>(frame.PacketNumber, acknowledged));
        }
    }

    /// <summary>A DATA_ACK arrived: the DATA frame with its packet number is delivered.</summary>
    public void Acknowledged(HrnpFrame ack)
    {
        if (_awaitingAck.TryRemove(ack.PacketNumber, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    /// <summary>The next whole frame; damaged bytes are skipped and reported through <paramref name="skipped"/>.</summary>
    /// <exception cref="IOException">The radio closed the connection or it failed.</exception>
    public async Task<HrnpFrame> ReadFrameAsync(Action<DecodeError> skipped, CancellationToken cancellationToken)
    {
        while (true)
        {
            var buffer = new ReadOnlySequence<byte>(_buffered);
            var status = _reader.TryRead(ref buffer, out var frame, out var skip);
            if (status != DecodeStatus.NeedMoreData)
            {
                _buffered = buffer.ToArray();
                if (frame is not null)
                {
                    return frame;
                }

                skipped(skip);
                continue;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_chunk, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new IOException($"HRNP connection failed: {e.Message}", e);
            }

            if (read == 0)
            {
                throw new IOException("the control station closed the HRNP connection");
            }

            _buffered = [.. _buffered, .. _chunk.AsSpan(0, read)];
        }
    }

    private async Task WriteAsync(HrnpFrame frame, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>(Hrnp.HeaderLength + frame.Data.Length);
        Hrnp.Write(output, frame);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new IOException($"HRNP connection failed: {e.Message}", e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var waiting in _awaitingAck.Values)
        {
            waiting.TrySetException(new IOException("the HRNP session ended before the frame was acknowledged"));
        }

        client.Dispose();
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
