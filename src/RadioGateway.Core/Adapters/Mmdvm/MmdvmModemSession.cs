using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Transport.Mmdvm;

namespace RadioGateway.Core.Adapters.Mmdvm;

/// <summary>What the gateway sets up on an MMDVM modem, from the hardware and channel profiles.</summary>
public sealed record MmdvmSessionSettings
{
    public required string RadioId { get; init; }

    public required MmdvmConfig Config { get; init; }

    public required MmdvmFrequency Frequency { get; init; }

    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>GET_VERSION attempts after open: boards reset when the port opens and need a moment.</summary>
    public int VersionAttempts { get; init; } = 5;

    /// <summary>Longest a transmission may key the transmitter (the hardware profile's TX time-out); the watchdog cuts it there.</summary>
    public TimeSpan TxTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a transmission waits for its slot to stop receiving (channel access).</summary>
    public TimeSpan ChannelAccessTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// One session with an MMDVM modem over an open link: GET_VERSION (protocol 1 or 2), SET_CONFIG, SET_FREQ,
/// SET_MODE DMR, then a periodic GET_STATUS. It only maps MMDVM frames to and from modem-neutral bursts: received
/// DMR_DATA frames go to the receive adapter as <see cref="SlotBurst"/>s, bursts to transmit go out as DMR_DATA.
/// ACK/NAK are checked for every setting; a NAK or a modem that stops answering ends the session (the supervisor reopens).
/// </summary>
public sealed partial class MmdvmModemSession(MmdvmSessionSettings settings, DmrReceiveAdapter receiver, IEventSink sink, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan FramePeriod = TimeSpan.FromMilliseconds(60);
    private readonly SemaphoreSlim _requestLock = new(1, 1);
    private readonly SemaphoreSlim _transmitLock = new(1, 1);
    private MmdvmFrameLink? _readyLink;
    private readonly object _gate = new();
    private (Func<MmdvmFrame, bool> Match, TaskCompletionSource<MmdvmFrame> Reply)? _pending;
    private MmdvmStatus? _lastStatus;

    public MmdvmVersion? Version { get; private set; }

    public async Task RunAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var link = new MmdvmFrameLink(stream);
        using var sessionEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var frames = Channel.CreateUnbounded<MmdvmFrame>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var reading = ReadFramesAsync(link, frames.Writer, sessionEnd.Token);
        var dispatching = DispatchAsync(frames.Reader, sessionEnd.Token);
        try
        {
            await HandshakeAsync(link, sessionEnd.Token).ConfigureAwait(false);
            _readyLink = link;
            await PollStatusAsync(link, sessionEnd.Token, reading, dispatching).ConfigureAwait(false);
        }
        finally
        {
            _readyLink = null;
            await sessionEnd.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(reading, dispatching).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        // Surface why the reader or dispatcher stopped (device gone, EOF, a fault) to the supervisor.
        await Task.WhenAll(reading, dispatching).ConfigureAwait(false);
    }

    private async Task HandshakeAsync(MmdvmFrameLink link, CancellationToken cancellationToken)
    {
        MmdvmFrame? reply = null;
        for (var attempt = 1; attempt <= settings.VersionAttempts && reply is null; attempt++)
        {
            reply = await RequestAsync(link, MmdvmCommand.GetVersion, [], f => f.Command == MmdvmCommand.GetVersion, cancellationToken, throwOnTimeout: false).ConfigureAwait(false);
        }

        if (reply is not { } versionFrame)
        {
            throw new TimeoutException($"no reply to GET_VERSION after {settings.VersionAttempts} attempts: is an MMDVM modem on this port at this baud rate?");
        }

        Version = MmdvmVersion.Decode(versionFrame.Payload.Span, out var error)
            ?? throw new InvalidDataException("modem version reply: " + error);
        LogVersion(settings.RadioId, Version.ProtocolVersion, Version.Description);
        if (!Version.SupportsDmr)
        {
            throw new InvalidDataException($"modem '{Version.Description}' does not report DMR capability");
        }

        var protocol = Version.ProtocolVersion;
        await ExpectAckAsync(link, MmdvmCommand.SetConfig, settings.Config.Encode(protocol), cancellationToken).ConfigureAwait(false);
        await ExpectAckAsync(link, MmdvmCommand.SetFrequency, settings.Frequency.Encode(), cancellationToken).ConfigureAwait(false);
        await ExpectAckAsync(link, MmdvmCommand.SetMode, [(byte)MmdvmMode.Dmr], cancellationToken).ConfigureAwait(false);
        LogReady(settings.RadioId, settings.Frequency.RxHz, settings.Frequency.TxHz, settings.Config.ColourCode, settings.Config.Simplex ? "simplex" : "duplex");

        var now = time.GetUtcNow();
        sink.Publish(new ModemStatusChanged
        {
            Id = $"{settings.RadioId}.link.{EventIdTime.Of(now)}.up",
            Time = now,
            RadioId = settings.RadioId,
            LinkUp = true,
            Description = Version.Description,
            Detail = $"MMDVM protocol {protocol}, RX {settings.Frequency.RxHz} Hz, TX {settings.Frequency.TxHz} Hz, CC {settings.Config.ColourCode}",
        });
    }

    private async Task PollStatusAsync(MmdvmFrameLink link, CancellationToken cancellationToken, Task reading, Task dispatching)
    {
        var missed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var finished = await Task.WhenAny(reading, dispatching, Task.Delay(settings.StatusInterval, time, cancellationToken)).ConfigureAwait(false);
            if (finished == reading || finished == dispatching)
            {
                return;
            }

            var reply = await RequestAsync(link, MmdvmCommand.GetStatus, [], f => f.Command == MmdvmCommand.GetStatus, cancellationToken, throwOnTimeout: false).ConfigureAwait(false);
            if (reply is null)
            {
                if (++missed >= 3)
                {
                    throw new TimeoutException($"modem stopped answering GET_STATUS ({missed} in a row)");
                }

                continue;
            }

            missed = 0;
            OnStatus(reply.Value);
            if (_lastStatus is { } status && LostSetUp(status) is { } drift)
            {
                await SetUpAgainAsync(link, drift, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>How the modem's reported status differs from the set-up, or null when it matches.</summary>
    private static string? LostSetUp(MmdvmStatus status)
    {
        var dmrEnabled = (status.EnabledModes & MmdvmConfig.DmrModeEnabled) != 0;
        // CW id and lockout are states the modem passes through in DMR mode; anything else means it forgot the mode.
        var inDmr = status.State is MmdvmMode.Dmr or MmdvmMode.Cw or MmdvmMode.Lockout;
        return (dmrEnabled, inDmr) switch
        {
            (true, true) => null,
            (false, true) => "DMR not enabled",
            (true, false) => $"state {status.State}, not DMR",
            (false, false) => $"DMR not enabled, state {status.State}",
        };
    }

    /// <summary>
    /// The board reset behind an open port (power dip, watchdog, firmware restart): it answers, idle, with no
    /// mode enabled. Set it up again as at the start, and say so, rather than stay deaf.
    /// </summary>
    private async Task SetUpAgainAsync(MmdvmFrameLink link, string drift, CancellationToken cancellationToken)
    {
        LogSetUpLost(settings.RadioId, drift);
        var now = time.GetUtcNow();
        sink.Publish(new ModemStatusChanged
        {
            Id = $"{settings.RadioId}.link.{EventIdTime.Of(now)}.reset",
            Time = now,
            RadioId = settings.RadioId,
            LinkUp = true,
            Description = "modem lost its set-up (reset?); setting it up again",
            Detail = drift,
        });
        _readyLink = null;
        _lastStatus = null;
        await HandshakeAsync(link, cancellationToken).ConfigureAwait(false);
        _readyLink = link;
    }

    private async Task ExpectAckAsync(MmdvmFrameLink link, MmdvmCommand command, byte[] payload, CancellationToken cancellationToken)
    {
        var reply = await RequestAsync(
            link,
            command,
            payload,
            f => f.Command is MmdvmCommand.Ack or MmdvmCommand.Nak && f.Payload.Length > 0 && f.Payload.Span[0] == (byte)command,
            cancellationToken,
            throwOnTimeout: true).ConfigureAwait(false);
        if (reply!.Value.Command == MmdvmCommand.Nak)
        {
            var reason = reply.Value.Payload.Length > 1 ? reply.Value.Payload.Span[1] : 0;
            LogNak(settings.RadioId, command, reason);
            throw new InvalidDataException($"modem refused {command} (NAK reason {reason})");
        }
    }

    /// <summary>
    /// Sends DMR bursts (all on one slot) once the slot is free: waits while it is receiving (up to
    /// <see cref="MmdvmSessionSettings.ChannelAccessTimeout"/>), keys a duplex base station with DMR_START, feeds
    /// the modem no faster than its reported DMR buffer space allows, and aborts past the TX time-out.
    /// </summary>
    public async Task TransmitAsync(IReadOnlyList<SlotBurst> bursts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bursts);
        if (bursts.Count == 0)
        {
            return;
        }

        var slot = bursts[0].Slot;
        var link = _readyLink ?? throw new RadioLinkDownException($"{settings.RadioId}: the modem link is not up");
        var waitStart = time.GetTimestamp();
        while (receiver.IsSlotBusy(slot))
        {
            if (time.GetElapsedTime(waitStart) > settings.ChannelAccessTimeout)
            {
                throw new ChannelBusyException($"slot {slot} stayed busy for {settings.ChannelAccessTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }

        await _transmitLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var keyed = time.GetTimestamp();
        try
        {
            if (!settings.Config.Simplex)
            {
                // MMDVM: DMR_START 1 keys the duplex transmitter; the firmware answers only with a NAK.
                await link.WriteAsync(MmdvmCommand.DmrStart, new byte[] { 1 }, cancellationToken).ConfigureAwait(false);
            }

            LogTransmitting(settings.RadioId, slot, bursts.Count);
            var sent = 0;
            while (sent < bursts.Count)
            {
                if (time.GetElapsedTime(keyed) > settings.TxTimeout)
                {
                    await link.WriteAsync(MmdvmCommand.DmrAbort, new byte[] { (byte)slot }, cancellationToken).ConfigureAwait(false);
                    LogWatchdog(settings.RadioId, slot, settings.TxTimeout.TotalSeconds, sent, bursts.Count);
                    throw new TransmitWatchdogException($"the transmit watchdog cut the transmission after {settings.TxTimeout.TotalSeconds:0.#} s ({sent} of {bursts.Count} bursts sent)");
                }

                var space = await DmrSpaceAsync(link, slot, cancellationToken).ConfigureAwait(false);
                if (space == 0)
                {
                    await Task.Delay(FramePeriod, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var burst in bursts.Skip(sent).Take(space))
                {
                    await link.WriteAsync(burst, cancellationToken).ConfigureAwait(false);
                    sent++;
                }
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException && e is not (TransmitWatchdogException or RadioLinkDownException))
        {
            throw new RadioLinkDownException($"{settings.RadioId}: the link failed while transmitting: {e.Message}");
        }
        finally
        {
            if (!settings.Config.Simplex && _readyLink is not null)
            {
                await link.WriteAsync(MmdvmCommand.DmrStart, new byte[] { 0 }, CancellationToken.None).ConfigureAwait(false);
            }

            _transmitLock.Release();
        }
    }

    /// <summary>Free DMR buffer slots of the modem for <paramref name="slot"/>, from a fresh GET_STATUS.</summary>
    private async Task<int> DmrSpaceAsync(MmdvmFrameLink link, int slot, CancellationToken cancellationToken)
    {
        var reply = await RequestAsync(link, MmdvmCommand.GetStatus, [], f => f.Command == MmdvmCommand.GetStatus, cancellationToken, throwOnTimeout: true).ConfigureAwait(false);
        OnStatus(reply!.Value);
        var status = _lastStatus;
        return status is null ? 0 : slot == 1 ? status.DmrSpace1 : status.DmrSpace2;
    }

    private async Task<MmdvmFrame?> RequestAsync(MmdvmFrameLink link, MmdvmCommand command, byte[] payload, Func<MmdvmFrame, bool> match, CancellationToken cancellationToken, bool throwOnTimeout)
    {
        // One request at a time: the status poll and the transmit path share the reply slot.
        await _requestLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RequestOneAsync(link, command, payload, match, cancellationToken, throwOnTimeout).ConfigureAwait(false);
        }
        finally
        {
            _requestLock.Release();
        }
    }

    private async Task<MmdvmFrame?> RequestOneAsync(MmdvmFrameLink link, MmdvmCommand command, byte[] payload, Func<MmdvmFrame, bool> match, CancellationToken cancellationToken, bool throwOnTimeout)
    {
        var reply = new TaskCompletionSource<MmdvmFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending = (match, reply);
        }

        await link.WriteAsync(command, payload, cancellationToken).ConfigureAwait(false);
        try
        {
            return await reply.Task.WaitAsync(settings.ReplyTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!throwOnTimeout)
        {
            return null;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no reply to {command} within {settings.ReplyTimeout.TotalSeconds:0.#} s");
        }
        finally
        {
            lock (_gate)
            {
                _pending = null;
            }
        }
    }

    private async Task ReadFramesAsync(MmdvmFrameLink link, ChannelWriter<MmdvmFrame> frames, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in link.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Frame is { } frame)
                {
                    frames.TryWrite(frame);
                }
                else if (item.Skip is { } skip)
                {
                    LogSkipped(settings.RadioId, skip.Count, skip.Offset, skip.Reason);
                }
            }

            throw new IOException("the modem link was closed");
        }
        finally
        {
            frames.TryComplete();
        }
    }

    private async Task DispatchAsync(ChannelReader<MmdvmFrame> frames, CancellationToken cancellationToken)
    {
        await foreach (var frame in frames.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            TaskCompletionSource<MmdvmFrame>? reply = null;
            lock (_gate)
            {
                if (_pending is { } pending && pending.Match(frame))
                {
                    reply = pending.Reply;
                }
            }

            if (reply is not null)
            {
                reply.TrySetResult(frame);
                continue;
            }

            Dispatch(frame);
        }
    }

    private void Dispatch(MmdvmFrame frame)
    {
        switch (frame.Command)
        {
            case MmdvmCommand.DmrData1 or MmdvmCommand.DmrData2:
                if (MmdvmDmrFrame.TryReadBurst(frame, out var burst, out var error))
                {
                    receiver.OnBurst(burst);
                }
                else
                {
                    LogBadFrame(settings.RadioId, error!);
                }

                break;
            case MmdvmCommand.DmrLost1:
                receiver.OnLost(1);
                break;
            case MmdvmCommand.DmrLost2:
                receiver.OnLost(2);
                break;
            case MmdvmCommand.GetStatus:
                OnStatus(frame);
                break;
            case MmdvmCommand.Nak:
                LogNak(settings.RadioId, frame.Payload.Length > 0 ? (MmdvmCommand)frame.Payload.Span[0] : MmdvmCommand.Nak, frame.Payload.Length > 1 ? frame.Payload.Span[1] : 0);
                break;
            case >= MmdvmCommand.Debug1 and <= MmdvmCommand.DebugDump:
                LogModemDebug(settings.RadioId, System.Text.Encoding.ASCII.GetString(frame.Payload.Span).TrimEnd('\0'));
                break;
            default:
                LogUnexpected(settings.RadioId, frame.ToString());
                break;
        }
    }

    private void OnStatus(MmdvmFrame frame)
    {
        var status = MmdvmStatus.Decode(frame.Payload.Span, Version?.ProtocolVersion ?? 1, out var error);
        if (status is null)
        {
            LogBadFrame(settings.RadioId, error!);
            return;
        }

        if (_lastStatus is null || _lastStatus.State != status.State || _lastStatus.Flags != status.Flags)
        {
            if (status.AdcOverflow || status.DacOverflow || status.RxOverflow || status.TxOverflow)
            {
                LogStatusWarning(settings.RadioId, status.Describe());
            }
            else
            {
                LogStatus(settings.RadioId, status.Describe());
            }
        }

        _lastStatus = status;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio} slot {Slot}: transmitting {Bursts} bursts")]
    private partial void LogTransmitting(string radio, int slot, int bursts);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Radio} slot {Slot}: TX WATCHDOG: transmission cut after {Seconds} s with {Sent} of {Total} bursts sent")]
    private partial void LogWatchdog(string radio, int slot, double seconds, int sent, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio}: modem speaks MMDVM protocol {Protocol}: {Description}")]
    private partial void LogVersion(string radio, byte protocol, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio}: DMR mode set, RX {RxHz} Hz, TX {TxHz} Hz, colour code {ColourCode}, {Duplex}")]
    private partial void LogReady(string radio, uint rxHz, uint txHz, byte colourCode, string duplex);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Radio}: modem refused {Command} (NAK reason {Reason})")]
    private partial void LogNak(string radio, MmdvmCommand command, int reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: skipped {Count} bytes at stream offset {Offset}: {Reason}")]
    private partial void LogSkipped(string radio, int count, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: malformed modem frame: {Error}")]
    private partial void LogBadFrame(string radio, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio}: modem debug: {Text}")]
    private partial void LogModemDebug(string radio, string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio}: unexpected modem frame {Frame}")]
    private partial void LogUnexpected(string radio, string frame);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio}: modem {Status}")]
    private partial void LogStatus(string radio, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: modem lost its set-up ({Drift}), probably a reset; setting version, config, frequency and DMR mode again")]
    private partial void LogSetUpLost(string radio, string drift);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: modem {Status}")]
    private partial void LogStatusWarning(string radio, string status);
}
