using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Protocols.Dmr.Layer3;

namespace RadioGateway.Core.Commands;

/// <summary>Tuning of <see cref="CommandDispatcher"/>.</summary>
public sealed record CommandDispatcherOptions
{
    /// <summary>How long a radio has to answer (TMS ack, LRRP report/answer, TMP ack, radio-check reply).</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Wait before trying again when the link is down or the channel busy.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a confirmed data packet waits for the radio's response packet before it is sent again.</summary>
    public TimeSpan DataAcknowledgementTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Transmissions of a confirmed packet in all (the first and its retries).</summary>
    public int MaxDataAttempts { get; init; } = 3;

    /// <summary>The network (base station) the dispatcher transmits through, for logs and status.</summary>
    public string Network { get; init; } = "radio";

    /// <summary>CRC-9 bit order of confirmed blocks as the hardware profile names it (<c>capabilities.confirmedDataCrc9Order</c>).</summary>
    public Crc9BitOrder ConfirmedDataCrc9Order { get; init; } = Crc9BitOrder.MsbFirst;
}

/// <summary>
/// Takes validated commands, keeps them durably (accepted → transmitted → delivered | failed, each step journaled
/// and sent upstream as <c>command-result</c>), puts them on the air one at a time within the transmit limits,
/// and matches the radios' answers. Accepted commands survive a restart and go out afterwards unless expired;
/// transmitted ones keep waiting for their answer until their deadline.
/// </summary>
public sealed partial class CommandDispatcher(
    ICommandStore store,
    CommandEncoder encoder,
    IBurstTransmitter transmitter,
    TransmitLimiter limiter,
    TimeProvider time,
    ILogger<CommandDispatcher> logger,
    CommandDispatcherOptions? options = null)
{
    private readonly CommandDispatcherOptions _options = options ?? new CommandDispatcherOptions();
    private readonly Channel<string> _answers = Channel.CreateUnbounded<string>();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, (string CommandId, DateTimeOffset Deadline)> _awaiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastProblem = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Unconfirmed> _unconfirmed = new(StringComparer.Ordinal);
    private uint _sequence = (uint)Random.Shared.Next(1, 0x7FFF);
    private Crc9OrderSelector? _crc9;

    /// <summary>The CRC-9 bit order of confirmed data on this network: configured, current, and what radios answered.</summary>
    public Crc9OrderSelector Crc9Order => _crc9 ??= new Crc9OrderSelector(_options.Network, _options.ConfirmedDataCrc9Order, logger);

    /// <summary>Keeps a valid command and answers <c>accepted</c>; a redelivered id is not accepted twice.</summary>
    public bool Submit(CommandRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accepted = store.AcceptCommand(request, Result(request.Id, CommandState.Accepted, null));
        if (accepted)
        {
            LogAccepted(request.Id, CommandRequest.KindName(request.Kind), request.Target);
            _wake.Writer.TryWrite(true);
        }

        return accepted;
    }

    /// <summary>Answers a command that will not be sent with <c>failed</c> and the reason (<c>invalid: data.text: …</c>); nothing is keyed.</summary>
    public void Reject(string commandId, string reason) => Refuse(store, time, logger, commandId, reason);

    /// <summary>Journals and queues <c>failed</c> for a command refused before it was accepted.</summary>
    public static void Refuse(ICommandStore store, TimeProvider time, ILogger logger, string commandId, string reason)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        LogRefused(logger, commandId, reason);
        store.RecordResult(new CommandResultReported
        {
            Id = commandId + ".failed",
            Time = time.GetUtcNow(),
            CommandId = commandId,
            State = CommandState.Failed,
            Reason = reason,
        });
    }

    /// <summary>An answer heard on the air (see <see cref="AnswerKeys"/>).</summary>
    public void OnAnswer(string answerKey)
    {
        _answers.Writer.TryWrite(answerKey);
        _wake.Writer.TryWrite(true);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var open in store.OpenCommands().Where(c => c.State == CommandState.Transmitted && c.AnswerKey is not null))
        {
            _awaiting[open.AnswerKey!] = (open.Request.Id, open.AnswerDeadline ?? time.GetUtcNow());
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await StepAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                // The store refused a write (disk full, I/O error): nothing moved on; try again shortly.
                LogStoreFailed(e);
                wait = _options.RetryDelay;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                await _wake.Reader.ReadAsync(timeout.Token).AsTask().WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // time to look at deadlines and retries again
            }
            finally
            {
                await timeout.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>One pass: answers, deadlines, then at most one transmission. Returns how long to sleep at most.</summary>
    public async Task<TimeSpan> StepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (_answers.Reader.TryRead(out var key))
        {
            if (await ResendInOtherCrc9OrderAsync(key, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            KeepCrc9OrderThatWorked(key);
            _unconfirmed.Remove(key);
            if (_awaiting.Remove(key, out var waiting))
            {
                // An application answer implies the data arrived: no more link-layer retries for it.
                foreach (var stale in _unconfirmed.Where(u => u.Value.CommandId == waiting.CommandId).Select(u => u.Key).ToList())
                {
                    _unconfirmed.Remove(stale);
                }

                LogDelivered(waiting.CommandId, key);
                store.UpdateCommand(Result(waiting.CommandId, CommandState.Delivered, null), key, null);
            }
        }

        foreach (var (key, waiting) in _awaiting.Where(a => a.Value.Deadline <= now).ToList())
        {
            _awaiting.Remove(key);
            LogTimedOut(waiting.CommandId, key);
            store.UpdateCommand(Result(waiting.CommandId, CommandState.Failed, $"timeout: no answer from the radio within {_options.AnswerTimeout.TotalSeconds:0} s"), key, null);
        }

        await ResendUnconfirmedAsync(now, cancellationToken).ConfigureAwait(false);
        var next = _options.RetryDelay * 5;
        foreach (var due in _awaiting.Values.Select(a => a.Deadline).Concat(_unconfirmed.Values.Select(u => u.ResendAt)))
        {
            next = due - now < next ? due - now : next;
        }

        var pending = store.OpenCommands().FirstOrDefault(c => c.State == CommandState.Accepted);
        if (pending is null)
        {
            return Positive(next);
        }

        var request = pending.Request;
        if (request.ExpiresAt <= now)
        {
            var why = _lastProblem.Remove(request.Id, out var problem) ? problem : "timeout: expired before the channel was free";
            LogExpired(request.Id, why);
            store.UpdateCommand(Result(request.Id, CommandState.Failed, why), null, null);
            return TimeSpan.Zero;
        }

        var sequence = ++_sequence;
        var crc9Order = Crc9Order.Current;
        var transmission = encoder.Encode(request, sequence, crc9Order);
        if (!limiter.TryAcquire(request.Target, transmission.Airtime, out var retryAfter, out var limit))
        {
            _lastProblem[request.Id] = $"rejected: transmit limit ({limit}) held it until it expired";
            LogLimited(request.Id, limit!, retryAfter.TotalSeconds);
            return Positive(retryAfter < next ? retryAfter : next);
        }

        try
        {
            await transmitter.TransmitAsync(transmission.Bursts, cancellationToken).ConfigureAwait(false);
        }
        catch (RadioLinkDownException e)
        {
            _lastProblem[request.Id] = "link-down: " + e.Message;
            return _options.RetryDelay;
        }
        catch (ChannelBusyException e)
        {
            _lastProblem[request.Id] = "timeout: " + e.Message;
            return _options.RetryDelay;
        }
        catch (TransmitWatchdogException e)
        {
            store.UpdateCommand(Result(request.Id, CommandState.Failed, "rejected: " + e.Message), null, null);
            return TimeSpan.Zero;
        }

        _lastProblem.Remove(request.Id);
        var deadline = time.GetUtcNow() + _options.AnswerTimeout;
        LogTransmitted(request.Id, transmission.Protocol, transmission.Bursts.Count, request.Target);
        store.UpdateCommand(Result(request.Id, CommandState.Transmitted, null), transmission.AnswerKey, transmission.AnswerKey is null ? null : deadline);
        if (transmission.AnswerKey is { } answerKey)
        {
            _awaiting[answerKey] = (request.Id, deadline);
        }

        if (transmission.LinkAcknowledgementKey is { } linkKey)
        {
            _unconfirmed[linkKey] = new Unconfirmed(request.Id, transmission.Bursts, 1, time.GetUtcNow() + _options.DataAcknowledgementTimeout, request, sequence, crc9Order);
        }

        return TimeSpan.Zero;
    }

    /// <summary>Confirmed packets whose response packet did not come: sent again, up to <see cref="CommandDispatcherOptions.MaxDataAttempts"/> in all.</summary>
    private async Task ResendUnconfirmedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (key, unconfirmed) in _unconfirmed.Where(u => u.Value.ResendAt <= now).ToList())
        {
            if (unconfirmed.Attempts >= _options.MaxDataAttempts)
            {
                _unconfirmed.Remove(key);
                LogNoDataAcknowledgement(unconfirmed.CommandId, unconfirmed.Attempts);
                continue;
            }

            try
            {
                await transmitter.TransmitAsync(unconfirmed.Bursts, cancellationToken).ConfigureAwait(false);
                LogResent(unconfirmed.CommandId, unconfirmed.Attempts + 1);
            }
            catch (Exception e) when (e is IOException)
            {
                LogResendFailed(unconfirmed.CommandId, e.Message);
            }

            _unconfirmed[key] = unconfirmed with { Attempts = unconfirmed.Attempts + 1, ResendAt = time.GetUtcNow() + _options.DataAcknowledgementTimeout };
        }
    }

    /// <summary>
    /// A radio asked for a confirmed packet again after a CRC failure (selective retry or CRC NACK): the packet goes
    /// out again at once with its CRC-9s in the other bit order, counting as one of its attempts. False when the key
    /// is not such a request; a request with no packet to that radio waiting (or its attempts used up) is dropped.
    /// </summary>
    private async Task<bool> ResendInOtherCrc9OrderAsync(string answerKey, CancellationToken cancellationToken)
    {
        if (!AnswerKeys.TryReadDataCrcRetryRequest(answerKey, out var unit))
        {
            return false;
        }

        var linkKey = AnswerKeys.DataAcknowledgement(unit);
        if (!_unconfirmed.TryGetValue(linkKey, out var unconfirmed) || unconfirmed.Attempts >= _options.MaxDataAttempts)
        {
            LogCrcRetryIgnored(unit);
            return true;
        }

        var order = Crc9Order.RetryOrder(unconfirmed.Crc9Order);
        var bursts = encoder.Encode(unconfirmed.Request, unconfirmed.Sequence, order).Bursts;
        try
        {
            await transmitter.TransmitAsync(bursts, cancellationToken).ConfigureAwait(false);
            LogResentInOtherCrc9Order(unconfirmed.CommandId, unit, order.Name(), unconfirmed.Attempts + 1);
        }
        catch (Exception e) when (e is IOException)
        {
            LogResendFailed(unconfirmed.CommandId, e.Message);
        }

        _unconfirmed[linkKey] = unconfirmed with { Bursts = bursts, Crc9Order = order, Attempts = unconfirmed.Attempts + 1, ResendAt = time.GetUtcNow() + _options.DataAcknowledgementTimeout };
        return true;
    }

    /// <summary>A confirmed packet was acknowledged: the CRC-9 order it went out in is the one this network keeps.</summary>
    private void KeepCrc9OrderThatWorked(string answerKey)
    {
        if (_unconfirmed.TryGetValue(answerKey, out var acknowledged))
        {
            Crc9Order.Acknowledged(acknowledged.Crc9Order);
        }
    }

    private sealed record Unconfirmed(string CommandId, IReadOnlyList<Protocols.Dmr.Air.SlotBurst> Bursts, int Attempts, DateTimeOffset ResendAt, CommandRequest Request, uint Sequence, Crc9BitOrder Crc9Order);

    private static TimeSpan Positive(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(10);

    private CommandResultReported Result(string commandId, CommandState state, string? reason) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"{commandId}.{state.ToString().ToLowerInvariant()}"),
        Time = time.GetUtcNow(),
        CommandId = commandId,
        State = state,
        Reason = reason,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId}: no data acknowledgement, sent again (attempt {Attempt})")]
    private partial void LogResent(string commandId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId}: radio {Unit} asked again after a CRC failure, sent again with CRC-9 {Order} (attempt {Attempt})")]
    private partial void LogResentInOtherCrc9Order(string commandId, uint unit, string order, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "CRC retry request from {Unit} with no confirmed packet waiting for it (or its attempts used up)")]
    private partial void LogCrcRetryIgnored(uint unit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId}: resending failed: {Reason}")]
    private partial void LogResendFailed(string commandId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId}: no data acknowledgement after {Attempts} transmissions")]
    private partial void LogNoDataAcknowledgement(string commandId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command store failed; commands wait and are retried")]
    private partial void LogStoreFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} accepted: {Kind} to {Target}")]
    private partial void LogAccepted(string commandId, string kind, uint target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} refused, nothing transmitted: {Reason}")]
    private static partial void LogRefused(ILogger logger, string commandId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} transmitted as {Protocol} ({Bursts} bursts) to {Target}")]
    private partial void LogTransmitted(string commandId, string protocol, int bursts, uint target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} delivered ({AnswerKey})")]
    private partial void LogDelivered(string commandId, string answerKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} failed: no answer ({AnswerKey})")]
    private partial void LogTimedOut(string commandId, string answerKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} expired: {Reason}")]
    private partial void LogExpired(string commandId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} held by the transmit limit ({Limit}); next try in {RetrySeconds:0.0} s")]
    private partial void LogLimited(string commandId, string limit, double retrySeconds);
}
