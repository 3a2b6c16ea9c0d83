using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;
using RadioGateway.Resilience;

namespace RadioGateway.Core.Adapters;

/// <summary>
/// Keeps one base station's link up: opens the transport, runs the dialect's session over it, and when the
/// device disappears or errors, marks the link down, ends running calls as <c>link-lost</c> and reopens with
/// the shared jittered exponential <see cref="Backoff"/>. Decoding resumes when the device comes back.
/// A link is anything that can be closed: a byte stream (serial, TCP) or a control station's bound sockets.
/// </summary>
public sealed partial class RadioLinkSupervisor(
    string radioId,
    Func<CancellationToken, ValueTask<IAsyncDisposable>> openLink,
    Func<IAsyncDisposable, CancellationToken, Task> runSession,
    Action<CallEndReason> endCalls,
    IEventSink sink,
    TimeProvider time,
    ILogger logger,
    RadioLinkBackoff? backoff = null)
{
    /// <summary>Supervises a byte-stream link (serial port, TCP).</summary>
    public RadioLinkSupervisor(
        string radioId,
        Func<CancellationToken, ValueTask<Stream>> openLink,
        Func<Stream, CancellationToken, Task> runSession,
        Action<CallEndReason> endCalls,
        IEventSink sink,
        TimeProvider time,
        ILogger logger,
        RadioLinkBackoff? backoff = null)
        : this(radioId, Disposable(openLink), (link, ct) => runSession((Stream)link, ct), endCalls, sink, time, logger, backoff)
    {
    }

    private readonly RadioLinkBackoff _backoff = backoff ?? new RadioLinkBackoff();
    private int _eventCounter;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delays = new Backoff(_backoff.Initial, _backoff.Maximum);
        var wasUp = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            IAsyncDisposable link;
            try
            {
                link = await openLink(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                var retryIn = delays.Next();
                LogOpenFailed(radioId, e.Message, retryIn.TotalSeconds);
                if (wasUp)
                {
                    wasUp = false;
                    PublishLink(false, e.Message);
                }

                await DelayAsync(retryIn, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var openedAt = time.GetTimestamp();
            string reason;
            wasUp = true;
            await using (link.ConfigureAwait(false))
            {
                try
                {
                    await runSession(link, cancellationToken).ConfigureAwait(false);
                    reason = "session ended";
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    endCalls(CallEndReason.Shutdown);
                    PublishLink(false, "gateway stopping");
                    break;
                }
                catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException or ObjectDisposedException)
                {
                    reason = e.Message;
                }
            }

            endCalls(CallEndReason.LinkLost);
            PublishLink(false, reason);
            wasUp = false;
            if (time.GetElapsedTime(openedAt) >= _backoff.HealthyAfter)
            {
                delays.Reset();
            }

            var reopenIn = delays.Next();
            LogLinkLost(radioId, reason, reopenIn.TotalSeconds);
            await DelayAsync(reopenIn, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Func<CancellationToken, ValueTask<IAsyncDisposable>> Disposable(Func<CancellationToken, ValueTask<Stream>> openStream) =>
        async cancellationToken => await openStream(cancellationToken).ConfigureAwait(false);

    private void PublishLink(bool up, string detail)
    {
        var now = time.GetUtcNow();
        sink.Publish(new ModemStatusChanged
        {
            Id = $"{radioId}.link.{EventIdTime.Of(now)}.{Interlocked.Increment(ref _eventCounter)}",
            Time = now,
            RadioId = radioId,
            LinkUp = up,
            Detail = detail,
        });
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: cannot open the link ({Reason}); retrying in {DelaySeconds:0.0} s")]
    private partial void LogOpenFailed(string radio, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Radio}: link lost ({Reason}); running calls ended as link-lost; reopening in {DelaySeconds:0.0} s")]
    private partial void LogLinkLost(string radio, string reason, double delaySeconds);
}

/// <summary>Reopen delays after a link failure (waits of the shared <see cref="Backoff"/>).</summary>
public sealed record RadioLinkBackoff
{
    /// <summary>Ceiling of the first wait.</summary>
    public TimeSpan Initial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>No wait is longer.</summary>
    public TimeSpan Maximum { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A session that lasted this long resets the backoff to <see cref="Initial"/>.</summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(30);
}
