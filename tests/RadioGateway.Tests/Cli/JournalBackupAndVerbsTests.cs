using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;
using RadioGateway.Tests.EndToEnd;

namespace RadioGateway.Tests.Cli;

/// <summary><c>radiogw journal backup</c> and the journal verbs for what only sqlite3 showed before, as real processes.</summary>
public sealed class JournalBackupAndVerbsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-backup-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string Data => Path.Combine(_directory, "data");

    private static async Task<(int ExitCode, string Output)> RadiogwAsync(params string[] arguments)
    {
        using var process = GatewayProcess.Start(arguments);
        using var timeout = new CancellationTokenSource(Patience);
        await process.Process.WaitForExitAsync(timeout.Token);
        return (process.Process.ExitCode, process.Output);
    }

    [Fact]
    public async Task A_backup_taken_while_the_store_is_open_is_a_journal_that_journal_calls_reads()
    {
        var call = SampleEvents.EndedCall(SampleEvents.OpenCall());
        using var store = GatewayStore.Open(Data, new CloudEventWriter("gw"));
        store.Append([SampleEvents.Started(call), SampleEvents.Ended(call)]);
        var backup = Path.Combine(_directory, "copy", "radiogw.db");
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);

        var result = await RadiogwAsync("journal", "backup", backup, $"--Gateway:DataDirectory={Data}");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"Journal copied to {backup}", result.Output, StringComparison.Ordinal);
        var calls = await RadiogwAsync("journal", "calls", "--format", "csv", $"--Gateway:DataDirectory={Path.GetDirectoryName(backup)}");
        Assert.True(calls.ExitCode == 0, calls.Output);
        Assert.Contains(call.CallId, calls.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Journal_verbs_show_csbk_modem_events_commands_and_the_outbox_by_kind()
    {
        using (var store = GatewayStore.Open(Data, new CloudEventWriter("gw")))
        {
            store.Append([
                SampleEvents.Csbk("csbk-1", SampleEvents.Start),
                new ModemStatusChanged { Id = "modem-1", Time = SampleEvents.Start, RadioId = "bs1", LinkUp = false, Detail = "device gone" },
                SampleEvents.Position("pos-1", SampleEvents.Start),
            ]);
            var request = new Core.Commands.CommandRequest("cmd-1", Core.Commands.CommandKind.Text, SampleEvents.Start, SampleEvents.Start.AddMinutes(5), 2001, TargetType.Unit, "salam");
            store.AcceptCommand(request, new CommandResultReported { Id = "cmd-1/accepted", Time = SampleEvents.Start, CommandId = "cmd-1", State = CommandState.Accepted });
        }

        var data = $"--Gateway:DataDirectory={Data}";
        var csbk = await RadiogwAsync("journal", "csbk", data);
        var modem = await RadiogwAsync("journal", "modem-events", "--format", "json", data);
        var commands = await RadiogwAsync("journal", "commands", data);
        var outbox = await RadiogwAsync("journal", "outbox", data);

        Assert.True(csbk.ExitCode == 0, csbk.Output);
        Assert.Contains("radiogw.csbk", csbk.Output, StringComparison.Ordinal);
        Assert.Contains("radio-check", csbk.Output, StringComparison.Ordinal);
        Assert.Contains("\"linkUp\":false", modem.Output, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"modem-1\"", modem.Output, StringComparison.Ordinal);
        Assert.Contains("accepted", commands.Output, StringComparison.Ordinal);
        Assert.Contains("cmd-1", commands.Output, StringComparison.Ordinal);
        Assert.Contains("4 events waiting", outbox.Output, StringComparison.Ordinal);
        Assert.Contains("Oldest:", outbox.Output, StringComparison.Ordinal);
        Assert.Matches(@"csbk\s+1", outbox.Output);
    }
}
