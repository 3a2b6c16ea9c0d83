using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;
using RadioGateway.Protocols.Aprs;
using RadioGateway.Protocols.Common;

namespace RadioGateway.Core.Adapters.Aprs;

/// <summary>
/// One connection to a KISS TNC (Direwolf's KISS TCP port, default 8001): reads KISS data frames, decodes AX.25 UI
/// frames and publishes what <see cref="AprsEventMapper"/> makes of them. Bad frames are skipped to the next FEND
/// and counted. Returns when the TNC closes the connection (the <see cref="RadioLinkSupervisor"/> reconnects).
/// </summary>
public sealed partial class AprsKissSession(AprsEventMapper mapper, IEventSink sink, TimeProvider time, ILogger logger)
{
    private long _framesSkipped;

    /// <summary>KISS frames or AX.25/APRS contents that did not decode (since start).</summary>
    public long FramesSkipped => Interlocked.Read(ref _framesSkipped);

    public async Task RunAsync(Stream link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        var reader = PipeReader.Create(link, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = Kiss.TryDecode(buffer, out var frame, out var consumed, out var error);
                    if (status == DecodeStatus.Done)
                    {
                        buffer = buffer.Slice(consumed);
                        Handle(frame!);
                        continue;
                    }

                    if (status == DecodeStatus.Invalid)
                    {
                        Skip(error.ToString());
                        var next = buffer.Slice(Math.Min(1, buffer.Length)).PositionOf(Kiss.Fend);
                        buffer = next is { } at ? buffer.Slice(at) : buffer.Slice(buffer.End);
                        continue;
                    }

                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void Handle(KissFrame frame)
    {
        if (!frame.IsData)
        {
            return;
        }

        if (Ax25.TryDecode(frame.Payload, out var ui, out var error) != DecodeStatus.Done)
        {
            Skip($"AX.25 {error}");
            return;
        }

        var events = mapper.Map(ui!, time.GetUtcNow(), out var problem);
        foreach (var domainEvent in events)
        {
            sink.Publish(domainEvent);
        }

        if (problem is not null)
        {
            Skip($"APRS {problem}");
        }
    }

    private void Skip(string reason)
    {
        Interlocked.Increment(ref _framesSkipped);
        LogSkipped(Escape(reason));
    }

    // Decoder messages quote received characters; keep control characters out of the log.
    private static string Escape(string text) => string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    [LoggerMessage(Level = LogLevel.Debug, Message = "APRS frame skipped: {Reason}")]
    private partial void LogSkipped(string reason);
}
