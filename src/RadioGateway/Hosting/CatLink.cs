using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Announcements;
using RadioGateway.Core.Events;
using RadioGateway.Resilience;

namespace RadioGateway.Hosting;

/// <summary>
/// One radio's CAT link to rigctld, kept up unattended: connects, reads frequency and mode at once and every
/// <see cref="AnnouncementService.CatPollInterval"/>; when connecting, a reading or a command fails, it drops the
/// connection and reconnects after a wait of the shared <see cref="Backoff"/> (reset by a good connection). The link
/// is the modem status of radio <c>NAME.cat</c>: up with frequency and mode when they change and whenever the link
/// comes back, down (endpoint and error) once per outage. With PTT by CAT, every new connection unkeys first.
/// </summary>
public sealed partial class CatLink(string radioId, string host, int port, bool pttByCat, IEventSink sink, CatStatus? status, TimeProvider time, ILogger logger)
{
    /// <summary>Ceiling of the first wait before reconnecting.</summary>
    public static readonly TimeSpan ReconnectMinimum = TimeSpan.FromSeconds(1);

    /// <summary>No wait before reconnecting is longer.</summary>
    public static readonly TimeSpan ReconnectMaximum = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RigctldClient? _rig;
    private TaskCompletionSource<string>? _lost;
    private string _error = "not connected yet";
    private int _eventCounter;

    /// <summary><c>host:port</c> of rigctld.</summary>
    public string Endpoint { get; } = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");

    /// <summary>Completes once the first connection has been made or has failed (or the link stopped).</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    /// <summary>PTT by CAT over whichever connection is up; fails with <see cref="IOException"/> naming the endpoint while down.</summary>
    public IPtt Ptt => new LinkPtt(this);

    /// <summary><c>CAT link to rigctld HOST:PORT is down: ERROR</c>, or null while the link is up.</summary>
    public string? DownReason
    {
        get
        {
            lock (_gate)
            {
                return _rig is null ? DownText(_error) : null;
            }
        }
    }

    /// <summary>Connects, polls and reconnects until <paramref name="stoppingToken"/> is cancelled; never throws otherwise.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var delays = new Backoff(ReconnectMinimum, ReconnectMaximum);
        var downPublished = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            string error;
            RigctldClient? rig = null;
            try
            {
                rig = await RigctldClient.ConnectAsync(host, port, stoppingToken).ConfigureAwait(false);
                if (pttByCat)
                {
                    // A transmitter left keyed when the previous link (or run) went is released.
                    await rig.SetPttAsync(false, stoppingToken).ConfigureAwait(false);
                }

                // The poll's clock starts before the first reading is published.
                using var poll = new PeriodicTimer(AnnouncementService.CatPollInterval, time);
                var state = await rig.GetStateAsync(stoppingToken).ConfigureAwait(false);
                var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_gate)
                {
                    _rig = rig;
                    _lost = lost;
                }

                delays.Reset();
                if (downPublished)
                {
                    LogBack(Endpoint, state.FrequencyHz, state.Mode);
                }

                Publish(rig, state, cameBack: true);
                _firstAttempt.TrySetResult();
                downPublished = false;
                error = await PollAsync(rig, poll, lost.Task, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (OperationCanceledException)
            {
                error = NoAnswer;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                error = e.Message;
            }
            finally
            {
                lock (_gate)
                {
                    _rig = null;
                    _lost = null;
                }

                if (rig is not null)
                {
                    await rig.DisposeAsync().ConfigureAwait(false);
                }
            }

            lock (_gate)
            {
                _error = error;
            }

            var retryIn = delays.Next();
            // The wait exists before the status says down, so a test clock moved on seeing it passes the wait.
            var wait = Task.Delay(retryIn, time, stoppingToken);
            if (!downPublished)
            {
                downPublished = true;
                LogDown(Endpoint, error, retryIn.TotalSeconds);
                PublishDown(error);
                _firstAttempt.TrySetResult();
            }
            else
            {
                LogStillDown(Endpoint, error, retryIn.TotalSeconds);
            }

            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _firstAttempt.TrySetResult();
    }

    /// <summary>Runs <paramref name="command"/> on the connected rigctld; a link found broken is dropped (and reconnected).</summary>
    /// <exception cref="IOException">The link is down or broke: <c>CAT link to rigctld HOST:PORT is down: ERROR</c>.</exception>
    public async Task<T> UseAsync<T>(Func<RigctldClient, CancellationToken, Task<T>> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        RigctldClient rig;
        lock (_gate)
        {
            rig = _rig ?? throw new IOException(DownText(_error));
        }

        try
        {
            return await command(rig, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Drop(rig, NoAnswer, e);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw Drop(rig, e.Message, e);
        }
    }

    private static string NoAnswer => string.Create(CultureInfo.InvariantCulture, $"no answer within {RigctldClient.ReplyTimeout.TotalSeconds:0} s");

    private string DownText(string error) => $"CAT link to rigctld {Endpoint} is down: {error}";

    /// <summary>Marks the link of <paramref name="rig"/> down and wakes the poll loop to reconnect.</summary>
    private IOException Drop(RigctldClient rig, string error, Exception inner)
    {
        TaskCompletionSource<string>? lost = null;
        string reported;
        lock (_gate)
        {
            if (ReferenceEquals(_rig, rig))
            {
                _rig = null;
                _error = error;
                lost = _lost;
            }

            // A link the poll already dropped keeps the poll's error.
            reported = _rig is null ? _error : error;
        }

        lost?.TrySetResult(error);
        return new IOException(DownText(reported), inner);
    }

    /// <summary>Reads CAT every tick until a reading fails or a command found the link broken; returns the error.</summary>
    private async Task<string> PollAsync(RigctldClient rig, PeriodicTimer poll, Task<string> lost, CancellationToken stoppingToken)
    {
        while (true)
        {
            var tick = poll.WaitForNextTickAsync(stoppingToken).AsTask();
            if (await Task.WhenAny(tick, lost).ConfigureAwait(false) == lost)
            {
                return await lost.ConfigureAwait(false);
            }

            await tick.ConfigureAwait(false);
            var state = await rig.GetStateAsync(stoppingToken).ConfigureAwait(false);
            Publish(rig, state, cameBack: false);
        }
    }

    /// <summary>Publishes the link up with its reading when it changed or the link (re)connected.</summary>
    private void Publish(RigctldClient rig, RigState state, bool cameBack)
    {
        var now = time.GetUtcNow();
        var changed = status?.Update(new CatReading(radioId, rig.Endpoint, state, now)) ?? true;
        if (!changed && !cameBack)
        {
            return; // unchanged: the modem status says it already
        }

        sink.Publish(new ModemStatusChanged
        {
            Id = NextEventId(now),
            Time = now,
            // The CAT link of the radio, beside (not instead of) its MMDVM link.
            RadioId = radioId + ".cat",
            LinkUp = true,
            Description = string.Create(CultureInfo.InvariantCulture, $"CAT {rig.Endpoint}: {state.FrequencyHz} Hz {state.Mode}"),
            Detail = string.Create(CultureInfo.InvariantCulture, $"frequencyHz={state.FrequencyHz} mode={state.Mode} passbandHz={state.PassbandHz}"),
        });
    }

    private void PublishDown(string error)
    {
        var now = time.GetUtcNow();
        sink.Publish(new ModemStatusChanged
        {
            Id = NextEventId(now),
            Time = now,
            RadioId = radioId + ".cat",
            LinkUp = false,
            Description = DownText(error),
        });
    }

    private string NextEventId(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{radioId}.cat.{EventIdTime.Of(now)}.{Interlocked.Increment(ref _eventCounter)}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "CAT link to rigctld {Rigctld} is down ({Reason}); announcements that need CAT fail; reconnecting in {DelaySeconds:0.0} s")]
    private partial void LogDown(string rigctld, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "CAT link to rigctld {Rigctld} still down ({Reason}); reconnecting in {DelaySeconds:0.0} s")]
    private partial void LogStillDown(string rigctld, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "CAT link to rigctld {Rigctld} is back: {FrequencyHz} Hz {Mode}")]
    private partial void LogBack(string rigctld, long frequencyHz, string mode);

    /// <summary><see cref="RigctldPtt"/> (<c>T 1</c> / <c>T 0</c>) over the link's current connection.</summary>
    private sealed class LinkPtt(CatLink link) : IPtt
    {
        public string Description => $"rigctld {link.Endpoint}";

        public ValueTask KeyAsync(CancellationToken cancellationToken) =>
            new(link.UseAsync(async (rig, ct) => { await new RigctldPtt(rig).KeyAsync(ct).ConfigureAwait(false); return true; }, cancellationToken));

        public ValueTask UnkeyAsync() =>
            new(link.UseAsync(async (rig, _) => { await new RigctldPtt(rig).UnkeyAsync().ConfigureAwait(false); return true; }, CancellationToken.None));
    }
}
