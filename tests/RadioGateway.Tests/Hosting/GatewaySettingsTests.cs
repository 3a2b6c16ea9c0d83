using Microsoft.Extensions.Configuration;
using RadioGateway.Hosting;

namespace RadioGateway.Tests.Hosting;

public sealed class GatewaySettingsTests
{
    private static GatewaySettings Load(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(GatewayConfiguration.Defaults)
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        return GatewaySettingsLoader.Load(configuration, configFile: null);
    }

    private static IReadOnlyList<ConfigurationProblem> ProblemsOf(params (string Key, string Value)[] values) =>
        Assert.Throws<ConfigurationProblemException>(() => Load(values)).Problems;

    [Fact]
    public void A_garbage_ca_or_client_certificate_stops_start_up_naming_the_key_and_the_file()
    {
        var garbage = Path.Combine(Path.GetTempPath(), $"radiogw-garbage-{Guid.NewGuid():N}.pem");
        File.WriteAllText(garbage, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        try
        {
            var problems = ProblemsOf(("Mqtt:Broker", "mqtts://127.0.0.1:8883"), ("Mqtt:CaFile", garbage), ("Mqtt:ClientCertificateFile", garbage), ("Mqtt:ClientKeyFile", garbage));

            Assert.Contains(problems, p => p.Key == "Mqtt:CaFile" && p.Message.Contains(garbage, StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Key == "Mqtt:ClientCertificateFile" && p.Message.Contains(garbage, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    [Fact]
    public void Embedded_defaults_are_valid_and_have_no_uplink()
    {
        var settings = Load();

        Assert.Equal("gw-local", settings.Gateway.Id);
        Assert.Equal("", settings.Mqtt.Broker);
        Assert.Equal("radiogw/v1/gw-local/", settings.TopicPrefix);
        Assert.True(Path.IsPathRooted(settings.DataDirectory));
    }

    [Theory]
    [InlineData("Outbox:BatchSize")]
    [InlineData("Uplink:Broker")]
    [InlineData("Simulator:Seed")]
    public void A_section_that_sets_nothing_is_refused_rather_than_ignored(string key)
    {
        var problem = Assert.Single(ProblemsOf((key, "1")));

        Assert.Equal(key.Split(':')[0], problem.Key);
        Assert.Contains("sets nothing", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("tcp://:4000")]
    [InlineData("tcp://host:4000/path")]
    public void A_radio_port_that_is_not_tcp_host_port_is_refused(string port)
    {
        var settings = Load(("Radios:0:Profile", RadioGateway.Tests.EndToEnd.GatewayProcess.Repository("hardware-profiles", "simulator.json")), ("Radios:0:Port", port),
            ("Radios:0:ChannelProfile", RadioGateway.Tests.EndToEnd.GatewayProcess.Repository("hardware-profiles", "channel-plans", "simulator.json")));

        var problem = Assert.Single(Assert.Throws<ConfigurationProblemException>(() => RadioPlans.FromSettings(settings)).Problems);
        Assert.Equal("Radios:0:Port", problem.Key);
        Assert.Contains("tcp://host:port", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_gateway_id_is_named_by_key()
    {
        var problem = Assert.Single(ProblemsOf(("Gateway:Id", "")));

        Assert.Equal("Gateway:Id", problem.Key);
        Assert.Contains("empty", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gateway_id_with_a_topic_separator_is_refused()
    {
        var problem = Assert.Single(ProblemsOf(("Gateway:Id", "tehran/1")));

        Assert.Equal("Gateway:Id", problem.Key);
        Assert.Contains("MQTT topics", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_is_reported_with_a_suggestion()
    {
        var problem = Assert.Single(ProblemsOf(("Mqtt:Brokr", "mqtt://127.0.0.1:1883")));

        Assert.Equal("Mqtt:Brokr", problem.Key);
        Assert.Contains("did you mean 'Mqtt:Broker'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_key_and_the_value()
    {
        var problem = Assert.Single(ProblemsOf(("Mqtt:KeepAliveSeconds", "thirty")));

        Assert.Equal("Mqtt:KeepAliveSeconds", problem.Key);
        Assert.Contains("'thirty' is not a valid whole number", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_tcp_to_a_remote_broker_is_refused_unless_insecure_is_allowed()
    {
        var problem = Assert.Single(ProblemsOf(("Mqtt:Broker", "mqtt://broker.example.org:1883")));
        Assert.Equal("Mqtt:Broker", problem.Key);
        Assert.Contains("unencrypted", problem.Message, StringComparison.Ordinal);

        var allowed = Load(("Mqtt:Broker", "mqtt://broker.example.org:1883"), ("Mqtt:AllowInsecure", "true"));
        Assert.True(allowed.Mqtt.AllowInsecure);
    }

    [Theory]
    [InlineData("mqtt://127.0.0.1:1883")]
    [InlineData("mqtt://localhost:1883")]
    [InlineData("mqtt://[::1]:1883")]
    [InlineData("mqtts://broker.example.org:8883")]
    public void Loopback_or_tls_brokers_are_accepted(string broker)
    {
        Assert.Equal(broker, Load(("Mqtt:Broker", broker)).Mqtt.Broker);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = ProblemsOf(("Gateway:Id", ""), ("Mqtt:ProtocolVersion", "4"), ("Mqtt:Broker", "http://x"));

        Assert.Equal(["Gateway:Id", "Mqtt:ProtocolVersion", "Mqtt:Broker"], problems.Select(p => p.Key));
    }

    [Fact]
    public void A_radio_whose_profile_file_is_missing_is_named_by_index()
    {
        var problem = Assert.Single(ProblemsOf(("Radios:0:Profile", "/nonexistent/hotspot.json")));

        Assert.Equal("Radios:0:Profile", problem.Key);
        Assert.Contains("does not exist", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_file_turns_on_the_json_log_and_minimum_levels_are_read()
    {
        Assert.False(Load().JsonLogFile);

        var settings = Load(("Serilog:JsonFile", "true"), ("Serilog:MinimumLevel:Default", "Debug"), ("Serilog:MinimumLevel:Override:RadioGateway.Uplink", "warning"));

        Assert.True(settings.JsonLogFile);
    }

    [Theory]
    [InlineData("Serilog:MinimumLevel", "Debug")]
    [InlineData("Serilog:MinimumLevel:Default", "debug")]
    public void The_minimum_level_is_read_as_one_value_or_as_default_with_overrides(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(GatewayConfiguration.Defaults)
            .AddInMemoryCollection([new(key, value), new("Serilog:MinimumLevel:Override:RadioGateway.Uplink", "Error")])
            .Build();
        var problems = new List<ConfigurationProblem>();

        var levels = Logging.ReadLevels(configuration, problems);

        Assert.Empty(problems);
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, levels.Default);
        Assert.Contains(("Microsoft", Serilog.Events.LogEventLevel.Warning), levels.Overrides);
        Assert.Contains(("RadioGateway.Uplink", Serilog.Events.LogEventLevel.Error), levels.Overrides);
    }

    [Fact]
    public void A_serilog_key_the_gateway_does_not_read_is_refused_by_key()
    {
        var problems = ProblemsOf(("Serilog:WriteTo:0:Name", "Seq"), ("Serilog:MinimumLevel:Overide:Microsoft", "Warning"));

        Assert.Contains(problems, p => p.Key == "Serilog:WriteTo" && p.Message.Contains("unknown key", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Key == "Serilog:MinimumLevel:Overide" && p.Message.Contains("unknown key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Serilog:MinimumLevel", "Loud")]
    [InlineData("Serilog:MinimumLevel:Default", "3")]
    [InlineData("Serilog:MinimumLevel:Override:Microsoft", "Quiet")]
    public void A_minimum_level_that_is_not_a_level_is_named_by_key(string key, string value)
    {
        var problem = Assert.Single(ProblemsOf((key, value)));

        Assert.Equal(key, problem.Key);
        Assert.Contains($"'{value}' is not a log level", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_file_setting_that_is_not_a_boolean_is_named_by_key()
    {
        var problem = Assert.Single(ProblemsOf(("Serilog:JsonFile", "yes")));

        Assert.Equal("Serilog:JsonFile", problem.Key);
        Assert.Contains("'yes' is not a valid boolean", problem.Message, StringComparison.Ordinal);
    }
}
