using Microsoft.Extensions.Configuration;
using RadioGateway.Hosting;
using Serilog.Events;
using Serilog.Parsing;

namespace RadioGateway.Tests.Hosting;

/// <summary>The journald console format and the <c>Journal:*</c> settings.</summary>
public sealed class ServiceHostingTests
{
    private static LogEvent Event(LogEventLevel level, string text, Exception? exception = null) =>
        new(DateTimeOffset.UnixEpoch, level, exception, new MessageTemplateParser().Parse(text),
            [new LogEventProperty("SourceContext", new ScalarValue("RadioGateway.Hosting.JournalService"))]);

    private static string Format(LogEvent logEvent)
    {
        using var output = new StringWriter();
        new JournaldConsole().Format(logEvent, output);
        return output.ToString();
    }

    [Theory]
    [InlineData(LogEventLevel.Fatal, "<2>")]
    [InlineData(LogEventLevel.Error, "<3>")]
    [InlineData(LogEventLevel.Warning, "<4>")]
    [InlineData(LogEventLevel.Information, "<6>")]
    [InlineData(LogEventLevel.Debug, "<7>")]
    public void Journald_lines_carry_the_syslog_priority_and_the_message_only(LogEventLevel level, string priority)
    {
        Assert.Equal($"{priority}Journal open\n", Format(Event(level, "Journal open")));
    }

    [Fact]
    public void Every_line_of_an_exception_keeps_the_priority_so_journald_files_it_at_that_level()
    {
        Exception thrown;
        try
        {
            throw new IOException("disk gone");
        }
        catch (IOException e)
        {
            thrown = e;
        }

        var lines = Format(Event(LogEventLevel.Error, "Write failed", thrown)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(lines.Length >= 3, string.Join('\n', lines));
        Assert.All(lines, line => Assert.StartsWith("<3>", line, StringComparison.Ordinal));
        Assert.Equal("<3>Write failed", lines[0]);
        Assert.Equal("<3>System.IO.IOException: disk gone", lines[1]);
        Assert.DoesNotContain(lines, l => l.Contains("RadioGateway.Hosting.JournalService", StringComparison.Ordinal));
    }

    private static GatewaySettings Load(params (string Key, string Value)[] values) =>
        GatewaySettingsLoader.Load(
            new ConfigurationBuilder()
                .AddInMemoryCollection(GatewayConfiguration.Defaults)
                .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
                .Build(),
            configFile: null);

    [Fact]
    public void Journal_retention_has_defaults_binds_its_keys_and_refuses_bad_values_by_key()
    {
        Assert.Equal((90, 2048), (Load().Journal.RetentionDays, Load().Journal.MaxSizeMB));
        Assert.Equal((7, 100), (Load(("Journal:RetentionDays", "7"), ("Journal:MaxSizeMB", "100")).Journal.RetentionDays, Load(("Journal:MaxSizeMB", "100")).Journal.MaxSizeMB));

        var problems = Assert.Throws<ConfigurationProblemException>(() => Load(("Journal:RetentionDays", "-1"), ("Journal:BatchSize", "0"), ("Journal:MaxSizeMb", "x"), ("Journal:RetentionDay", "3"))).Problems;

        Assert.Contains(problems, p => p.Key == "Journal:RetentionDays" && p.Message.Contains("-1 is less than 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Key == "Journal:BatchSize");
        Assert.Contains(problems, p => p.Key == "Journal:MaxSizeMb");
        Assert.Contains(problems, p => p.Key == "Journal:RetentionDay" && p.Message.Contains("Journal:RetentionDays", StringComparison.Ordinal));
    }
}
