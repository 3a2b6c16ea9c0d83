using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Radio;

namespace RadioGateway.Hosting;

/// <summary>
/// Downlink commands: validates what arrives on <c>commands/{kind}</c> and hands it to the dispatcher, which
/// transmits through the first base station. A gateway without <c>Gateway:RadioId</c> or radios is receive-only
/// and answers every command <c>failed</c>.
/// </summary>
public sealed partial class CommandService : BackgroundService
{
    private readonly ILogger<CommandService> _logger;
    private readonly CommandDispatcher? _dispatcher;
    private readonly CommandIntake _intake;
    private readonly AnnouncementService _announcements;

    public CommandService(GatewaySettings settings, ICommandStore store, IReadOnlyList<RadioPlan> plans, ModemTransmitter transmitter, RadioAnswerHub answers, TimeProvider time, ILoggerFactory loggers, TransmitLimiter limiter, AnnouncementService announcements, ControlStations.ControlStationHub? stations = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(transmitter);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(loggers);
        _logger = loggers.CreateLogger<CommandService>();
        var commands = settings.Commands;
        var limits = new CommandLimits { DefaultLifetime = TimeSpan.FromSeconds(commands.DefaultLifetimeSeconds) };
        if (stations?.CommandStation(plans.Count) is { } station && settings.Gateway.RadioId > 0)
        {
            // A control station: commands go through its IP stack as datagrams, booked with the same limiter.
            _dispatcher = new CommandDispatcher(store, station.Encoder, new GuardedTransmitter(transmitter, limiter, station.Transmitter), time, loggers.CreateLogger<CommandDispatcher>(), new CommandDispatcherOptions
            {
                AnswerTimeout = TimeSpan.FromSeconds(commands.AnswerTimeoutSeconds),
                Network = station.Plan.Name,
            });
            answers.AnswerHeard += _dispatcher.OnAnswer;
        }
        else if (plans.Count > 0 && settings.Gateway.RadioId > 0)
        {
            var config = plans[0].Session.Config;
            // MMDVM simplex boards (hotspots) run DMR on slot 2 only.
            var encoder = new CommandEncoder((uint)settings.Gateway.RadioId, settings.Roster, config.ColourCode, config.Simplex ? 2 : 1);
            _dispatcher = new CommandDispatcher(store, encoder, new GuardedTransmitter(transmitter, limiter), time, loggers.CreateLogger<CommandDispatcher>(), new CommandDispatcherOptions
            {
                AnswerTimeout = TimeSpan.FromSeconds(commands.AnswerTimeoutSeconds),
                Network = plans[0].RadioId,
                ConfirmedDataCrc9Order = plans[0].ConfirmedDataCrc9Order,
            });
            answers.AnswerHeard += _dispatcher.OnAnswer;
        }

        _intake = new CommandIntake(store, _dispatcher, limits, time, _logger);
        _announcements = announcements;
    }

    /// <summary>The CRC-9 bit order of confirmed data on the transmitting network; null on a receive-only gateway.</summary>
    public Crc9OrderSelector? Crc9Order => _dispatcher?.Crc9Order;

    /// <summary>Takes one command message (see <see cref="CommandIntake"/>); returns once its first result is durably queued (so the broker may be acknowledged).</summary>
    public void OnCommand(string kind, ReadOnlySpan<byte> payload)
    {
        if (kind == Core.Announcements.AnnounceCommand.Kind)
        {
            _announcements.Take(payload);
            return;
        }

        _intake.Take(kind, payload);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Receive-only gateway: commands will be answered failed (set Gateway:RadioId to transmit)")]
    private partial void LogReceiveOnly();
}
