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
/// <remarks>
/// Every keying — first send, confirmed-data resend, CRC-9-order resend — goes through the one
/// <see cref="GuardedTransmitter"/>. Accepted commands wait in memory (loaded from the store once, at the first
/// step) in arrival order; one held by its unit's limit, or behind a command to the same unit still waiting for
/// its data acknowledgement or for the same answer, is skipped and the next goes. Only a total or duty-cycle limit
/// holds them all.
/// </remarks>
public sealed partial class CommandDispatcher(
    ICommandStore store,
    ICommandEncoder encoder,
    GuardedTransmitter transmitter,
    TimeProvider time,
    ILogger<CommandDispatcher> logger,
    CommandDispatcherOptions? options = null)
{
    private readonly CommandDispatcherOptions _options = options ?? new CommandDispatcherOptions();
    private readonly Channel<CommandRequest> _submitted = Channel.CreateUnbounded<CommandRequest>();
    private readonly List<CommandRequest> _queue = [];
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private bool _loaded;
    private string? _heldByLimit;
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
            _submitted.Writer.TryWrite(request);
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
        // One wait for a wake-up outlives the sleeps it races: cancelling it each time (or timing out a read) would
        // throw two exceptions per idle cycle, steady garbage for a service that runs for months (issue 13 #6).
        Task<bool>? woken = null;
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

            woken ??= _wake.Reader.WaitToReadAsync(cancellationToken).AsTask();
            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var deadline = Task.Delay(wait, time, sleep.Token);
            if (await Task.WhenAny(woken, deadline).ConfigureAwait(false) == woken)
            {
                woken = null;
                while (_wake.Reader.TryRead(out _))
                {
                    // one pass handles every wake-up that came in meanwhile
                }
            }

            // A cancelled delay completes as cancelled without throwing; nothing awaits it.
            await sleep.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One pass: answers, deadlines, then at most one transmission. Returns how long to sleep at most.</summary>
    public async Task<TimeSpan> StepAsync(CancellationToken cancellationToken)
    {
        LoadOnce();
        while (_submitted.Reader.TryRead(out var submitted))
        {
            Enqueue(submitted);
        }

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

        ExpireQueued(now);
        foreach (var request in _queue)
        {
            if (!transmitter.WouldAllow(request.Target, out var heldFor, out var limit, out var unitLimit))
            {
                if (!unitLimit)
                {
                    // A total or duty-cycle limit: nothing may go, whichever unit.
                    _heldByLimit = limit;
                    LogLimited(request.Id, limit!, heldFor.TotalSeconds);
                    return Positive(heldFor < next ? heldFor : next);
                }

                _lastProblem[request.Id] = $"rejected: transmit limit ({limit}) held it until it expired";
                next = heldFor < next ? heldFor : next;
                continue;
            }

            var sequence = _sequence + 1;
            var crc9Order = Crc9Order.Current;
            var transmission = encoder.Encode(request, sequence, crc9Order);
            if (transmission.Refused is { } refused)
            {
                // Refused before anything is keyed (the radio cannot carry it, or its address is outside the networks).
                Dequeue(request);
                LogRefused(logger, request.Id, refused);
                store.UpdateCommand(Result(request.Id, CommandState.Failed, refused), null, null);
                return TimeSpan.Zero;
            }

            if (BlockedBy(transmission) is { } blocking)
            {
                _lastProblem[request.Id] = $"timeout: waited behind command {blocking} to the same unit until it expired";
                continue;
            }

            return await TransmitAsync(request, transmission, sequence, crc9Order, next, cancellationToken).ConfigureAwait(false);
        }

        _heldByLimit = null;
        return Positive(next);
    }

    /// <summary>The command whose answer or data acknowledgement this transmission would be confused with, if one is outstanding.</summary>
    private string? BlockedBy(Transmission transmission) =>
        transmission.AnswerKey is { } answerKey && _awaiting.TryGetValue(answerKey, out var waiting) ? waiting.CommandId
        : transmission.LinkAcknowledgementKey is { } linkKey && _unconfirmed.TryGetValue(linkKey, out var unconfirmed) ? unconfirmed.CommandId
        : null;

    private async Task<TimeSpan> TransmitAsync(CommandRequest request, Transmission transmission, uint sequence, Crc9BitOrder crc9Order, TimeSpan next, CancellationToken cancellationToken)
    {
        TransmitOutcome outcome;
        try
        {
            outcome = await transmitter.TransmitAsync(request.Target, transmission, cancellationToken).ConfigureAwait(false);
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
        catch (Exception e) when (e is TransmitWatchdogException or ControlStations.ControlStationAddressException)
        {
            Dequeue(request);
            store.UpdateCommand(Result(request.Id, CommandState.Failed, "rejected: " + e.Message), null, null);
            return TimeSpan.Zero;
        }

        if (!outcome.Sent)
        {
            // Only the duty cycle can refuse here (counts were checked): it holds every command.
            _heldByLimit = outcome.Limit;
            LogLimited(request.Id, outcome.Limit!, outcome.RetryAfter.TotalSeconds);
            return Positive(outcome.RetryAfter < next ? outcome.RetryAfter : next);
        }

        _sequence = sequence;
        _heldByLimit = null;
        Dequeue(request);
        var deadline = time.GetUtcNow() + _options.AnswerTimeout;
        LogTransmitted(request.Id, transmission.Protocol, transmission.Bursts.Count + transmission.Datagrams.Count, request.Target);
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

    /// <summary>Open commands from the store, once: accepted ones queue, transmitted ones wait for their answer.</summary>
    private void LoadOnce()
    {
        if (_loaded)
        {
            return;
        }

        foreach (var open in store.OpenCommands())
        {
            if (open.State == CommandState.Accepted)
            {
                Enqueue(open.Request);
            }
            else if (open is { State: CommandState.Transmitted, AnswerKey: { } answerKey })
            {
                _awaiting[answerKey] = (open.Request.Id, open.AnswerDeadline ?? time.GetUtcNow());
            }
        }

        _loaded = true;
    }

    private void Enqueue(CommandRequest request)
    {
        if (_queued.Add(request.Id))
        {
            _queue.Add(request);
        }
    }

    private void Dequeue(CommandRequest request)
    {
        _queue.Remove(request);
        _queued.Remove(request.Id);
        _lastProblem.Remove(request.Id);
    }

    /// <summary>Fails every queued command past its expiry, in one pass, with the reason it waited.</summary>
    private void ExpireQueued(DateTimeOffset now)
    {
        var ahead = 0;
        var kept = 0;
        for (var i = 0; i < _queue.Count; i++)
        {
            var request = _queue[i];
            if (request.ExpiresAt > now)
            {
                _queue[kept++] = request;
                ahead++;
                continue;
            }

            var why = _lastProblem.Remove(request.Id, out var problem) ? problem
                : _heldByLimit is { } limit ? $"rejected: transmit limit ({limit}) held it, behind {ahead} commands, until it expired"
                : $"timeout: expired waiting behind {ahead} commands";
            _queued.Remove(request.Id);
            LogExpired(request.Id, why);
            store.UpdateCommand(Result(request.Id, CommandState.Failed, why), null, null);
        }

        _queue.RemoveRange(kept, _queue.Count - kept);
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
                var outcome = await transmitter.TransmitAsync(unconfirmed.Request.Target, unconfirmed.Bursts, cancellationToken).ConfigureAwait(false);
                if (!outcome.Sent)
                {
                    // Held like any transmission; the attempt is not spent.
                    LogResendHeld(unconfirmed.CommandId, outcome.Limit!, outcome.RetryAfter.TotalSeconds);
                    _unconfirmed[key] = unconfirmed with { ResendAt = time.GetUtcNow() + outcome.RetryAfter };
                    continue;
                }

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
            var outcome = await transmitter.TransmitAsync(unit, bursts, cancellationToken).ConfigureAwait(false);
            if (!outcome.Sent)
            {
                // Held: the packet goes again at its next resend time, in the order it had.
                LogResendHeld(unconfirmed.CommandId, outcome.Limit!, outcome.RetryAfter.TotalSeconds);
                return true;
            }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId}: resend held by the transmit limit ({Limit}); next try in {RetrySeconds:0.0} s")]
    private partial void LogResendHeld(string commandId, string limit, double retrySeconds);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} transmitted as {Protocol} ({Bursts} bursts or datagrams) to {Target}")]
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
