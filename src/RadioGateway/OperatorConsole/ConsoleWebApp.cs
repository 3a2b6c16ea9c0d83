using System.Text.Json;
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
using RadioGateway.Hosting;

namespace RadioGateway.OperatorConsole;

/// <summary>
/// The console's web app on <c>Console:Urls</c>, the same for a gateway's own console and the fleet view: cookie
/// sign-in, roles, antiforgery, a limit on failed sign-ins, security headers, the static page and the API over a backend.
/// </summary>
internal static partial class ConsoleWebApp
{
    internal const string ActPolicy = "act";
    internal const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static WebApplication Build(IConsoleBackend backend, ILoggerFactory loggers, Action<WebApplication>? mapMore = null)
    {
        var settings = backend.Settings;
        var web = Path.Combine(AppContext.BaseDirectory, "OperatorConsole", "wwwroot");
        // The empty builder: the console takes its settings from the gateway, so it needs none of the slim builder's
        // configuration files (and their change watcher), console logger or host filtering (~2 MB resident, issue 13 #6).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, WebRootPath = web });
        // The gateway's log, without Data Protection's warning that its keys (in the 0750 data directory) are not
        // encrypted at rest: there is no key store to encrypt them with on a base-station PC.
        builder.Logging.AddProvider(new HostLogProvider(loggers));
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // The owning host has Ctrl+C and SIGTERM; it stops this app when it stops.
        builder.Services.AddSingleton<IHostLifetime, HostOwnedLifetime>();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore();
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

        // Request bodies bind through compile-time metadata (Native AOT); enums carry their kebab-case converter.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJson.Events.TypeInfoResolver!));
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
        builder.Services.AddSingleton(new SignInThrottle(TimeProvider.System));

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
        ConsoleEndpoints.Map(app, backend, web);
        mapMore?.Invoke(app);
        return app;
    }

    /// <summary>
    /// Starts the app, says where it listens and whether any account exists, runs <paramref name="whileRunning"/>
    /// until the owning host stops, then stops the app. A console that cannot listen (port taken) is logged and stays
    /// off: on a gateway the radio path comes first.
    /// </summary>
    public static async Task RunAsync(WebApplication app, IConsoleBackend backend, ILogger logger, Func<CancellationToken, Task> whileRunning, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(whileRunning);
        try
        {
            await app.StartAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            LogCannotListen(logger, string.Join(", ", ConsoleSettings.Urls(backend.Settings.Console)), e.Message);
            return;
        }

        foreach (var url in app.Urls)
        {
            LogListening(logger, url);
        }

        if (backend.Users.Load().Count == 0)
        {
            LogNoAccounts(logger, backend.Settings.DataDirectory);
        }

        try
        {
            await whileRunning(stoppingToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator console: {Url}")]
    private static partial void LogListening(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No console accounts yet: create one with `radiogw console add-user NAME --role operator` (data directory {DataDirectory})")]
    private static partial void LogNoAccounts(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Error, Message = "The console cannot listen on {Urls} ({Problem}); it stays off")]
    private static partial void LogCannotListen(ILogger logger, string urls, string problem);

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

    /// <summary>Writes the web app's logs to the owning host's logger factory (Serilog).</summary>
    private sealed class HostLogProvider(ILoggerFactory owner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => owner.CreateLogger(categoryName);

        public void Dispose()
        {
            // the owning host disposes its logger factory
        }
    }

    /// <summary>Leaves signals to the owning host's lifetime.</summary>
    private sealed class HostOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
