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
    ILoggerFactory loggers) : BackgroundService
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
        await using var app = Build();
        try
        {
            await app.StartAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            LogCannotListen(string.Join(", ", ConsoleSettings.Urls(settings.Console)), e.Message);
            return;
        }

        foreach (var url in app.Urls)
        {
            LogListening(url);
        }

        if (_users.Load().Count == 0)
        {
            LogNoAccounts(settings.DataDirectory);
        }

        try
        {
            await RelayStoreEventsAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(stopping.Token).ConfigureAwait(false);
        }
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
            hub.Publish(new ConsoleEvent("health." + time.GetUtcNow().ToUnixTimeMilliseconds(), "health", "radiogw.console.health", time.GetUtcNow(), JsonSerializer.SerializeToElement(Health(), EventJson.Options)));
        }
    }

    private WebApplication Build()
    {
        var web = Path.Combine(AppContext.BaseDirectory, "OperatorConsole", "wwwroot");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, WebRootPath = web });
        // The gateway's log, without Data Protection's warning that its keys (in the 0750 data directory) are not
        // encrypted at rest: there is no key store to encrypt them with on a base-station PC.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new GatewayLogProvider(loggers));
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // The gateway's host owns Ctrl+C and SIGTERM; it stops this app when it stops.
        builder.Services.AddSingleton<IHostLifetime, GatewayOwnedLifetime>();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls([.. ConsoleSettings.Urls(settings.Console)]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (!string.IsNullOrEmpty(settings.Console.CertificateFile))
            {
                var certificate = ConsoleSettings.LoadCertificate(settings.Console, settings.ConfigFile);
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)));
        builder.Services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(settings.DataDirectory, "console-keys")))
            .SetApplicationName("radiogw-console");
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "radiogw.console";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/login";
            // The API answers 401/403; pages are redirected to the sign-in page.
            cookie.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ActPolicy, policy => policy.RequireRole(ConsoleRoles.Acting));
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = AntiforgeryHeader;
            antiforgery.Cookie.Name = "radiogw.csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = SignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["X-Frame-Options"] = "DENY";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'";
            await next(context).ConfigureAwait(false);
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(web) });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        ConsoleEndpoints.Map(app, this, web);
        HealthEndpoints.Map(app, gateway);
        return app;
    }

    internal const string ActPolicy = "act";
    internal const string SignInPolicy = "sign-in";
    internal const string AntiforgeryHeader = "X-CSRF-TOKEN";
    internal const int SignInAttemptsPerMinute = 10;

    internal ConsoleUsers Users => _users;

    internal GatewaySettings Settings => settings;

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    /// <summary>What a page needs on (re)load: who is signed in, the roster, the last day's events from the journal, health.</summary>
    internal object State(ClaimsPrincipal user)
    {
        using var reader = store.OpenReader();
        var history = reader.QueryEvents(since: time.GetUtcNow() - HistoryWindow, limit: HistoryLimit)
            .Where(e => e.Kind != "data")
            .Select(ConsoleEvent.From)
            .ToList();
        var role = user.FindFirstValue(ClaimTypes.Role) ?? ConsoleRoles.Viewer;
        return new
        {
            User = new { Name = user.Identity?.Name, Role = role, CanAct = ConsoleRoles.Acting.Contains(role, StringComparer.Ordinal) },
            GatewayId = settings.Gateway.Id,
            Now = time.GetUtcNow(),
            Map = !string.IsNullOrEmpty(settings.Console.MapFile),
            Canned = ConsoleSettings.CannedMessages(settings.Console, settings.ConfigFile, out _) ?? [],
            Roster = settings.Roster.Units.Select(u => new { u.Id, u.Name, u.Team, u.Vehicle, u.Centre }),
            Events = history,
            Health = Health(),
        };
    }

    /// <summary>Calls, positions and texts in a time range (default: the last day), by unit and talk-group; at most 1000 of each.</summary>
    internal object History(DateTimeOffset? since, DateTimeOffset? until, uint? unit, uint? talkgroup)
    {
        var from = since ?? time.GetUtcNow() - HistoryWindow;
        var to = until ?? DateTimeOffset.MaxValue;
        using var reader = store.OpenReader();
        var calls = reader.QueryCalls(new CallQuery { Since = from, Unit = unit, Talkgroup = talkgroup, Limit = 1000 }).Where(c => c.Start <= to);
        var texts = MessageFormatter.Texts(reader.QueryEvents("text", from, 1000))
            .Where(t => t.Time <= to && (unit is not { } id || t.From.Id == id || t.To.Id == id) && (talkgroup is not { } group || (t.To.Type == TargetType.Group && t.To.Id == group)));
        return new
        {
            Calls = calls.ToList(),
            Texts = texts.Select(t => new { t.Time, t.From, t.To, t.Text, t.Protocol }).ToList(),
            Positions = Track(unit, from, to).Where(_ => talkgroup is null).Select(p => new { p.Time, p.Unit, p.Lat, p.Lon, p.FixTime, p.Via }).ToList(),
        };
    }

    /// <summary>Journaled positions, of one unit or all, oldest first.</summary>
    internal IReadOnlyList<PositionReported> Track(uint? unit, DateTimeOffset? since, DateTimeOffset? until)
    {
        using var reader = store.OpenReader();
        return [.. MessageFormatter.Positions(reader.QueryEvents("position", since ?? time.GetUtcNow() - HistoryWindow, 5000))
            .Where(p => (unit is not { } id || p.Unit.Id == id) && p.Time <= (until ?? DateTimeOffset.MaxValue))];
    }

    internal object Health()
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

        return new
        {
            Uplink = uplink is null ? "off" : uplink.IsConnected ? "connected" : "disconnected",
            Broker = settings.Mqtt.Broker,
            OutboxCount = backlog.Count,
            OutboxOldest = backlog.OldestEnqueuedAt,
            DiskFreeBytes = free,
            DiskTotalBytes = total,
        };
    }

    /// <summary>Journals who asked for what, then hands the command to the same path MQTT commands take.</summary>
    internal string Submit(string user, ConsoleCommandRequest request)
    {
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
        return commandId;
    }

    internal void Acknowledge(string user, string emergencyId)
    {
        var now = time.GetUtcNow();
        events.Publish(new EmergencyAcknowledged { Id = "ack." + emergencyId, Time = now, EmergencyId = emergencyId, User = user });
        LogAcknowledged(user, emergencyId);
    }

    internal ConsoleEventHub Hub => hub;

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator console: {Url}")]
    private partial void LogListening(string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No console accounts yet: create one with `radiogw console add-user NAME --role operator` (data directory {DataDirectory})")]
    private partial void LogNoAccounts(string dataDirectory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Operator console cannot listen on {Urls} ({Problem}); the gateway runs without it")]
    private partial void LogCannotListen(string urls, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console: {User} asked for {Action} to {Target} (command {CommandId})")]
    private partial void LogAction(string user, string action, uint target, string commandId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console: {User} acknowledged emergency {EmergencyId}")]
    private partial void LogAcknowledged(string user, string emergencyId);

    /// <summary>Writes the console app's logs to the gateway's logger factory (Serilog).</summary>
    private sealed class GatewayLogProvider(ILoggerFactory gateway) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => gateway.CreateLogger(categoryName);

        public void Dispose()
        {
            // the gateway's host owns and disposes its logger factory
        }
    }

    /// <summary>Leaves signals to the gateway's own host lifetime.</summary>
    private sealed class GatewayOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
