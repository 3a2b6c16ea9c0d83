using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;
using RadioGateway.Tests.EndToEnd;

namespace RadioGateway.Tests.Cli;

/// <summary><c>radiogw journal</c> and <c>radiogw run</c> on bad limits and damaged databases: one line, exit 2, no stack trace.</summary>
public sealed class JournalCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-journalcmd-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task A_limit_below_one_is_refused_in_one_line(string limit)
    {
        var (exitCode, output) = await RunAsync("journal", "calls", "--limit", limit, $"--Gateway:DataDirectory={_directory}");

        Assert.True(exitCode == 2, output);
        Assert.Contains($"radiogw: --limit must be at least 1, not {limit}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Damage => new()
    {
        { "journal", "random pages" },
        { "journal", "garbage header" },
        { "journal", "truncated" },
        { "run", "random pages" },
        { "run", "garbage header" },
        { "run", "truncated" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task A_damaged_database_stops_with_one_line_naming_the_file(string verb, string damage)
    {
        var database = CreateJournal();
        Corrupt(database, damage);
        string[] arguments = verb == "run"
            ? ["run", "--simulate", $"--Gateway:DataDirectory={_directory}"]
            : ["journal", "calls", $"--Gateway:DataDirectory={_directory}"];

        var (exitCode, output) = await RunAsync(arguments);

        Assert.True(exitCode == 2, $"{verb}/{damage}: exit {exitCode}\n{output}");
        Assert.Contains(database, output, StringComparison.Ordinal);
        Assert.Contains("restore a backup or move it aside", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_journal_deleted_where_a_gateway_ran_before_is_reported_loudly_when_a_new_one_is_created()
    {
        var first = await RunUntilJournalOpenAsync();
        Assert.DoesNotContain("A NEW JOURNAL WAS CREATED", first, StringComparison.Ordinal);

        File.Delete(Path.Combine(_directory, GatewayStore.FileName));
        var second = await RunUntilJournalOpenAsync();

        Assert.Contains($"A NEW JOURNAL WAS CREATED at {Path.Combine(_directory, GatewayStore.FileName)}", second, StringComparison.Ordinal);
    }

    private async Task<string> RunUntilJournalOpenAsync()
    {
        using var gateway = GatewayProcess.Start("run", "--simulate", $"--Gateway:DataDirectory={_directory}");
        await gateway.WaitForLineAsync(l => l.Contains("Journal ", StringComparison.Ordinal) && l.Contains(" open;", StringComparison.Ordinal), Patience);
        await GatewayProcess.StopAsync(gateway, Patience);
        return gateway.Output;
    }

    private string CreateJournal()
    {
        var time = new FakeTimeProvider(SampleEvents.Start);
        using (var store = GatewayStore.Open(_directory, new CloudEventWriter("gw"), time))
        {
            for (var i = 0; i < 400; i++)
            {
                var call = SampleEvents.OpenCall($"call-{i}", source: (uint)(2000 + i)) with { Start = SampleEvents.Start.AddSeconds(i) };
                store.Append([SampleEvents.Started(call), SampleEvents.Ended(SampleEvents.EndedCall(call)), SampleEvents.Position($"pos-{i}", call.Start)]);
            }
        }

        return Path.Combine(_directory, GatewayStore.FileName);
    }

    private static void Corrupt(string database, string damage)
    {
        switch (damage)
        {
            case "random pages":
                // dd if=/dev/urandom of=radiogw.db bs=4096 seek=3 count=4 conv=notrunc
                using (var file = new FileStream(database, FileMode.Open, FileAccess.Write))
                {
                    var garbage = new byte[4096 * 4];
                    new Random(11).NextBytes(garbage);
                    file.Position = 4096 * 3;
                    file.Write(garbage);
                }

                break;
            case "garbage header":
                using (var file = new FileStream(database, FileMode.Open, FileAccess.Write))
                {
                    file.Write("this is not a database, it is a shopping list"u8);
                }

                break;
            case "truncated":
                using (var file = new FileStream(database, FileMode.Open, FileAccess.Write))
                {
                    file.SetLength(4096 * 2 + 100);
                }

                break;
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using var process = GatewayProcess.Start(arguments);
        using var timeout = new CancellationTokenSource(Patience);
        await process.Process.WaitForExitAsync(timeout.Token);
        return (process.Process.ExitCode, process.Output);
    }
}
