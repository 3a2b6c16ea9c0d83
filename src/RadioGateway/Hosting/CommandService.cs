using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Radio;
using RadioGateway.Uplink;

namespace RadioGateway.Hosting;

/// <summary>
/// Downlink commands: validates what arrives on <c>commands/{kind}</c> and hands it to the dispatcher, which
/// transmits through the first base station. A gateway without <c>Gateway:RadioId</c> or radios is receive-only
/// and answers every command <c>failed</c>.
/// </summary>
public sealed partial class CommandService : BackgroundService
{
    private readonly ICommandStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<CommandService> _logger;
    private readonly CommandDispatcher? _dispatcher;
    private readonly CommandLimits _limits;

    public CommandService(GatewaySettings settings, ICommandStore store, IReadOnlyList<RadioPlan> plans, ModemTransmitter transmitter, RadioAnswerHub answers, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(transmitter);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(loggers);
        _store = store;
        _time = time;
        _logger = loggers.CreateLogger<CommandService>();
        var commands = settings.Commands;
        _limits = new CommandLimits { DefaultLifetime = TimeSpan.FromSeconds(commands.DefaultLifetimeSeconds) };
        if (plans.Count > 0 && settings.Gateway.RadioId > 0)
        {
            var config = plans[0].Session.Config;
            // MMDVM simplex boards (hotspots) run DMR on slot 2 only.
            var encoder = new CommandEncoder((uint)settings.Gateway.RadioId, settings.Roster, config.ColourCode, config.Simplex ? 2 : 1);
            var limiter = new TransmitLimiter(
                new TransmitLimits { MaxPerUnitPerMinute = commands.MaxPerUnitPerMinute, MaxPerMinute = commands.MaxPerMinute, MaxDutyCycle = commands.MaxDutyCyclePercent / 100.0 },
                time);
            _dispatcher = new CommandDispatcher(store, encoder, new GuardedTransmitter(transmitter, limiter), time, loggers.CreateLogger<CommandDispatcher>(), new CommandDispatcherOptions
            {
                AnswerTimeout = TimeSpan.FromSeconds(commands.AnswerTimeoutSeconds),
                Network = plans[0].RadioId,
                ConfirmedDataCrc9Order = plans[0].ConfirmedDataCrc9Order,
            });
            answers.AnswerHeard += _dispatcher.OnAnswer;
        }
    }

    /// <summary>The CRC-9 bit order of confirmed data on the transmitting network; null on a receive-only gateway.</summary>
    public Crc9OrderSelector? Crc9Order => _dispatcher?.Crc9Order;

    /// <summary>
    /// Takes one command message; returns once its first result is durably queued (so the broker may be acknowledged).
    /// Only a store failure escapes (the command was not kept and must be delivered again); anything else a payload
    /// causes ends in a <c>failed</c> result, or a log line when it has no usable id, so no payload stops the intake.
    /// </summary>
    public void OnCommand(string kind, ReadOnlySpan<byte> payload)
    {
        string? commandId = null;
        try
        {
            Take(kind, payload, out commandId);
        }
        catch (Exception e) when (e is not Microsoft.Data.Sqlite.SqliteException)
        {
            if (commandId is null)
            {
                LogUnanswerable(Printable.Escape(kind), "unexpected: " + Printable.Escape(e.Message));
            }
            else
            {
                CommandDispatcher.Refuse(_store, _time, _logger, commandId, "invalid: unexpected: " + e.Message);
            }

            LogUnexpected(e, Printable.Escape(kind));
        }
    }

    private void Take(string kind, ReadOnlySpan<byte> payload, out string? commandId)
    {
        var request = CommandParser.Parse(kind, payload, _time.GetUtcNow(), _limits, out commandId, out var problem, out var notice);
        if (commandId is null)
        {
            LogUnanswerable(Printable.Escape(kind), Printable.Escape(problem!));
            return;
        }

        if (notice is not null)
        {
            LogChanged(Printable.Escape(commandId), notice);
        }

        if (request is null)
        {
            CommandDispatcher.Refuse(_store, _time, _logger, commandId, "invalid: " + problem);
        }
        else if (_dispatcher is null)
        {
            CommandDispatcher.Refuse(_store, _time, _logger, commandId, "rejected: this gateway is receive-only (no Gateway:RadioId or no radio)");
        }
        else
        {
            _dispatcher.Submit(request);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_dispatcher is null)
        {
            LogReceiveOnly();
            return;
        }

        try
        {
            await _dispatcher.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping; open commands stay in the store for the next start
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Kind} command without a usable id was dropped (no result can name it): {Problem}")]
    private partial void LogUnanswerable(string kind, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} changed before sending: {Notice}")]
    private partial void LogChanged(string commandId, string notice);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Kind} command failed unexpectedly while being taken; it was answered failed (or logged) and acknowledged")]
    private partial void LogUnexpected(Exception exception, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Receive-only gateway: commands will be answered failed (set Gateway:RadioId to transmit)")]
    private partial void LogReceiveOnly();
}
