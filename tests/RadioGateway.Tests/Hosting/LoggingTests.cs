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
