using System.Buffers;
using System.Globalization;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using RadioGateway.Testing;

namespace RadioGateway.Uplink.Tests;

/// <summary>Credentials, TLS and persistent sessions against a real mosquitto.</summary>
public sealed class SecurityTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly ReadOnlySequence<byte> Empty = new("{}"u8.ToArray());
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-mqtt-sec-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static MqttSession Session(Uri broker, string id, TestLog log, string? user = null, string? password = null, string? caFile = null, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientCertificate = null, string? clientKey = null) => new(
        new MqttSessionOptions
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
        log);

    private async Task RunAsync(string tool, params string[] arguments)
    {
        using var process = ExternalTool.Start(ExternalTool.Require(tool, tool == "openssl" ? "openssl" : "mosquitto"), arguments, _directory);
        await process.Process.WaitForExitAsync();
        Assert.True(process.Process.ExitCode == 0, $"{tool} failed: {process.Output}");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_password_file_admits_the_right_password_and_refuses_a_wrong_one_without_printing_it(MqttProtocolVersion version)
    {
        var passwords = Path.Combine(_directory, "passwd");
        await RunAsync("mosquitto_passwd", "-b", "-c", passwords, "tehran-1", "s3cret-پسورد");
        using var broker = await MosquittoBroker.StartAsync("allow_anonymous false", $"password_file {passwords}");
        using var timeout = new CancellationTokenSource(Patience);
        var log = new TestLog();

        await using (var good = Session(broker.Uri, "good", log, "tehran-1", "s3cret-پسورد", version: version))
        {
            good.Start();
            await good.WaitUntilConnectedAsync(timeout.Token);
        }

        await using var bad = Session(broker.Uri, "bad", log, "tehran-1", "wrong-guess", version: version);
        bad.Start();
        var refused = await log.WaitForAsync("refused the connection", Patience);
        Assert.Contains("NotAuthorized", refused, StringComparison.Ordinal);
        Assert.False(bad.IsConnected);
        Assert.All(log.Lines, l => Assert.DoesNotContain("wrong-guess", l.Message, StringComparison.Ordinal));
        Assert.All(log.Lines, l => Assert.DoesNotContain("s3cret", l.Message, StringComparison.Ordinal));
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

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task Tls_with_our_test_ca_connects_and_publishes(MqttProtocolVersion version)
    {
        var ca = await MakeCertificatesAsync("localhost");
        using var broker = await MosquittoBroker.StartAsync(TlsListener());
        await using var session = Session(new Uri($"mqtts://localhost:{broker.Port}"), "tls", new TestLog(), caFile: ca, version: version);
        session.Start();
        using var timeout = new CancellationTokenSource(Patience);

        await session.PublishAsync("radiogw/v1/gw/events/call", Empty, retain: false, timeout.Token);
    }

    [Fact]
    public async Task A_certificate_for_another_host_is_refused()
    {
        var ca = await MakeCertificatesAsync("central.example.org");
        using var broker = await MosquittoBroker.StartAsync(TlsListener());
        var log = new TestLog();
        await using var session = Session(new Uri($"mqtts://localhost:{broker.Port}"), "tls-wrong-host", log, caFile: ca);
        session.Start();

        Assert.Contains("TLS", await log.WaitForAsync("Connecting to mqtts://localhost", Patience), StringComparison.Ordinal);
        Assert.False(session.IsConnected);
    }

    [Fact]
    public async Task A_broker_requiring_client_certificates_admits_the_gateway_with_its_certificate_only()
    {
        var ca = await MakeCertificatesAsync("localhost");
        await RunAsync("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "gateway.key", "-out", "gateway.csr", "-subj", "/CN=radiogw-tehran");
        await RunAsync("openssl", "x509", "-req", "-in", "gateway.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "gateway.crt", "-days", "2");
        using var broker = await MosquittoBroker.StartAsync([.. TlsListener(), "require_certificate true"]);
        using var timeout = new CancellationTokenSource(Patience);

        await using (var withCertificate = Session(new Uri($"mqtts://localhost:{broker.Port}"), "mtls", new TestLog(), caFile: ca, clientCertificate: Path.Combine(_directory, "gateway.crt"), clientKey: Path.Combine(_directory, "gateway.key")))
        {
            withCertificate.Start();
            await withCertificate.PublishAsync("radiogw/v1/gw/events/call", Empty, retain: false, timeout.Token);
        }

        var log = new TestLog();
        await using var without = Session(new Uri($"mqtts://localhost:{broker.Port}"), "mtls-none", log, caFile: ca);
        without.Start();
        await log.WaitForAsync("mqtts://localhost", Patience);
        Assert.False(without.IsConnected);
    }

    [Fact]
    public void Garbage_pem_files_are_refused_naming_the_file()
    {
        var garbage = Path.Combine(_directory, "garbage.pem");
        File.WriteAllText(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");

        Assert.Contains(garbage, Assert.Throws<InvalidDataException>(() => TlsFiles.LoadAuthorities(garbage)).Message, StringComparison.Ordinal);
        Assert.Contains(garbage, Assert.Throws<InvalidDataException>(() => TlsFiles.LoadClientCertificate(garbage, garbage)).Message, StringComparison.Ordinal);
        File.WriteAllText(garbage, "hello");
        Assert.Contains("holds no PEM certificate", Assert.Throws<InvalidDataException>(() => TlsFiles.LoadAuthorities(garbage)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_persistent_session_delivers_commands_sent_while_the_gateway_was_away(MqttProtocolVersion version)
    {
        using var broker = await MosquittoBroker.StartAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await using (var first = Session(broker.Uri, "gw-persistent", new TestLog(), version: version))
        {
            first.Start();
            await first.SubscribeAsync("radiogw/v1/gw/commands/#", MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);
        }

        await RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", "radiogw/v1/gw/commands/text", "-m", "{\"text\":\"به مرکز برگردید\"}");

        await using var again = Session(broker.Uri, "gw-persistent", new TestLog(), version: version);
        again.Start();
        var command = await again.Received.ReadAsync(timeout.Token);
        Assert.Equal("radiogw/v1/gw/commands/text", command.Topic);
        Assert.Equal("{\"text\":\"به مرکز برگردید\"}", System.Text.Encoding.UTF8.GetString(command.Payload));
    }
}
