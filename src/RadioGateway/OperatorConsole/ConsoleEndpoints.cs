using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Cli;
using RadioGateway.Core.Journal;
using RadioGateway.Hosting;

namespace RadioGateway.OperatorConsole;

/// <summary>The console's pages and API. Every POST needs the antiforgery header; acting needs the operator or technician role.</summary>
internal static class ConsoleEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void Map(WebApplication app, IConsoleBackend console, string webRoot)
    {
        var page = Path.Combine(webRoot, "index.html");
        var signIn = Path.Combine(webRoot, "login.html");
        app.MapGet("/", () => Results.File(page, "text/html; charset=utf-8")).RequireAuthorization();
        app.MapGet("/login", () => Results.File(signIn, "text/html; charset=utf-8"));

        var api = app.MapGroup("/api");
        api.MapGet("/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
            Results.Json(new ConsoleAntiforgeryToken(antiforgery.GetAndStoreTokens(context).RequestToken), GatewayJson.Events.TypeInfo<ConsoleAntiforgeryToken>()));

        api.MapPost("/login", async (HttpContext context, SignInRequest request, SignInThrottle throttle) =>
        {
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "";
            if (throttle.IsBlocked(address))
            {
                return Error("too many failed sign-ins from this address; wait a minute", StatusCodes.Status429TooManyRequests);
            }

            var user = console.Users.Verify(request.Name ?? "", request.Password ?? "");
            if (user is null)
            {
                throttle.Failed(address);
                return Error("wrong user name or password", StatusCodes.Status401Unauthorized);
            }

            throttle.Succeeded(address);

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
            return Results.NoContent();
        }).AddEndpointFilter(RequireAntiforgery);

        api.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.NoContent();
        }).AddEndpointFilter(RequireAntiforgery).RequireAuthorization();

        api.MapGet("/state", (ClaimsPrincipal user) => Results.Json(console.State(user), GatewayJson.Events.TypeInfo<ConsoleState>())).RequireAuthorization();
        api.MapGet("/events", (HttpContext context) => StreamAsync(context, console)).RequireAuthorization();

        api.MapPost("/commands", async (ClaimsPrincipal user, ConsoleCommandRequest request, CancellationToken cancellationToken) =>
        {
            if (!CommandKinds.Contains(request.Action, StringComparer.Ordinal))
            {
                return Error($"action '{request.Action}' is not one of {string.Join(", ", CommandKinds)}", StatusCodes.Status400BadRequest);
            }

            var (commandId, problem) = await console.SubmitAsync(user.Identity!.Name!, request, cancellationToken).ConfigureAwait(false);
            return problem is not null
                ? Error(problem, StatusCodes.Status400BadRequest)
                : Results.Json(new ConsoleCommandAccepted(commandId), GatewayJson.Events.TypeInfo<ConsoleCommandAccepted>(), statusCode: StatusCodes.Status202Accepted);
        }).AddEndpointFilter(RequireAntiforgery).RequireAuthorization(ConsoleWebApp.ActPolicy);

        api.MapPost("/emergencies/ack", (ClaimsPrincipal user, AcknowledgeRequest request) =>
        {
            if (string.IsNullOrEmpty(request.EmergencyId) || request.EmergencyId.Length > 200)
            {
                return Error("emergencyId is required (at most 200 characters)", StatusCodes.Status400BadRequest);
            }

            console.Acknowledge(user.Identity!.Name!, request.EmergencyId);
            return Results.NoContent();
        }).AddEndpointFilter(RequireAntiforgery).RequireAuthorization(ConsoleWebApp.ActPolicy);

        api.MapGet("/history", (DateTimeOffset? since, DateTimeOffset? until, uint? unit, uint? talkgroup) =>
            Results.Json(console.History(since, until, unit, talkgroup), GatewayJson.Events.TypeInfo<ConsoleHistory>())).RequireAuthorization();
        api.MapGet("/track/{unit}", (uint unit, DateTimeOffset? since, DateTimeOffset? until, string? format) =>
        {
            var (kind, extension, type) = format switch
            {
                "gpx" => (JournalOutputFormat.Gpx, "gpx", "application/gpx+xml"),
                "csv" => (JournalOutputFormat.Csv, "csv", "text/csv"),
                "kml" => (JournalOutputFormat.Kml, "kml", "application/vnd.google-earth.kml+xml"),
                null or "geojson" => (JournalOutputFormat.GeoJson, "geojson", "application/geo+json"),
                _ => (JournalOutputFormat.Table, "", ""),
            };
            if (extension.Length == 0)
            {
                return Error($"format '{format}' is not one of gpx, kml, geojson, csv", StatusCodes.Status400BadRequest);
            }

            // A UTF-8 writer, so the GPX declaration says the encoding the bytes have.
            using var buffer = new MemoryStream();
            using (var writer = new StreamWriter(buffer, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true))
            {
                MessageFormatter.WritePositions(writer, console.Track(unit, since, until), kind);
            }

            return Results.File(buffer.ToArray(), type + "; charset=utf-8", $"track-{unit}.{extension}");
        }).RequireAuthorization();

        if (!string.IsNullOrEmpty(console.Settings.Console.MapFile))
        {
            var map = GatewayConfiguration.ResolvePath(console.Settings.Console.MapFile, console.Settings.ConfigFile);
            app.MapGet("/map.pmtiles", () => Results.File(map, "application/octet-stream", enableRangeProcessing: true)).RequireAuthorization();
        }
    }

    private static IResult Error(string message, int status) => Results.Json(new ConsoleError(message), GatewayJson.Events.TypeInfo<ConsoleError>(), statusCode: status);

    private static readonly string[] CommandKinds = ["text", "announce", "locate", "radio-check"];

    /// <summary>Refuses a state-changing request without a valid antiforgery token (header <c>X-CSRF-TOKEN</c>) with 400.</summary>
    private static async ValueTask<object?> RequireAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var antiforgery = context.HttpContext.RequestServices.GetService(typeof(IAntiforgery)) as IAntiforgery;
        try
        {
            await antiforgery!.ValidateRequestAsync(context.HttpContext).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return Error("missing or invalid antiforgery token (reload the page)", StatusCodes.Status400BadRequest);
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>Server-Sent Events: one <c>data:</c> line of JSON per event, a comment line as heartbeat.</summary>
    private static async Task StreamAsync(HttpContext context, IConsoleBackend console)
    {
        context.Response.Headers.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var subscription = console.Hub.Subscribe();
        var cancel = context.RequestAborted;
        await context.Response.WriteAsync(": connected\n\n", cancel).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                wait.CancelAfter(Heartbeat);
                bool ready;
                try
                {
                    ready = await subscription.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(": heartbeat\n\n", cancel).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
                    continue;
                }

                if (!ready)
                {
                    return;
                }

                while (subscription.Reader.TryRead(out var message))
                {
                    await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(message, GatewayJson.Events.TypeInfo<ConsoleEvent>()) + "\n\n", cancel).ConfigureAwait(false);
                }

                await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // the page went away
        }
    }

    internal sealed record SignInRequest(string? Name, string? Password);

    internal sealed record AcknowledgeRequest(string? EmergencyId);
}
