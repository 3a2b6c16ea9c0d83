using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Cli;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;
using RadioGateway.Hosting;

namespace RadioGateway.OperatorConsole;

/// <summary>
/// The operator console: a small ASP.NET Core app inside the gateway process, on <c>Console:Urls</c>. It reads the
/// journal for history, receives live events from the pipeline (<see cref="ConsoleEventHub"/>), and submits actions
/// through <see cref="CommandService"/> exactly as MQTT commands arrive, so they work without a broker and obey the same limits.
/// A console that cannot listen (port taken) is logged and the gateway keeps running: the radio path comes first.
/// </summary>
public sealed partial class ConsoleWebService(
    GatewaySettings settings,
    GatewayStore store,
    CommandService commands,
    IEventSink events,
    ConsoleEventHub hub,
    TimeProvider time,
    IServiceProvider gateway,
    ILoggerFactory loggers) : BackgroundService, IConsoleBackend
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HistoryWindow = TimeSpan.FromHours(24);
    private const int HistoryLimit = 5000;
    private readonly ILogger _logger = loggers.CreateLogger<ConsoleWebService>();
    private readonly ConsoleUsers _users = new(settings.DataDirectory);

    /// <summary>Registers the console when <c>Console:Urls</c> names at least one address.</summary>
    public static void Add(IServiceCollection services, GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (ConsoleSettings.Urls(settings.Console).Count > 0)
        {
            services.AddHostedService<ConsoleWebService>();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The gateway's own console also answers /healthz and /metrics for monitoring (issue 13 #4).
        await using var app = ConsoleWebApp.Build(this, loggers, web => HealthEndpoints.Map(web, gateway));
        await ConsoleWebApp.RunAsync(app, this, _logger, RelayStoreEventsAsync, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Command results are written to the store by the dispatcher, not through the event pipeline: tail them from the
    /// journal once a second, with a health snapshot, for the open pages.
    /// </summary>
    private async Task RelayStoreEventsAsync(CancellationToken stoppingToken)
    {
        using var reader = store.OpenReader();
        var since = time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (hub.Pages == 0)
            {
                since = time.GetUtcNow();
                continue;
            }

            var results = reader.QueryEvents("command-result", since - PollInterval, limit: 500);
            foreach (var result in results.Where(r => seen.Add(r.Id)))
            {
                hub.Publish(ConsoleEvent.From(result));
            }

            if (seen.Count > 10_000)
            {
                seen.Clear();
                seen.UnionWith(results.Select(r => r.Id));
            }

            since = results.Count > 0 ? results[^1].Time : since;
            hub.Publish(new ConsoleEvent("health." + time.GetUtcNow().ToUnixTimeMilliseconds(), "health", "radiogw.console.health", time.GetUtcNow(), JsonSerializer.SerializeToElement(Health(), GatewayJson.Events.TypeInfo<ConsoleHealth>())));
        }
    }

    public ConsoleUsers Users => _users;

    public GatewaySettings Settings => settings;

    /// <summary>What a page needs on (re)load: who is signed in, the roster, the last day's events from the journal, health.</summary>
    public ConsoleState State(ClaimsPrincipal user)
    {
        using var reader = store.OpenReader();
        var history = reader.QueryEvents(since: time.GetUtcNow() - HistoryWindow, limit: HistoryLimit)
            .Where(e => e.Kind != "data")
            .Select(ConsoleEvent.From)
            .ToList();
        var role = user.FindFirstValue(ClaimTypes.Role) ?? ConsoleRoles.Viewer;
        return new ConsoleState(
            new ConsoleSignedInUser(user.Identity?.Name, role, ConsoleRoles.Acting.Contains(role, StringComparer.Ordinal)),
            settings.Gateway.Id,
            Fleet: false,
            time.GetUtcNow(),
            Map: !string.IsNullOrEmpty(settings.Console.MapFile),
            ConsoleSettings.CannedMessages(settings.Console, settings.ConfigFile, out _) ?? [],
            [.. settings.Roster.Units.Select(u => new ConsoleRosterUnit(u.Id, u.Name, u.Team, u.Vehicle, u.Centre))],
            history,
            Health());
    }

    /// <summary>Calls, positions and texts in a time range (default: the last day), by unit and talk-group; at most 1000 of each.</summary>
    public ConsoleHistory History(DateTimeOffset? since, DateTimeOffset? until, uint? unit, uint? talkgroup)
    {
        var from = since ?? time.GetUtcNow() - HistoryWindow;
        var to = until ?? DateTimeOffset.MaxValue;
        using var reader = store.OpenReader();
        var calls = reader.QueryCalls(new CallQuery { Since = from, Unit = unit, Talkgroup = talkgroup, Limit = 1000 }).Where(c => c.Start <= to);
        var texts = MessageFormatter.Texts(reader.QueryEvents("text", from, 1000))
            .Where(t => t.Time <= to && (unit is not { } id || t.From.Id == id || t.To.Id == id) && (talkgroup is not { } group || (t.To.Type == TargetType.Group && t.To.Id == group)));
        return ConsoleHistory.Of(calls, texts, Track(unit, from, to).Where(_ => talkgroup is null));
    }

    /// <summary>Journaled positions, of one unit or all, oldest first.</summary>
    public IReadOnlyList<PositionReported> Track(uint? unit, DateTimeOffset? since, DateTimeOffset? until)
    {
        using var reader = store.OpenReader();
        return [.. MessageFormatter.Positions(reader.QueryEvents("position", since ?? time.GetUtcNow() - HistoryWindow, 5000))
            .Where(p => (unit is not { } id || p.Unit.Id == id) && p.Time <= (until ?? DateTimeOffset.MaxValue))];
    }

    internal ConsoleHealth Health()
    {
        var backlog = store.GetBacklog();
        var uplink = gateway.GetServices<IHostedService>().OfType<MqttUplinkService>().FirstOrDefault();
        long? free = null;
        long? total = null;
        try
        {
            var drive = new DriveInfo(Path.GetFullPath(settings.DataDirectory));
            free = drive.AvailableFreeSpace;
            total = drive.TotalSize;
        }
        catch (IOException)
        {
            // unknown on this file system
        }

        return new ConsoleHealth(
            uplink is null ? "off" : uplink.IsConnected ? "connected" : "disconnected",
            settings.Mqtt.Broker,
            backlog.Count,
            backlog.OldestEnqueuedAt,
            free,
            total);
    }

    /// <summary>Journals who asked for what, then hands the command to the same path MQTT commands take.</summary>
    public Task<(string? CommandId, string? Problem)> SubmitAsync(string user, ConsoleCommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Gateway is { } named && named != settings.Gateway.Id)
        {
            return Task.FromResult<(string?, string?)>((null, $"this console belongs to gateway '{settings.Gateway.Id}', not '{named}'"));
        }

        var commandId = "console-" + Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        events.Publish(new OperatorActionTaken
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
        });
        commands.OnCommand(request.Action, ConsoleCommandRequest.CloudEvent(commandId, "operator:" + user, now, request));
        LogAction(user, request.Action, request.Target, commandId);
        return Task.FromResult<(string?, string?)>((commandId, null));
    }

    public void Acknowledge(string user, string emergencyId)
    {
        var now = time.GetUtcNow();
        events.Publish(new EmergencyAcknowledged { Id = "ack." + emergencyId, Time = now, EmergencyId = emergencyId, User = user });
        LogAcknowledged(user, emergencyId);
    }

    public ConsoleEventHub Hub => hub;

    [LoggerMessage(Level = LogLevel.Information, Message = "Console: {User} asked for {Action} to {Target} (command {CommandId})")]
    private partial void LogAction(string user, string action, uint target, string commandId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console: {User} acknowledged emergency {EmergencyId}")]
    private partial void LogAcknowledged(string user, string emergencyId);
}
