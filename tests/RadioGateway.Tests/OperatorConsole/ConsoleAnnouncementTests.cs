using System.Net;
using System.Text.Json;

namespace RadioGateway.Tests.OperatorConsole;

/// <summary>An announcement asked for on the console takes the command path and its result comes back to the page.</summary>
public sealed class ConsoleAnnouncementTests
{
    [Fact]
    public async Task An_announcement_from_the_console_is_journaled_with_the_user_and_answered_on_the_page()
    {
        using var gateway = await ConsoleGateway.StartAsync();
        using var client = gateway.Client();
        await ConsoleGateway.SignInAsync(client, ConsoleGateway.OperatorName, ConsoleGateway.OperatorPassword);
        using var live = new StreamReader(await client.GetStreamAsync(new Uri("/api/events", UriKind.Relative)));

        using var response = await ConsoleGateway.PostAsync(client, "/api/commands", new { action = "announce", target = 9, targetType = "group", text = "همه تیم‌ها به مرکز برگردند", voice = "fa" }, await ConsoleGateway.AntiforgeryTokenAsync(client));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var commandId = JsonDocument.Parse(body).RootElement.GetProperty("commandId").GetString();

        // The simulated base station transmits it on the simulated channel (issue 15 item 6): accepted, then transmitted.
        foreach (var state in new[] { "accepted", "transmitted" })
        {
            var result = await ConsoleGateway.NextAsync(live, e => e.GetProperty("type").GetString() == "radiogw.command.result"
                && e.GetProperty("data").GetProperty("commandId").GetString() == commandId);
            Assert.Equal(state, result.GetProperty("data").GetProperty("state").GetString());
        }

        await gateway.Process.WaitForLineAsync(l => l.Contains("Console: ali asked for announce to 9", StringComparison.Ordinal), ConsoleGateway.Patience);
    }
}
