using System.Net;
using RadioGateway.OperatorConsole;
using RadioGateway.Tests.EndToEnd;

namespace RadioGateway.Tests.OperatorConsole;

/// <summary>The console's access rules against a real <c>radiogw run --simulate</c>.</summary>
public sealed class ConsoleSecurityTests
{
    [Fact]
    public async Task Signed_out_requests_are_refused_actions_need_antiforgery_and_an_acting_role_and_failed_sign_ins_are_limited()
    {
        using var gateway = await ConsoleGateway.StartAsync();

        // Signed out: the page redirects to sign-in, the API answers 401, an action 401 even with a token.
        using (var anonymous = gateway.Client())
        {
            using var page = await anonymous.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            using var state = await anonymous.GetAsync(new Uri("/api/state", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, state.StatusCode);
            using var events = await anonymous.GetAsync(new Uri("/api/events", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
            using var track = await anonymous.GetAsync(new Uri("/api/track/3120106?format=gpx", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, track.StatusCode);
            using var action = await ConsoleGateway.PostAsync(anonymous, "/api/commands", new { action = "radio-check", target = 3120101 }, await ConsoleGateway.AntiforgeryTokenAsync(anonymous));
            Assert.Equal(HttpStatusCode.Unauthorized, action.StatusCode);
            using var signInWithoutToken = await ConsoleGateway.PostAsync(anonymous, "/api/login", new { name = ConsoleGateway.OperatorName, password = ConsoleGateway.OperatorPassword }, antiforgery: null);
            Assert.Equal(HttpStatusCode.BadRequest, signInWithoutToken.StatusCode);
        }

        // An operator acts only with the antiforgery token; the action is journaled with the user.
        using (var operatorClient = gateway.Client())
        {
            await ConsoleGateway.SignInAsync(operatorClient, ConsoleGateway.OperatorName, ConsoleGateway.OperatorPassword);
            var token = await ConsoleGateway.AntiforgeryTokenAsync(operatorClient);
            using var withoutToken = await ConsoleGateway.PostAsync(operatorClient, "/api/commands", new { action = "radio-check", target = 3120101 }, antiforgery: null);
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
            using var forgedToken = await ConsoleGateway.PostAsync(operatorClient, "/api/commands", new { action = "radio-check", target = 3120101 }, token[..^4] + "AAAA");
            Assert.Equal(HttpStatusCode.BadRequest, forgedToken.StatusCode);
            using var accepted = await ConsoleGateway.PostAsync(operatorClient, "/api/commands", new { action = "radio-check", target = 3120101 }, token);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            await gateway.Process.WaitForLineAsync(l => l.Contains("radiogw.operator.action", StringComparison.Ordinal), ConsoleGateway.Patience);
            await gateway.Process.WaitForLineAsync(l => l.Contains("Console: ali asked for radio-check to 3120101", StringComparison.Ordinal), ConsoleGateway.Patience);
        }

        // A viewer sees the state but cannot act.
        using (var viewer = gateway.Client())
        {
            await ConsoleGateway.SignInAsync(viewer, ConsoleGateway.ViewerName, ConsoleGateway.ViewerPassword);
            using var state = await viewer.GetAsync(new Uri("/api/state", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, state.StatusCode);
            Assert.Contains("\"calls\":[", await viewer.GetStringAsync(new Uri("/api/history?talkgroup=9", UriKind.Relative)), StringComparison.Ordinal);
            Assert.StartsWith("<?xml", await viewer.GetStringAsync(new Uri("/api/track/3120106?format=gpx", UriKind.Relative)), StringComparison.Ordinal);
            Assert.Contains("<kml xmlns=\"http://www.opengis.net/kml/2.2\"", await viewer.GetStringAsync(new Uri("/api/track/3120106?format=kml", UriKind.Relative)), StringComparison.Ordinal);
            using var badFormat = await viewer.GetAsync(new Uri("/api/track/3120106?format=shp", UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
            var token = await ConsoleGateway.AntiforgeryTokenAsync(viewer);
            using var send = await ConsoleGateway.PostAsync(viewer, "/api/commands", new { action = "text", target = 3120101, text = "سلام" }, token);
            Assert.Equal(HttpStatusCode.Forbidden, send.StatusCode);
            using var acknowledge = await ConsoleGateway.PostAsync(viewer, "/api/emergencies/ack", new { emergencyId = "x" }, token);
            Assert.Equal(HttpStatusCode.Forbidden, acknowledge.StatusCode);
        }

        // Successful sign-ins are never limited (a shift change signs in many operators from one PC).
        for (var attempt = 0; attempt < SignInThrottle.FailuresAllowed + 2; attempt++)
        {
            using var shift = gateway.Client();
            await ConsoleGateway.SignInAsync(shift, ConsoleGateway.OperatorName, ConsoleGateway.OperatorPassword);
        }

        // Wrong passwords: 401 until the per-address limit of failures, then 429, even for the right password.
        using var guesser = gateway.Client();
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < SignInThrottle.FailuresAllowed + 1; attempt++)
        {
            using var response = await ConsoleGateway.PostAsync(guesser, "/api/login", new { name = ConsoleGateway.OperatorName, password = "guess" + attempt }, await ConsoleGateway.AntiforgeryTokenAsync(guesser));
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses[..SignInThrottle.FailuresAllowed], s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        using var rightButBlocked = await ConsoleGateway.PostAsync(guesser, "/api/login", new { name = ConsoleGateway.OperatorName, password = ConsoleGateway.OperatorPassword }, await ConsoleGateway.AntiforgeryTokenAsync(guesser));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightButBlocked.StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:18099", "Console:Urls: refusing plain HTTP on '0.0.0.0'")]
    [InlineData("https://127.0.0.1:18099", "Console:CertificateFile: is empty")]
    public async Task A_console_on_the_network_without_https_stops_start_up_with_one_line(string urls, string expected)
    {
        var data = Directory.CreateTempSubdirectory("radiogw-console-refused-").FullName;
        try
        {
            using var gateway = GatewayProcess.Start("run", "--simulate", "--Gateway:DataDirectory=" + data, "--Gateway:Id=refused", "--Console:Urls=" + urls);
            using var timeout = new CancellationTokenSource(ConsoleGateway.Patience);
            await gateway.Process.WaitForExitAsync(timeout.Token);
            Assert.Equal(2, gateway.Process.ExitCode);
            Assert.Contains("radiogw: configuration error: " + expected, gateway.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
