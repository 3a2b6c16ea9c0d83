using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Hosting;
using RadioGateway.OperatorConsole;

namespace RadioGateway.Tests.OperatorConsole;

public sealed class ConsoleUnitTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-console-users-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Accounts_keep_only_a_hash_verify_the_password_and_refuse_bad_names_roles_and_short_passwords()
    {
        var users = new ConsoleUsers(_directory);
        Assert.Null(users.Save("ali", ConsoleRoles.Operator, "correct horse"));
        Assert.DoesNotContain("correct horse", File.ReadAllText(users.FilePath), StringComparison.Ordinal);
        Assert.Equal(ConsoleRoles.Operator, users.Verify("ALI", "correct horse")?.Role);
        Assert.Null(users.Verify("ali", "correct horsE"));
        Assert.Null(users.Verify("nobody", "correct horse"));
        Assert.Null(users.Save("ali", ConsoleRoles.Viewer, "battery staple"));
        Assert.Equal(ConsoleRoles.Viewer, Assert.Single(users.Load()).Role);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(users.FilePath));
        }

        Assert.Contains("role 'admin'", users.Save("bob", "admin", "long enough"), StringComparison.Ordinal);
        Assert.Contains("user name 'b o b'", users.Save("b o b", ConsoleRoles.Viewer, "long enough"), StringComparison.Ordinal);
        Assert.Contains("at least 8", users.Save("bob", ConsoleRoles.Viewer, "short"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", false, null)]
    [InlineData("http://localhost:8080;http://[::1]:8080", false, null)]
    [InlineData("http://192.168.1.20:8080", true, null)]
    [InlineData("http://192.168.1.20:8080", false, "Console:Urls: refusing plain HTTP on '192.168.1.20'")]
    [InlineData("ftp://127.0.0.1:8080", false, "Console:Urls: 'ftp://127.0.0.1:8080' is not of the form")]
    [InlineData("https://0.0.0.0:8443", false, "Console:CertificateFile: is empty")]
    [InlineData("", false, null)]
    public void Urls_are_checked_before_anything_listens(string urls, bool allowInsecure, string? problem)
    {
        var problems = new List<ConfigurationProblem>();
        ConsoleSettings.Validate(new ConsoleOptions { Urls = urls, AllowInsecure = allowInsecure }, configFile: null, problems);
        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.StartsWith(problem, Assert.Single(problems).ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_map_file_is_named()
    {
        var problems = new List<ConfigurationProblem>();
        ConsoleSettings.Validate(new ConsoleOptions { MapFile = Path.Combine(_directory, "iran.pmtiles") }, configFile: null, problems);
        Assert.Equal($"Console:MapFile: file '{Path.Combine(_directory, "iran.pmtiles")}' does not exist", Assert.Single(problems).ToString());
    }

    [Fact]
    public void Canned_messages_are_a_json_array_of_texts_that_fit_one_message()
    {
        var file = Path.Combine(_directory, "canned.json");
        File.WriteAllText(file, """["به مرکز برگردید", "وضعیت خود را گزارش دهید"]""");
        Assert.Equal(["به مرکز برگردید", "وضعیت خود را گزارش دهید"], ConsoleSettings.CannedMessages(new ConsoleOptions { CannedMessagesFile = file }, null, out _));
        File.WriteAllText(file, $"""["ok", "{new string('ب', 281)}"]""");
        var problems = new List<ConfigurationProblem>();
        ConsoleSettings.Validate(new ConsoleOptions { CannedMessagesFile = file }, configFile: null, problems);
        Assert.Equal($"Console:CannedMessagesFile: '{file}': entry 1 is empty or longer than 280 characters (one radio message)", Assert.Single(problems).ToString());
        File.WriteAllText(file, "{}");
        Assert.Null(ConsoleSettings.CannedMessages(new ConsoleOptions { CannedMessagesFile = file }, null, out var problem));
        Assert.StartsWith($"'{file}' is not a JSON array of texts", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Console_actions_become_the_command_messages_the_mqtt_path_parses()
    {
        var limits = new CommandLimits();
        var text = CommandParser.Parse("text", ConsoleCommandRequest.CloudEvent("c1", "operator:ali", Now, new("text", 101, TargetType.Group, "به مرکز برگردید")), Now, limits, out var id, out var problem);
        Assert.Null(problem);
        Assert.Equal("c1", id);
        Assert.Equal(new CommandRequest("c1", CommandKind.Text, Now, Now + limits.DefaultLifetime, 101, TargetType.Group, "به مرکز برگردید"), text);

        var periodic = CommandParser.Parse("locate", ConsoleCommandRequest.CloudEvent("c2", "operator:ali", Now, new("locate", 3120106, IntervalSeconds: 60)), Now, limits, out _, out problem);
        Assert.Null(problem);
        Assert.Equal(60, periodic!.IntervalSeconds);
        var stop = CommandParser.Parse("locate", ConsoleCommandRequest.CloudEvent("c3", "operator:ali", Now, new("locate", 3120106, Stop: true)), Now, limits, out _, out problem);
        Assert.True(stop!.Stop);
        var check = CommandParser.Parse("radio-check", ConsoleCommandRequest.CloudEvent("c4", "operator:ali", Now, new("radio-check", 3120101)), Now, limits, out _, out problem);
        Assert.Equal((CommandKind.RadioCheck, 3120101u), (check!.Kind, check.Target));

        // Bounds are the MQTT path's: an over-long text is refused with the field named.
        Assert.Null(CommandParser.Parse("text", ConsoleCommandRequest.CloudEvent("c5", "operator:ali", Now, new("text", 3120101, Text: new string('ب', 281))), Now, limits, out _, out problem));
        Assert.StartsWith("data.text", problem, StringComparison.Ordinal);
    }
}
