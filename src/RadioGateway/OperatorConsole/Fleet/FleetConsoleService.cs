using System.Buffers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using RadioGateway.Cli;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Hosting;
using RadioGateway.Uplink;

namespace RadioGateway.OperatorConsole.Fleet;

/// <summary>
/// The fleet view for the central office (<c>radiogw console --broker …</c>): the operator console's page over the
/// central broker instead of one gateway's journal. It follows every gateway's retained <c>status</c> and
/// <c>events/+</c> under <c>Mqtt:TopicPrefix</c> with <c>{gatewayId}</c> as a wildcard, shows each CloudEvents id once,
/// and sends an operator's command to <c>commands/{kind}</c> of the gateway that last heard the unit (or the one named).
/// A live view: events are kept in memory (<see cref="FleetState"/>); the central system keeps the record.
/// </summary>
public sealed partial class FleetConsoleService : BackgroundService, IConsoleBackend
{
    private const string Origin = "fleet";
    private static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HistoryWindow = TimeSpan.FromHours(24);
    private static readonly TimeSpan CommandPatience = TimeSpan.FromSeconds(10);
    private const int HistoryLimit = 5000;
    private readonly GatewaySettings _settings;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly MqttSession _session;
    private readonly FleetTopics _topics;
    private readonly FleetState _fleet;

    public FleetConsoleService(GatewaySettings settings, ConsoleEventHub hub, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        _settings = settings;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<FleetConsoleService>();
        Hub = hub;
        Users = new ConsoleUsers(settings.DataDirectory);
        _topics = new FleetTopics(settings.Mqtt.TopicPrefix);
        _fleet = new FleetState(time);
        // A live view: a clean session, so a restarted console is not flooded with what it missed.
        _session = new MqttSession(
            MqttUplinkService.SessionOptions(settings, "radiogw-fleet-" + Guid.NewGuid().ToString("N")[..8]) with { CleanStart = true, SessionExpirySeconds = 0 },
            loggers.CreateLogger<MqttSession>(),
            time)
        {
            OnConnectedAsync = SubscribeAsync,
        };
    }

    public GatewaySettings Settings => _settings;

    public ConsoleUsers Users { get; }

    public ConsoleEventHub Hub { get; }

    internal FleetState Fleet => _fleet;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogFleet(_settings.Mqtt.Broker, _topics.StatusFilter, _topics.EventsFilter);
        _session.Start();
        await using var app = ConsoleWebApp.Build(this, _loggers);
        await ConsoleWebApp.RunAsync(app, this, _logger, stopping => Task.WhenAll(ReceiveAsync(stopping), PublishHealthAsync(stopping)), stoppingToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _session.StopAsync(null, ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await _session.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SubscribeAsync(CancellationToken connectionLost)
    {
        foreach (var filter in new[] { _topics.StatusFilter, _topics.EventsFilter })
        {
            try
            {
                await _session.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, connectionLost).ConfigureAwait(false);
                LogSubscribed(filter);
            }
            catch (MqttPublishRefusedException e)
            {
                LogSubscribeFailed(filter, e.Message);
            }
        }
    }

    private async Task ReceiveAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in _session.Received.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            Take(message.Topic, message.Payload);
            await _session.AcknowledgeAsync(message, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One message from the broker: a gateway's status or event, shown once per id; anything else is logged and dropped.</summary>
    internal void Take(string topic, byte[] payload)
    {
        switch (_topics.Parse(topic))
        {
            case (FleetTopicKind.Status, var gateway, _):
                if (_fleet.Status(gateway, payload) is { } statusProblem)
                {
                    LogUnusable(Printable.Escape(statusProblem));
                }

                break;
            case (FleetTopicKind.Event, var gateway, var kind):
                var receipt = _fleet.Receive(gateway, kind, payload, out var shown, out var problem);
                if (receipt == FleetReceipt.Invalid)
                {
                    LogUnusable(Printable.Escape(problem!));
                }
                else if (receipt == FleetReceipt.New)
                {
                    Hub.Publish(ToConsole(shown!));
                }
                else
                {
                    // Another centre heard it too: the page counts the gateway, shows the event once.
                    Hub.Publish(HeardBy(shown!));
                }

                break;
            default:
                LogUnusable(Printable.Escape($"topic '{topic}' is not a gateway's status or events/{{kind}} under {_topics.Template}"));
                break;
        }
    }

    private async Task PublishHealthAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(HealthInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (Hub.Pages > 0)
            {
                var now = _time.GetUtcNow();
                Hub.Publish(new ConsoleEvent("health." + now.ToUnixTimeMilliseconds(), "health", "radiogw.console.health", now, JsonSerializer.SerializeToElement(Health(), GatewayJson.Events.TypeInfo<ConsoleHealth>())));
            }
        }
    }

    public ConsoleState State(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var role = user.FindFirstValue(ClaimTypes.Role) ?? ConsoleRoles.Viewer;
        return new ConsoleState(
            new ConsoleSignedInUser(user.Identity?.Name, role, ConsoleRoles.Acting.Contains(role, StringComparer.Ordinal)),
            Origin,
            Fleet: true,
            _time.GetUtcNow(),
            Map: !string.IsNullOrEmpty(_settings.Console.MapFile),
            ConsoleSettings.CannedMessages(_settings.Console, _settings.ConfigFile, out _) ?? [],
            [.. _settings.Roster.Units.Select(u => new ConsoleRosterUnit(u.Id, u.Name, u.Team, u.Vehicle, u.Centre))],
            [.. _fleet.Events(_time.GetUtcNow() - HistoryWindow, HistoryLimit).Where(e => e.Event.Kind != "data").Select(ToConsole)],
            Health());
    }

    public ConsoleHistory History(DateTimeOffset? since, DateTimeOffset? until, uint? unit, uint? talkgroup)
    {
        var from = since ?? _time.GetUtcNow() - HistoryWindow;
        var to = until ?? DateTimeOffset.MaxValue;
        var calls = _fleet.Events(from, HistoryLimit, "call")
            .Where(e => e.Event.Type == "radiogw.call.ended" && e.Event.Time <= to)
            .Select(e => JsonSerializer.Deserialize(e.Event.DataJson, EventJson.Options.TypeInfo<CallRecord>())!)
            .Where(c => (unit is not { } id || c.Source.Id == id || (c.Destination.Type == TargetType.Unit && c.Destination.Id == id))
                && (talkgroup is not { } group || (c.Destination.Type == TargetType.Group && c.Destination.Id == group)));
        var texts = MessageFormatter.Texts(_fleet.Events(from, HistoryLimit, "text").Select(e => e.Event))
            .Where(t => t.Time <= to && (unit is not { } id || t.From.Id == id || t.To.Id == id) && (talkgroup is not { } group || (t.To.Type == TargetType.Group && t.To.Id == group)));
        return ConsoleHistory.Of(calls, texts, Track(unit, from, to).Where(_ => talkgroup is null));
    }

    public IReadOnlyList<PositionReported> Track(uint? unit, DateTimeOffset? since, DateTimeOffset? until) =>
        [.. MessageFormatter.Positions(_fleet.Events(since ?? _time.GetUtcNow() - HistoryWindow, HistoryLimit, "position").Select(e => e.Event))
            .Where(p => (unit is not { } id || p.Unit.Id == id) && p.Time <= (until ?? DateTimeOffset.MaxValue))];

    internal ConsoleHealth Health() => new(
        _session.IsConnected ? "connected" : "disconnected",
        _settings.Mqtt.Broker,
        Gateways: [.. _fleet.Gateways.Select(g => new ConsoleFleetGateway(g.Id, g.Online, g.LastSeen, g.Events, Outbox(g.Status)))]);

    /// <summary>Publishes the command to the chosen gateway's <c>commands/{kind}</c> and waits for the broker's PUBACK.</summary>
    public async Task<(string? CommandId, string? Problem)> SubmitAsync(string user, ConsoleCommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var gateway = request.Gateway ?? (request.TargetType == TargetType.Unit ? _fleet.LastHeardBy(request.Target) : null);
        var known = _fleet.Gateways;
        if (gateway is null)
        {
            var online = known.Where(g => g.Online).ToList();
            if (online.Count != 1)
            {
                return (null, request.TargetType == TargetType.Unit
                    ? $"no gateway has heard unit {request.Target} yet; choose the gateway that should send it"
                    : "a talk-group message needs the gateway that should send it");
            }

            gateway = online[0].Id;
        }
        else if (!known.Any(g => g.Id == gateway))
        {
            return (null, $"gateway '{gateway}' is not known on the central broker");
        }

        var commandId = "fleet-" + Guid.NewGuid().ToString("N");
        var now = _time.GetUtcNow();
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(CommandPatience);
        try
        {
            await _session.PublishAsync(
                _topics.CommandTopic(gateway, request.Action),
                new ReadOnlySequence<byte>(ConsoleCommandRequest.CloudEvent(commandId, "operator:" + user + "@" + Origin, now, request)),
                retain: false,
                patience.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MqttConnectionLostException or MqttPublishRefusedException or MessageTooLargeException)
        {
            return (null, $"the central broker did not take the command ({(e is OperationCanceledException ? "no connection" : e.Message)}); not sent");
        }

        Show(new OperatorActionTaken
        {
            Id = "operator." + commandId,
            Time = now,
            User = user,
            CommandId = commandId,
            Action = request.Action,
            Target = request.Target,
            TargetType = request.TargetType,
            Text = request.Text,
            IntervalSeconds = request.IntervalSeconds,
            Stop = request.Stop,
        }, gateway);
        LogAction(user, request.Action, request.Target, gateway, commandId);
        return (commandId, null);
    }

    /// <summary>Acknowledged on this fleet view (the gateway's own console keeps its own acknowledgements).</summary>
    public void Acknowledge(string user, string emergencyId)
    {
        Show(new EmergencyAcknowledged { Id = "ack." + emergencyId, Time = _time.GetUtcNow(), EmergencyId = emergencyId, User = user }, Origin);
        LogAcknowledged(user, emergencyId);
    }

    private void Show(DomainEvent local, string gateway)
    {
        var message = ConsoleEvent.From(local);
        var kept = _fleet.Keep(new JournalEvent(message.Id, message.Kind, message.Type, null, message.Time, message.Data.GetRawText()), gateway);
        Hub.Publish(ToConsole(kept));
    }

    private static ConsoleEvent ToConsole(FleetEvent kept)
    {
        using var data = JsonDocument.Parse(kept.Event.DataJson);
        return new ConsoleEvent(kept.Event.Id, kept.Event.Kind, kept.Event.Type, kept.Event.Time, data.RootElement.Clone(), kept.Gateway, kept.HeardBy);
    }

    private static ConsoleEvent HeardBy(FleetEvent kept) => new(
        "heard-by." + kept.Event.Id,
        "console",
        "radiogw.console.heard-by",
        kept.Event.Time,
        JsonSerializer.SerializeToElement(new ConsoleHeardBy(kept.Event.Id, FleetState.HeardUnit(kept.Event), kept.HeardBy), GatewayJson.Events.TypeInfo<ConsoleHeardBy>()),
        kept.Gateway,
        kept.HeardBy);

    private static JsonElement? Outbox(JsonElement? status) =>
        status is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("outbox", out var outbox) ? outbox : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet view of {Broker}: gateways' {StatusFilter} and {EventsFilter}")]
    private partial void LogFleet(string broker, string statusFilter, string eventsFilter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following {Filter}")]
    private partial void LogSubscribed(string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to {Filter} failed: {Reason}")]
    private partial void LogSubscribeFailed(string filter, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet view dropped a message: {Problem}")]
    private partial void LogUnusable(string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet: {User} asked for {Action} to {Target} through gateway {Gateway} (command {CommandId})")]
    private partial void LogAction(string user, string action, uint target, string gateway, string commandId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet: {User} acknowledged emergency {EmergencyId}")]
    private partial void LogAcknowledged(string user, string emergencyId);
}
