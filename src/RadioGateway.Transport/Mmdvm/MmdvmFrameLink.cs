using System.Runtime.CompilerServices;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Mmdvm;

namespace RadioGateway.Transport.Mmdvm;

/// <summary>
/// MMDVM frames over a byte stream, for both ends of the serial line (the gateway's modem session and the
/// simulated modem): whole frames and skipped bytes in, frames out one writer at a time, each flushed.
/// </summary>
public sealed class MmdvmFrameLink(Stream stream) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly MmdvmFrameBuffer _buffer = new();

    /// <summary>Frames and skips as they arrive; ends when the other side closes the stream.</summary>
    public async IAsyncEnumerable<MmdvmReadItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await stream.ReadAsync(_buffer.WriteMemory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                yield break;
            }

            _buffer.Advance(read);
            foreach (var item in _buffer.Drain())
            {
                yield return item;
            }
        }
    }

    public async Task WriteAsync(MmdvmCommand command, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var bytes = MmdvmFrameWriter.ToArray(command, payload.Span);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes a burst as the DMR_DATA frame of its slot.</summary>
    public Task WriteAsync(SlotBurst burst, CancellationToken cancellationToken)
    {
        var frame = MmdvmDmrFrame.FromSlotBurst(burst);
        return WriteAsync(frame.Command, frame.EncodePayload(), cancellationToken);
    }

    public void Dispose() => _writeLock.Dispose();
}
