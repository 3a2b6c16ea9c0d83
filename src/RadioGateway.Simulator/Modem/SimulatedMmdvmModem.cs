using System.Buffers;
using Microsoft.Extensions.Logging;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Transport.Mmdvm;

namespace RadioGateway.Simulator.Modem;

/// <summary>
/// When a simulated radio answers: <c>delay</c> plus a random whole number of 60 ms frames up to <c>backoff</c>
/// (the back-off of radios contending for a shared channel, simplified), drawn from a seeded generator.
/// </summary>
public sealed class AnswerBackoff(TimeSpan delay, TimeSpan backoff, int seed)
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(60);
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    public TimeSpan Next()
    {
        var frames = (int)(backoff / Frame);
        lock (_lock)
        {
            return delay + (Frame * _random.Next(0, frames + 1));
        }
    }
}

/// <summary>How the simulated base station presents itself.</summary>
public sealed record SimulatedModemOptions
{
    public byte ProtocolVersion { get; init; } = 2;

    public string Description { get; init; } = "MMDVM 20240101 RadioGateway simulated base station";

    public byte ColourCode { get; init; } = 1;

    /// <summary>Play the scenario again and again (run mode) or once (tests).</summary>
    public bool Loop { get; init; } = true;

    /// <summary>Pause between the end of one pass of the scenario and the next.</summary>
    public TimeSpan LoopGap { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Units that receive but never answer (a radio switched off or out of range).</summary>
    public IReadOnlySet<uint> SilentUnits { get; init; } = new HashSet<uint> { DefaultSilentUnit };

    /// <summary>Free DMR buffer slots the modem reports per slot; 0 simulates a stuck transmit buffer.</summary>
    public byte DmrSpace { get; init; } = 10;

    /// <summary>How long a simulated radio takes to answer at least.</summary>
    public TimeSpan AnswerDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Random back-off on top of <see cref="AnswerDelay"/>, in whole 60 ms TDMA frames up to this much, as radios
    /// answering on a shared channel do, so that many answers do not all collide. Kept under the gateway's 2 s
    /// data-acknowledgement timeout with <see cref="AnswerDelay"/>.
    /// </summary>
    public TimeSpan AnswerBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed of the back-off draws: the same seed gives the same sequence of delays.</summary>
    public int AnswerSeed { get; init; } = 11;

    /// <summary>Where the scenario's voice calls sound (the simulated receive audio), if anything listens.</summary>
    public SimulatedAir? Air { get; init; }

    /// <summary>The default unit that never answers: the last crisis team.</summary>
    public const uint DefaultSilentUnit = 3120132;
}

/// <summary>
/// A simulated MMDVM modem on the other end of a link: answers the host exactly as a modem would (version,
/// status, ACK/NAK for settings) and, once in DMR mode, plays the scenario's calls in real time as
/// FEC-encoded bursts. It refuses (NAK) a SET_CONFIG whose colour code differs from its own, so a gateway
/// configured for the wrong channel is noticed at start-up.
/// </summary>
public sealed partial class SimulatedMmdvmModem(Scenario scenario, SimulatedModemOptions options, TimeProvider time, ILogger logger)
{
    private readonly SimulatedFieldRadios _radios = new(options.ColourCode, options.SilentUnits, time);
    private readonly Dictionary<string, CancellationTokenSource> _reporting = new(StringComparer.Ordinal);
    // A slot must be quiet this long (one superframe) before a field radio answers on it.
    private static readonly TimeSpan QuietBeforeAnswer = TimeSpan.FromMilliseconds(360);

    private readonly AnswerBackoff _answerBackoff = new(options.AnswerDelay, options.AnswerBackoff, options.AnswerSeed);
    private readonly SemaphoreSlim[] _slotInUse = [new(1, 1), new(1, 1)];
    private readonly long[] _lastPlayoutBurst = new long[2];
    private volatile bool _configured;
    private volatile MmdvmMode _mode = MmdvmMode.Idle;

    /// <summary>The mode the gateway last set (idle after <see cref="Reset"/>).</summary>
    public MmdvmMode Mode => _mode;

    /// <summary>The board resets while the serial port stays open: idle, no mode enabled until set up again.</summary>
    public void Reset()
    {
        _configured = false;
        _mode = MmdvmMode.Idle;
    }
    private Task? _playout;

    public async Task RunAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var link = new MmdvmFrameLink(stream);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await foreach (var item in link.ReadAsync(session.Token).ConfigureAwait(false))
            {
                if (item.Frame is { } frame)
                {
                    await OnHostFrameAsync(link, frame, session.Token).ConfigureAwait(false);
                }
                else if (item.Skip is { } skip)
                {
                    LogSkipped(skip.Count, skip.Reason);
                }
            }

            LogHostGone();
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            if (_playout is not null)
            {
                await _playout.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private async Task OnHostFrameAsync(MmdvmFrameLink link, MmdvmFrame frame, CancellationToken cancellationToken)
    {
        switch (frame.Command)
        {
            case MmdvmCommand.GetVersion:
                var version = new MmdvmVersion(options.ProtocolVersion, options.Description, Capabilities1: 0x02, CpuType: 2, Udid: "00112233445566778899AABBCCDDEEFF");
                await link.WriteAsync(MmdvmCommand.GetVersion, version.Encode(), cancellationToken).ConfigureAwait(false);
                break;
            case MmdvmCommand.GetStatus:
                var status = new MmdvmStatus(_configured ? MmdvmConfig.DmrModeEnabled : (byte)0, _mode, 0, options.DmrSpace, options.DmrSpace);
                await link.WriteAsync(MmdvmCommand.GetStatus, status.Encode(options.ProtocolVersion), cancellationToken).ConfigureAwait(false);
                break;
            case MmdvmCommand.SetConfig:
                var config = MmdvmConfig.Decode(frame.Payload.Span, options.ProtocolVersion, out var error);
                if (config is null || config.ColourCode != options.ColourCode)
                {
                    LogRefused("SET_CONFIG", error ?? $"colour code {config!.ColourCode} does not match the channel's {options.ColourCode}");
                    await link.WriteAsync(MmdvmCommand.Nak, new byte[] { (byte)MmdvmCommand.SetConfig, 4 }, cancellationToken).ConfigureAwait(false);
                    break;
                }

                _configured = true;
                await AckAsync(link, frame.Command, cancellationToken).ConfigureAwait(false);
                break;
            case MmdvmCommand.SetFrequency:
                if (MmdvmFrequency.Decode(frame.Payload.Span, out var frequencyError) is null)
                {
                    LogRefused("SET_FREQ", frequencyError!);
                    await link.WriteAsync(MmdvmCommand.Nak, new byte[] { (byte)MmdvmCommand.SetFrequency, 4 }, cancellationToken).ConfigureAwait(false);
                    break;
                }

                await AckAsync(link, frame.Command, cancellationToken).ConfigureAwait(false);
                break;
            case MmdvmCommand.SetMode:
                _mode = frame.Payload.Length > 0 ? (MmdvmMode)frame.Payload.Span[0] : MmdvmMode.Idle;
                await AckAsync(link, frame.Command, cancellationToken).ConfigureAwait(false);
                if (_mode == MmdvmMode.Dmr && _playout is null)
                {
                    LogPlaying(scenario.Name, scenario.Calls.Count);
                    _playout = PlayAsync(link, cancellationToken);
                }

                break;
            case MmdvmCommand.DmrData1 or MmdvmCommand.DmrData2:
                // Transmitted by the host: the field radios hear it (the firmware sends no ACK for data).
                if (MmdvmDmrFrame.TryReadBurst(frame, out var burst, out _))
                {
                    var (received, answers) = _radios.OnHostBurst(burst, out var reporting);
                    foreach (var change in reporting)
                    {
                        ChangeReporting(link, change, cancellationToken);
                    }

                    foreach (var reception in received)
                    {
                        LogReceived(reception.Unit, reception.What, reception.Text ?? "");
                    }

                    if (answers.Count > 0)
                    {
                        _ = AnswerAsync(link, answers, cancellationToken);
                    }
                }

                break;
            case MmdvmCommand.DmrStart or MmdvmCommand.DmrAbort:
                // Keying and unkeying the transmitter: the firmware answers only with a NAK.
                break;
            default:
                await AckAsync(link, frame.Command, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Starts or stops a radio's periodic location reports (a new trigger with the same id replaces the old).</summary>
    private void ChangeReporting(MmdvmFrameLink link, PeriodicReporting change, CancellationToken cancellationToken)
    {
        lock (_reporting)
        {
            if (_reporting.Remove(change.Trigger, out var running))
            {
                running.Cancel();
                running.Dispose();
            }

            if (change.Interval is not { } interval)
            {
                return;
            }

            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _reporting[change.Trigger] = stop;
            _ = ReportPeriodicallyAsync(link, interval, change.Report, stop.Token);
        }
    }

    private async Task ReportPeriodicallyAsync(MmdvmFrameLink link, TimeSpan interval, Func<IReadOnlyList<SlotBurst>> report, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await AnswerAsync(link, report(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // stopped by the gateway, or the host went away
        }
    }

    private async Task AnswerAsync(MmdvmFrameLink link, IReadOnlyList<SlotBurst> answers, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_answerBackoff.Next(), time, cancellationToken).ConfigureAwait(false);
            if (answers.Count == 0)
            {
                return;
            }

            // Channel access as a radio does it: wait for the slot to be quiet, then hold it for the whole answer;
            // the scenario's next bursts on that slot wait meanwhile, as the repeater would queue them.
            var slot = _slotInUse[answers[0].Slot - 1];
            await slot.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (time.GetElapsedTime(Volatile.Read(ref _lastPlayoutBurst[answers[0].Slot - 1])) < QuietBeforeAnswer)
                {
                    await Task.Delay(CallPlayout.BurstInterval, time, cancellationToken).ConfigureAwait(false);
                }

                foreach (var answer in answers)
                {
                    await link.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
                    await Task.Delay(CallPlayout.BurstInterval, time, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                slot.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // the host went away
        }
    }

    private async Task PlayAsync(MmdvmFrameLink link, CancellationToken cancellationToken)
    {
        var factory = new BurstFactory(options.ColourCode);
        var bursts = scenario.Calls
            .SelectMany(call => CallPlayout.Plan(call, call.Alias is null ? 0 : TalkerAlias.BlocksFor(call.Alias)).Select(burst => (At: burst.At, Slot: burst.Slot, Build: (Func<MmdvmFrame>)(() =>
            {
                // The receive audio sounds with the call's bursts, on the same clock.
                if (burst.Kind == PlannedBurstKind.Terminator)
                {
                    options.Air?.Ended(burst.Slot);
                }
                else
                {
                    options.Air?.Heard(burst.Slot);
                }

                return factory.Build(call, burst);
            }))))
            .Concat((scenario.Signals ?? []).Select(signal => (At: signal.At, Slot: signal.Slot, Build: (Func<MmdvmFrame>)(() => factory.BuildCsbk(signal)))))
            .Concat((scenario.Data ?? []).SelectMany(DataBursts))
            .OrderBy(b => b.At)
            .ThenBy(b => b.Slot)
            .ToList();
        IEnumerable<(TimeSpan At, int Slot, Func<MmdvmFrame> Build)> DataBursts(ScenarioData data)
        {
            // Built when the first burst is due, so the fix time is the time of sending; 60 ms apart on the slot.
            var count = factory.BuildDataCall(data, DateTimeOffset.UnixEpoch).Count;
            IReadOnlyList<MmdvmFrame>? frames = null;
            for (var i = 0; i < count; i++)
            {
                var index = i;
                yield return (data.At + (CallPlayout.BurstInterval * index), data.Slot, () =>
                {
                    frames = index == 0 || frames is null ? factory.BuildDataCall(data, time.GetUtcNow()) : frames;
                    return frames[index];
                });
            }
        }

        try
        {
            var passStart = time.GetTimestamp();
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var (at, _, build) in bursts)
                {
                    var wait = at - time.GetElapsedTime(passStart);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                    }

                    var frame = build();
                    var slot = _slotInUse[frame.Command == MmdvmCommand.DmrData2 ? 1 : 0];
                    await slot.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await link.WriteAsync(frame.Command, frame.Payload, cancellationToken).ConfigureAwait(false);
                        Volatile.Write(ref _lastPlayoutBurst[frame.Command == MmdvmCommand.DmrData2 ? 1 : 0], time.GetTimestamp());
                    }
                    finally
                    {
                        slot.Release();
                    }
                }

                if (!options.Loop)
                {
                    return;
                }

                await Task.Delay(options.LoopGap, time, cancellationToken).ConfigureAwait(false);
                passStart = time.GetTimestamp();
            }
        }
        catch (OperationCanceledException)
        {
            // host gone or simulator stopping
        }
        catch (IOException e)
        {
            LogLinkError(e.Message);
        }
    }

    private static Task AckAsync(MmdvmFrameLink link, MmdvmCommand command, CancellationToken cancellationToken) =>
        link.WriteAsync(MmdvmCommand.Ack, new[] { (byte)command }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated base station: DMR mode on, playing scenario {Scenario} ({Calls} calls)")]
    private partial void LogPlaying(string scenario, int calls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated radio {Unit} received {What} {Text}")]
    private partial void LogReceived(uint unit, string what, string text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulated base station: refused {Command}: {Reason}")]
    private partial void LogRefused(string command, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulated base station: skipped {Count} bytes from the host: {Reason}")]
    private partial void LogSkipped(int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated base station: the host closed the link")]
    private partial void LogHostGone();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulated base station: link error {Message}")]
    private partial void LogLinkError(string message);
}
