using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RadioGateway.Hosting;
using Serilog;

namespace RadioGateway.Tests.Hosting;

public sealed class LoggingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-logs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(bool jsonFile)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(GatewayConfiguration.Defaults).Build();
        using var logger = Logging.Configure(new LoggerConfiguration(), configuration, _directory, jsonFile).CreateLogger();
        logger.ForContext("SourceContext", "RadioGateway.Tests").Information("Unit {Unit} is online ({Protocol})", 3120101, "ars");
    }

    [Fact]
    public void The_json_log_holds_one_event_per_line_with_its_rendered_message_and_properties()
    {
        Write(jsonFile: true);

        var line = Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(_directory, "radiogw-*.clef"))));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("Unit 3120101 is online (\"ars\")", json.RootElement.GetProperty("@m").GetString());
        Assert.Equal(3120101, json.RootElement.GetProperty("Unit").GetInt32());
        Assert.Equal("RadioGateway.Tests", json.RootElement.GetProperty("SourceContext").GetString());
        Assert.True(DateTimeOffset.TryParse(json.RootElement.GetProperty("@t").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Contains("Unit 3120101 is online (ars)", File.ReadAllText(Assert.Single(Directory.GetFiles(_directory, "radiogw-*.log"))), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_json_file_only_the_text_log_is_written()
    {
        Write(jsonFile: false);

        Assert.Single(Directory.GetFiles(_directory, "radiogw-*.log"));
        Assert.Empty(Directory.GetFiles(_directory, "radiogw-*.clef"));
    }
}

public sealed class LogSafetyTests
{
    private sealed class Collected : Serilog.Core.ILogEventSink
    {
        public List<Serilog.Events.LogEvent> Events { get; } = [];

        public void Emit(Serilog.Events.LogEvent logEvent) => Events.Add(logEvent);
    }

    private static string Render(Serilog.Events.LogEvent logEvent)
    {
        using var text = new StringWriter();
        logEvent.RenderMessage(text, System.Globalization.CultureInfo.InvariantCulture);
        return text.ToString();
    }

    [Fact]
    public void A_talker_alias_with_an_escape_sequence_and_a_forged_log_line_reaches_the_log_as_one_inert_line()
    {
        var sink = new Collected();
        using (var logger = new LoggerConfiguration().Enrich.With(new ControlCharacterEscaper()).WriteTo.Sink(sink).CreateLogger())
        {
            logger.Information("Talker alias of {SourceId}: {Alias}", 3120101, "\u001b[2J\u001b[31mبهار\n[12:00:00.000 ERR] forged\u202Eevil");
            logger.Information("Command {Ids}", new[] { "ok", "a\rb" });
        }

        var alias = Render(sink.Events[0]);
        Assert.Equal("Talker alias of 3120101: \"\\u001B[2J\\u001B[31mبهار\\u000A[12:00:00.000 ERR] forged\\u202Eevil\"", alias);
        Assert.Contains("a\\u000Db", Render(sink.Events[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_warning_passes_ten_times_a_minute_and_the_rest_are_counted_in_one_line()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var sink = new Collected();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new RepeatedWarningThrottle(sink, time)).CreateLogger())
        {
            for (var i = 0; i < 25; i++)
            {
                logger.Warning("Refused command {CommandId}: {Reason}", $"junk-{i}", "not JSON");
                logger.Information("Call from {Unit}", i);
            }

            Assert.Equal(RepeatedWarningThrottle.Burst + 25, sink.Events.Count);
            time.Advance(RepeatedWarningThrottle.Window);
            logger.Information("Call from {Unit}", 99);
        }

        var told = sink.Events[^2];
        Assert.Equal(Serilog.Events.LogEventLevel.Warning, told.Level);
        Assert.StartsWith("15 more like this were held back in 60 s; the last: Refused command \"junk-24\"", Render(told), StringComparison.Ordinal);
        Assert.Equal("Call from 99", Render(sink.Events[^1]));
    }
}
