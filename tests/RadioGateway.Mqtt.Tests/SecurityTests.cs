using System.Security.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Mqtt.Packets;
using RadioGateway.Mqtt.Session;
using RadioGateway.Testing;

namespace RadioGateway.Mqtt.Tests;

/// <summary>Credentials, TLS and persistent sessions against a real mosquitto.</summary>
public sealed class SecurityTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-mqtt-sec-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static MqttClient Client(Uri broker, string id, string? user = null, string? password = null, string? caFile = null, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientCertificate = null, string? clientKey = null) => new(
        new MqttClientOptions
        {
            Broker = broker,
            Version = version,
            ClientId = id,
            Username = user,
            Password = password,
            CaFile = caFile,
            ClientCertificateFile = clientCertificate,
            ClientKeyFile = clientKey,
            MinReconnectDelay = TimeSpan.FromMilliseconds(200),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
        },
        NullLogger.Instance);

    private static Task<Exception> FirstFailureAsync(MqttClient client)
    {
        var failure = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionFailed += e => failure.TrySetResult(e);
        return failure.Task.WaitAsync(Patience);
    }

    private async Task RunAsync(string tool, params string[] arguments)
    {
        using var process = ExternalTool.Start(ExternalTool.Require(tool, tool == "openssl" ? "openssl" : "mosquitto"), arguments, _directory);
        await process.Process.WaitForExitAsync();
        Assert.True(process.Process.ExitCode == 0, $"{tool} failed: {process.Output}");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_password_file_admits_the_right_password_and_refuses_a_wrong_one(MqttProtocolVersion version)
    {
        var passwords = Path.Combine(_directory, "passwd");
        await RunAsync("mosquitto_passwd", "-b", "-c", passwords, "tehran-1", "s3cret-پسورد");
        using var broker = await MosquittoBroker.StartAsync("allow_anonymous false", $"password_file {passwords}");
        using var timeout = new CancellationTokenSource(Patience);

        await using (var good = Client(broker.Uri, "good", "tehran-1", "s3cret-پسورد", version: version))
        {
            good.Start();
            await good.WaitUntilConnectedAsync(timeout.Token);
        }

        await using var bad = Client(broker.Uri, "bad", "tehran-1", "wrong", version: version);
        var failure = FirstFailureAsync(bad);
        bad.Start();
        var error = Assert.IsType<MqttRequestException>(await failure);
        Assert.Contains("refused the connection", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> MakeCertificatesAsync(string serverName)
    {
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=radiogw-test-ca", "-days", "2");
        await RunAsync("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", $"/CN={serverName}");
        File.WriteAllText(Path.Combine(_directory, "san.ext"), $"subjectAltName=DNS:{serverName}\n");
        await RunAsync("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
        return Path.Combine(_directory, "ca.crt");
    }

    private string[] TlsListener() =>
        [$"cafile {Path.Combine(_directory, "ca.crt")}", $"certfile {Path.Combine(_directory, "server.crt")}", $"keyfile {Path.Combine(_directory, "server.key")}"];

    [Fact]
    public async Task Tls_with_our_test_ca_connects_and_publishes()
    {
        var ca = await MakeCertificatesAsync("localhost");
        using var broker = await MosquittoBroker.StartAsync(TlsListener());
        await using var client = Client(new Uri($"mqtts://localhost:{broker.Port}"), "tls", caFile: ca);
        client.Start();
        using var timeout = new CancellationTokenSource(Patience);

        await client.PublishAsync("radiogw/v1/gw/events/call", "{}"u8.ToArray(), MqttQos.AtLeastOnce, retain: false, timeout.Token);
    }

    [Fact]
    public async Task A_certificate_for_another_host_is_refused()
    {
        var ca = await MakeCertificatesAsync("central.example.org");
        using var broker = await MosquittoBroker.StartAsync(TlsListener());
        await using var client = Client(new Uri($"mqtts://localhost:{broker.Port}"), "tls-wrong-host", caFile: ca);
        var failure = FirstFailureAsync(client);
        client.Start();

        Assert.IsType<AuthenticationException>(await failure);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A_broker_requiring_client_certificates_admits_the_gateway_with_its_certificate_only()
    {
        var ca = await MakeCertificatesAsync("localhost");
        await RunAsync("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "gateway.key", "-out", "gateway.csr", "-subj", "/CN=radiogw-tehran");
        await RunAsync("openssl", "x509", "-req", "-in", "gateway.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "gateway.crt", "-days", "2");
        using var broker = await MosquittoBroker.StartAsync([.. TlsListener(), "require_certificate true"]);
        using var timeout = new CancellationTokenSource(Patience);

        await using (var withCertificate = Client(new Uri($"mqtts://localhost:{broker.Port}"), "mtls", caFile: ca, clientCertificate: Path.Combine(_directory, "gateway.crt"), clientKey: Path.Combine(_directory, "gateway.key")))
        {
            withCertificate.Start();
            await withCertificate.PublishAsync("radiogw/v1/gw/events/call", "{}"u8.ToArray(), MqttQos.AtLeastOnce, retain: false, timeout.Token);
        }

        await using var without = Client(new Uri($"mqtts://localhost:{broker.Port}"), "mtls-none", caFile: ca);
        var failure = FirstFailureAsync(without);
        without.Start();
        Assert.IsAssignableFrom<Exception>(await failure);
        Assert.False(without.IsConnected);
    }

    [Fact]
    public async Task A_persistent_session_delivers_commands_sent_while_the_gateway_was_away()
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await using (var first = Client(broker.Uri, "gw-persistent"))
        {
            first.Start();
            await first.SubscribeAsync("radiogw/v1/gw/commands/#", MqttQos.AtLeastOnce, timeout.Token);
            await broker.WaitForSubscriberAsync();
        }

        await RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", "radiogw/v1/gw/commands/text", "-m", "{\"text\":\"به مرکز برگردید\"}");

        await using var again = Client(broker.Uri, "gw-persistent");
        again.Start();
        var command = await again.Received.ReadAsync(timeout.Token);
        Assert.Equal("radiogw/v1/gw/commands/text", command.Topic);
        Assert.Equal("{\"text\":\"به مرکز برگردید\"}", System.Text.Encoding.UTF8.GetString(command.Payload.Span));
    }
}
