using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Outbox;
using RadioGateway.Mqtt.Packets;
using RadioGateway.Mqtt.Session;

namespace RadioGateway.Hosting;

/// <summary>
/// The uplink: an MQTT session to the central broker that drains the outbox in order (an entry leaves only on
/// PUBACK), with a retained <c>status</c> birth message on every connect and a retained Last Will
/// <c>{"online":false}</c>.
/// </summary>
public sealed partial class MqttUplinkService : BackgroundService, IUplinkPublisher
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMinutes(1);
    private readonly GatewaySettings _settings;
    private readonly MqttClient _client;
    private readonly OutboxDrainer _drainer;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttUplinkService> _logger;
    private readonly DateTimeOffset _startedAt;

    private readonly CommandService _commands;

    public MqttUplinkService(GatewaySettings settings, GatewayStore store, CommandService commands, TimeProvider time, ILoggerFactory loggers)
    {
        _commands = commands;
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        _settings = settings;
        _time = time;
        _logger = loggers.CreateLogger<MqttUplinkService>();
        _startedAt = time.GetUtcNow();
        var mqtt = settings.Mqtt;
        _client = new MqttClient(
            ClientOptions(settings, string.IsNullOrEmpty(mqtt.ClientId) ? "radiogw-" + settings.Gateway.Id : mqtt.ClientId) with
            {
                SessionExpirySeconds = (uint)mqtt.SessionExpirySeconds,
                MaxInFlight = mqtt.MaxInFlight,
                WillTopic = StatusTopic,
                WillPayload = JsonSerializer.SerializeToUtf8Bytes(new { online = false, gatewayId = settings.Gateway.Id }),
                WillRetain = true,
                // Commands are acknowledged to the broker only once the store holds them.
                AutoAcknowledge = false,
            },
            loggers.CreateLogger<MqttClient>(),
            time);
        _client.OnConnectedAsync = (client, ct) =>
        {
            // Not awaited: the SUBACK arrives only after the connect handshake this runs inside.
            _ = SubscribeCommandsAsync(ct);
            return PublishStatusAsync(ct);
        };
        // Built before any radio publishes, so entries already waiting count as replayed when they leave.
        _drainer = new OutboxDrainer(store, new CloudEventWriter(settings.Gateway.Id, settings.TopicPrefix), this, loggers.CreateLogger<OutboxDrainer>(), time, new OutboxDrainerOptions { Window = Math.Min(mqtt.MaxInFlight, 64) });
    }

    private string StatusTopic => _settings.TopicPrefix + "status";

    /// <summary>Broker, protocol version, credentials and TLS from the <c>Mqtt</c> settings (shared with <c>radiogw send</c>).</summary>
    public static MqttClientOptions ClientOptions(GatewaySettings settings, string clientId)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var mqtt = settings.Mqtt;
        string? File(string path) => string.IsNullOrEmpty(path) ? null : GatewayConfiguration.ResolvePath(path, settings.ConfigFile);
        return new MqttClientOptions
        {
            Broker = new Uri(mqtt.Broker),
            Version = mqtt.ProtocolVersion == "3.1.1" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500,
            ClientId = clientId,
            Username = string.IsNullOrEmpty(mqtt.Username) ? null : mqtt.Username,
            Password = File(mqtt.PasswordFile) is { } passwordFile ? System.IO.File.ReadLines(passwordFile).FirstOrDefault() ?? "" : null,
            CaFile = File(mqtt.CaFile),
            ClientCertificateFile = File(mqtt.ClientCertificateFile),
            ClientKeyFile = File(mqtt.ClientKeyFile),
            KeepAlive = TimeSpan.FromSeconds(mqtt.KeepAliveSeconds),
        };
    }

    private string CommandsPrefix => _settings.TopicPrefix + "commands/";

    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        _client.PublishAsync(topic, payload, MqttQos.AtLeastOnce, retain: false, cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogUplink(_settings.Mqtt.Broker, _settings.Mqtt.ProtocolVersion, StatusTopic);
        _client.Start();
        var draining = _drainer.RunAsync(stoppingToken);
        var intake = ReceiveCommandsAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(StatusInterval, _time, stoppingToken).ConfigureAwait(false);
                if (_client.IsConnected)
                {
                    await PublishStatusAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }

        await Task.WhenAll(draining, intake).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    private async Task SubscribeCommandsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.SubscribeAsync(CommandsPrefix + "+", MqttQos.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            LogSubscribed(CommandsPrefix + "+");
        }
        catch (Exception e) when (e is IOException or MqttRequestException or OperationCanceledException)
        {
            // The next connection subscribes again (and the persistent session keeps an earlier subscription).
            LogSubscribeFailed(CommandsPrefix + "+", e.Message);
        }
    }

    /// <summary>Commands from the broker: validated and kept (or answered failed) before the broker gets its PUBACK.</summary>
    private async Task ReceiveCommandsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _client.Received.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (message.Topic.StartsWith(CommandsPrefix, StringComparison.Ordinal))
                    {
                        _commands.OnCommand(message.Topic[CommandsPrefix.Length..], message.Payload.Span);
                    }
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    // Not kept, so not acknowledged: the broker delivers it again after the next reconnect.
                    LogCommandNotStored(message.Topic, e.Message);
                    continue;
                }

                _client.Acknowledge(message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Retained birth/status message: online, gateway, start time, outbox backlog, age and drain rate.</summary>
    private Task PublishStatusAsync(CancellationToken cancellationToken)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("online", true);
            writer.WriteString("gatewayId", _settings.Gateway.Id);
            writer.WriteString("startedAt", EventJson.FormatTime(_startedAt));
            writer.WriteString("time", EventJson.FormatTime(_time.GetUtcNow()));
            writer.WritePropertyName("outbox");
            _drainer.GetStats().WriteTo(writer);
            writer.WriteEndObject();
        }

        // QoS 1 and retained, but not awaited through PUBACK here: this runs inside the connect handshake.
        _ = _client.PublishAsync(StatusTopic, buffer.WrittenMemory, MqttQos.AtLeastOnce, retain: true, cancellationToken);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A command on {Topic} could not be stored ({Reason}); left unacknowledged for redelivery")]
    private partial void LogCommandNotStored(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for commands on {Filter}")]
    private partial void LogSubscribed(string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to {Filter} failed: {Reason}")]
    private partial void LogSubscribeFailed(string filter, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uplink to {Broker} (MQTT {Version}); status on {StatusTopic}")]
    private partial void LogUplink(string broker, string version, string statusTopic);
}
