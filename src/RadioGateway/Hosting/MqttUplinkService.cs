using System.Buffers;
using System.Text.Json;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Outbox;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Uplink;

namespace RadioGateway.Hosting;

/// <summary>
/// The uplink: an MQTT session to the central broker that drains the outbox in order (an entry leaves only on
/// PUBACK), takes commands (acknowledged to the broker once stored), keeps a retained <c>status</c> (birth message
/// on every connect, refreshed every minute, Last Will <c>{"online":false}</c>, and the same offline status
/// published on a clean stop, because a normal DISCONNECT discards the Will [MQTT-3.1.2-10]).
/// </summary>
public sealed partial class MqttUplinkService : BackgroundService, IUplinkPublisher
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(5);
    private readonly CatStatus? _cat;
    private readonly GatewaySettings _settings;
    private readonly MqttSession _session;
    private readonly OutboxDrainer _drainer;
    private readonly CommandService _commands;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttUplinkService> _logger;
    private readonly DateTimeOffset _startedAt;
    private readonly JournalOrigin _journal;
    private readonly GatewayMetrics? _metrics;

    /// <summary>True while the broker connection is up (shown by the operator console).</summary>
    public bool IsConnected => _session.IsConnected;

    public MqttUplinkService(GatewaySettings settings, IOutboxStore store, CommandService commands, JournalOrigin journal, TimeProvider time, ILoggerFactory loggers, GatewayMetrics? metrics = null, CatStatus? cat = null)
    {
        _metrics = metrics;
        _cat = cat;
        ArgumentNullException.ThrowIfNull(journal);
        _journal = journal;
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        _settings = settings;
        _commands = commands;
        _time = time;
        _logger = loggers.CreateLogger<MqttUplinkService>();
        _startedAt = time.GetUtcNow();
        var mqtt = settings.Mqtt;
        _session = new MqttSession(
            SessionOptions(settings, string.IsNullOrEmpty(mqtt.ClientId) ? "radiogw-" + settings.Gateway.Id : mqtt.ClientId) with
            {
                WillTopic = StatusTopic,
                WillPayload = OfflineStatus(settings.Gateway.Id, reason: null),
                WillRetain = true,
            },
            loggers.CreateLogger<MqttSession>(),
            time)
        {
            OnConnectedAsync = OnConnectedAsync,
        };
        // Built before any radio publishes, so entries already waiting count as replayed when they leave.
        _drainer = new OutboxDrainer(store, this, loggers.CreateLogger<OutboxDrainer>(), time, new OutboxDrainerOptions { Window = Math.Min(mqtt.MaxInFlight, 64) });
    }

    private string StatusTopic => _settings.TopicPrefix + "status";

    private string CommandsPrefix => _settings.TopicPrefix + "commands/";

    /// <summary>Broker, protocol version, credentials, TLS and limits from the <c>Mqtt</c> settings (shared with <c>radiogw send</c>).</summary>
    public static MqttSessionOptions SessionOptions(GatewaySettings settings, string clientId)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var mqtt = settings.Mqtt;
        string? File(string path) => string.IsNullOrEmpty(path) ? null : GatewayConfiguration.ResolvePath(path, settings.ConfigFile);
        return new MqttSessionOptions
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
            SessionExpirySeconds = (uint)mqtt.SessionExpirySeconds,
            MaxInFlight = mqtt.MaxInFlight,
            MaximumPacketSize = mqtt.MaximumPacketSize,
            AcknowledgeTimeout = TimeSpan.FromSeconds(mqtt.AcknowledgeTimeoutSeconds),
        };
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            await _session.PublishAsync(topic, new ReadOnlySequence<byte>(payload), retain: false, cancellationToken).ConfigureAwait(false);
            _metrics?.Published(_time.GetElapsedTime(started));
        }
        catch (MessageTooLargeException e)
        {
            throw new MessageTooLargeForUplinkException(e.Message, e);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _session.StopAsync(StatusTopic, OfflineStatus(_settings.Gateway.Id, "stopped"), StopPatience).ConfigureAwait(false);
        await _session.DisposeAsync().ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogUplink(_settings.Mqtt.Broker, _settings.Mqtt.ProtocolVersion, StatusTopic);
        _drainer.Disk.Check(); // the birth status tells the disk as it is now
        _session.Start();
        var draining = _drainer.RunAsync(stoppingToken);
        var intake = ReceiveCommandsAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(StatusInterval, _time, stoppingToken).ConfigureAwait(false);
                if (_session.IsConnected)
                {
                    _ = PublishStatusAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }

        await Task.WhenAll(draining, intake).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    private static byte[] OfflineStatus(string gatewayId, string? reason) =>
        JsonSerializer.SerializeToUtf8Bytes(new OfflineStatus(false, gatewayId, reason), GatewayJson.Events.TypeInfo<OfflineStatus>());

    // Subscribes (the persistent session keeps it, but a new session needs it) and announces the gateway.
    private async Task OnConnectedAsync(CancellationToken connectionLost)
    {
        // What was enqueued while the connection was down goes out marked replayed (issue 11 #18).
        _drainer.UplinkRestored();
        _metrics?.UplinkConnected();
        _ = connectionLost.Register(_drainer.UplinkLost);
        _ = PublishStatusAsync(connectionLost);
        try
        {
            await _session.SubscribeAsync(CommandsPrefix + "+", MqttQualityOfServiceLevel.AtLeastOnce, connectionLost).ConfigureAwait(false);
            LogSubscribed(CommandsPrefix + "+");
        }
        catch (Exception e) when (e is MqttPublishRefusedException)
        {
            LogSubscribeFailed(CommandsPrefix + "+", e.Message);
        }
    }

    /// <summary>Commands from the broker: validated and kept (or answered failed) before the broker gets its PUBACK.</summary>
    private async Task ReceiveCommandsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _session.Received.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (message.Topic.StartsWith(CommandsPrefix, StringComparison.Ordinal))
                    {
                        _commands.OnCommand(message.Topic[CommandsPrefix.Length..], message.Payload);
                    }
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    // Not kept, so not acknowledged: the broker delivers it again after the next reconnect.
                    LogCommandNotStored(Printable.Escape(message.Topic), e.Message);
                    continue;
                }

                await _session.AcknowledgeAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Retained status: online, gateway, start time, outbox backlog, age and drain rate, the CRC-9 order of confirmed data.</summary>
    private async Task PublishStatusAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("online", true);
            writer.WriteString("gatewayId", _settings.Gateway.Id);
            writer.WriteString("startedAt", EventJson.FormatTime(_startedAt));
            writer.WriteString("time", EventJson.FormatTime(_time.GetUtcNow()));
            writer.WritePropertyName("outbox");
            _drainer.GetStats().WriteTo(writer);
            writer.WriteBoolean("journalRecreated", _journal.ReplacedLost);
            if (_commands.Crc9Order is { } crc9)
            {
                writer.WriteStartObject("confirmedData");
                writer.WriteString("crc9Order", crc9.Current.Name());
                writer.WriteString("configuredCrc9Order", crc9.Configured.Name());
                writer.WriteNumber("acknowledgedMsbFirst", crc9.AcknowledgedMsbFirst);
                writer.WriteNumber("acknowledgedLsbFirst", crc9.AcknowledgedLsbFirst);
                writer.WriteNumber("crcRetryRequests", crc9.CrcRetryRequests);
                writer.WriteEndObject();
            }

            _cat?.WriteTo(writer);

            writer.WriteEndObject();
        }

        try
        {
            await _session.PublishAsync(StatusTopic, new ReadOnlySequence<byte>(buffer.WrittenMemory), retain: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The next connect or the next minute publishes it again; the session has logged why it failed.
            LogStatusNotPublished(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A command on {Topic} could not be stored ({Reason}); left unacknowledged for redelivery")]
    private partial void LogCommandNotStored(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for commands on {Filter}")]
    private partial void LogSubscribed(string filter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to {Filter} failed: {Reason}")]
    private partial void LogSubscribeFailed(string filter, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Status not published: {Reason}")]
    private partial void LogStatusNotPublished(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uplink to {Broker} (MQTT {Version}); status on {StatusTopic}")]
    private partial void LogUplink(string broker, string version, string statusTopic);
}
