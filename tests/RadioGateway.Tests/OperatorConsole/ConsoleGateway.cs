using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RadioGateway.OperatorConsole;
using RadioGateway.Tests.EndToEnd;
using RadioGateway.Testing;

namespace RadioGateway.Tests.OperatorConsole;

/// <summary>A real <c>radiogw run --simulate</c> with its console on a free loopback port and two accounts.</summary>
internal sealed class ConsoleGateway : IDisposable
{
    public const string OperatorName = "ali";
    public const string OperatorPassword = "operator-password-1";
    public const string ViewerName = "sara";
    public const string ViewerPassword = "viewer-password-1";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _directory;

    private ConsoleGateway(string directory, RunningProcess process, Uri address)
    {
        _directory = directory;
        Process = process;
        Address = address;
    }

    public RunningProcess Process { get; }

    public Uri Address { get; }

    public static async Task<ConsoleGateway> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("radiogw-console-").FullName;
        var data = Path.Combine(directory, "data");
        // The operator through the CLI verb (password on stdin), the viewer directly through the store it writes.
        using (var addUser = GatewayProcess.Start("console", "add-user", OperatorName, "--role", "operator", "--Gateway:DataDirectory=" + data, "--Gateway:Id=console-test"))
        {
            await addUser.Process.StandardInput.WriteLineAsync(OperatorPassword);
            addUser.Process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(Patience);
            await addUser.Process.WaitForExitAsync(timeout.Token);
            Assert.True(addUser.Process.ExitCode == 0, addUser.Output);
        }

        Assert.Null(new ConsoleUsers(data).Save(ViewerName, ConsoleRoles.Viewer, ViewerPassword));
        var address = new Uri($"http://127.0.0.1:{ExternalTool.FreeLoopbackPort()}/");
        var process = GatewayProcess.Start("run", "--simulate", "--Gateway:DataDirectory=" + data, "--Gateway:Id=console-test", "--Console:Urls=" + address.ToString().TrimEnd('/'));
        try
        {
            await process.WaitForLineAsync(l => l.Contains("Operator console: " + address.ToString().TrimEnd('/'), StringComparison.Ordinal), Patience);
        }
        catch
        {
            process.Dispose();
            throw;
        }

        return new ConsoleGateway(directory, process, address);
    }

    /// <summary>A client with its own cookie jar that follows no redirects (so 302s can be asserted).</summary>
    public HttpClient Client() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address };

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/antiforgery", UriKind.Relative)));
        return document.RootElement.GetProperty("token").GetString()!;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? antiforgery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (antiforgery is not null)
        {
            request.Headers.Add("X-CSRF-TOKEN", antiforgery);
        }

        return await client.SendAsync(request);
    }

    public static async Task SignInAsync(HttpClient client, string name, string password)
    {
        using var response = await PostAsync(client, "/api/login", new { name, password }, await AntiforgeryTokenAsync(client));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>The next event on the page's Server-Sent Events stream that matches.</summary>
    public static async Task<JsonElement> NextAsync(StreamReader live, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (await live.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonDocument.Parse(line["data: ".Length..]).RootElement is var message && match(message))
            {
                return message;
            }
        }

        throw new EndOfStreamException("the console closed its event stream");
    }

    public void Dispose()
    {
        GatewayProcess.StopAsync(Process, TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        Process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
