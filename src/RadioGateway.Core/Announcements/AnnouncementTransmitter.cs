using Microsoft.Extensions.Logging;
using RadioGateway.Core.Commands;

namespace RadioGateway.Core.Announcements;

/// <summary>A sound ready to go on the air: a PCM WAV file and how long it plays.</summary>
public sealed record AudioClip(string Path, TimeSpan Duration);

/// <summary>Plays a clip on the radio's audio input (the transmit audio); returns when it has been played out.</summary>
public interface IAudioPlayer
{
    Task PlayAsync(AudioClip clip, CancellationToken cancellationToken);
}

/// <summary>How an announcement ended.</summary>
/// <param name="Sent">Played out in full while keyed.</param>
/// <param name="Reason">Why not: the limit that held it, the watchdog, the player's or PTT's error.</param>
/// <param name="RetryAfter">When a limit held it: how long until it would be allowed.</param>
public readonly record struct AnnouncementOutcome(bool Sent, string? Reason, TimeSpan RetryAfter);

/// <summary>
/// Puts an announcement on the air: books its airtime with the one <see cref="TransmitLimiter"/> the data commands
/// use (per-unit and total per minute, duty cycle), keys the PTT, plays, unkeys — on every exit path, including the
/// player failing or the caller cancelling. A watchdog unkeys and stops playback once the transmitter has been keyed
/// for the profile's TX time-out, whatever the player does. One announcement at a time.
/// </summary>
public sealed partial class AnnouncementTransmitter(IPtt ptt, IAudioPlayer player, TransmitLimiter limiter, TimeSpan txTimeout, TimeProvider time, ILogger logger)
{
    /// <summary>Time between keying and the first audio (radios need it to get up to power; also booked as airtime).</summary>
    public TimeSpan KeyUpDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Unkeys (at start-up, so a transmitter left keyed by a crashed run is released).</summary>
    public ValueTask EnsureUnkeyedAsync() => ptt.UnkeyAsync();

    public async Task<AnnouncementOutcome> TransmitAsync(string announcementId, AudioClip clip, uint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var airtime = clip.Duration + KeyUpDelay;
        if (airtime > txTimeout)
        {
            return new AnnouncementOutcome(false, $"rejected: {airtime.TotalSeconds:0.#} s of audio is longer than the transmitter's time-out of {txTimeout.TotalSeconds:0.#} s", TimeSpan.Zero);
        }

        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!limiter.TryAcquire(target, airtime, out var retryAfter, out var limit))
            {
                return new AnnouncementOutcome(false, $"limited: {limit}", retryAfter);
            }

            return await KeyedAsync(announcementId, clip, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<AnnouncementOutcome> KeyedAsync(string announcementId, AudioClip clip, CancellationToken cancellationToken)
    {
        using var playback = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watchdogFired = 0;
        // The watchdog unkeys by itself: a player stuck in a driver call cannot hold the transmitter.
        await using var watchdog = time.CreateTimer(
            _ =>
            {
                Interlocked.Exchange(ref watchdogFired, 1);
                LogWatchdog(announcementId, txTimeout.TotalSeconds, ptt.Description);
                playback.Cancel();
                _ = UnkeyLoggedAsync(announcementId);
            },
            null,
            txTimeout,
            Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        try
        {
            await ptt.KeyAsync(playback.Token).ConfigureAwait(false);
            LogKeyed(announcementId, ptt.Description, clip.Duration.TotalSeconds);
            await Task.Delay(KeyUpDelay, time, playback.Token).ConfigureAwait(false);
            await player.PlayAsync(clip, playback.Token).ConfigureAwait(false);
            return new AnnouncementOutcome(true, null, TimeSpan.Zero);
        }
        catch (OperationCanceledException) when (Volatile.Read(ref watchdogFired) == 1)
        {
            return new AnnouncementOutcome(false, $"failed: the transmit watchdog unkeyed after {txTimeout.TotalSeconds:0.#} s", TimeSpan.Zero);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
        {
            return new AnnouncementOutcome(false, $"failed: {e.Message}", TimeSpan.Zero);
        }
        finally
        {
            await UnkeyLoggedAsync(announcementId).ConfigureAwait(false);
        }
    }

    private async Task UnkeyLoggedAsync(string announcementId)
    {
        try
        {
            await ptt.UnkeyAsync().ConfigureAwait(false);
            LogUnkeyed(announcementId, ptt.Description);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            LogUnkeyFailed(e, announcementId, ptt.Description);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Announcement {AnnouncementId}: keyed {Ptt}, playing {Seconds:0.0} s")]
    private partial void LogKeyed(string announcementId, string ptt, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Announcement {AnnouncementId}: unkeyed {Ptt}")]
    private partial void LogUnkeyed(string announcementId, string ptt);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Announcement {AnnouncementId}: could not unkey {Ptt}; check the transmitter")]
    private partial void LogUnkeyFailed(Exception exception, string announcementId, string ptt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Announcement {AnnouncementId}: transmit watchdog fired after {Seconds:0.#} s; unkeying {Ptt}")]
    private partial void LogWatchdog(string announcementId, double seconds, string ptt);
}
