using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using RadioGateway.Resilience;

namespace RadioGateway.Uplink;

/// <summary>
/// One MQTTnet client kept connected to one broker. MQTTnet 5 has no managed client, so this owns what one did:
/// connecting and reconnecting with jittered backoff, a persistent session, and one clear log line per failure. And
/// what MQTTnet leaves to its user:
/// <list type="bullet">
/// <item>a window of QoS 1 publishes awaiting PUBACK, never above the broker's Receive Maximum [MQTT-4.9.0-2]
/// (MQTTnet sends whatever it is given);</item>
/// <item>a deadline on every PUBACK: a broker that stops acknowledging gets its connection dropped and remade;</item>
/// <item>the broker's Maximum Packet Size [MQTT-3.2.2-15], Maximum QoS [MQTT-3.2.2-11] and a shorter Server Keep
/// Alive [MQTT-3.2.2-21] (MQTTnet keeps pinging at our own interval);</item>
/// <item>received messages queue in <see cref="Received"/> and are acknowledged only when the caller says so;</item>
/// <item>a clean stop that leaves a final retained message (the gateway's offline status) before DISCONNECT, which
/// on its own would discard the Will [MQTT-3.1.2-10].</item>
/// </list>
/// </summary>
public sealed partial class MqttSession : IAsyncDisposable
{
    private static readonly MqttClientFactory Factory = new();

    private readonly MqttSessionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IMqttClient _client;
    private readonly Backoff _backoff;
    private readonly Channel<ReceivedMessage> _received = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly ConcurrentQueue<string> _oversizedTopics = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly MqttClientOptions _clientOptions;
    private TaskCompletionSource<Connection> _connected = NewConnectedSignal();
    private TaskCompletionSource<MqttClientDisconnectedEventArgs>? _lost;
    private Task? _loop;
    private int _stopped;

    public MqttSession(MqttSessionOptions options, ILogger logger, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _backoff = new Backoff(options.MinReconnectDelay, options.MaxReconnectDelay);
        _clientOptions = BuildClientOptions(options);
        _client = Factory.CreateMqttClient(new GuardedAdapterFactory(options.MaximumPacketSize, OnOversizedPublish));
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageReceivedAsync;
    }

    /// <summary>Runs after every successful connect (subscribe, birth message); its token ends with the connection.</summary>
    public Func<CancellationToken, Task>? OnConnectedAsync { get; set; }

    /// <summary>Messages from the broker, in order; each must be passed to <see cref="AcknowledgeAsync"/> once it is safe.</summary>
    public ChannelReader<ReceivedMessage> Received => _received.Reader;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Why the last connection attempt failed, or null once one succeeded. Untrusted: escape before printing.</summary>
    public string? LastConnectionError { get; private set; }

    /// <summary>The limits the broker set on the current connection; null while disconnected.</summary>
    public BrokerLimits? Limits => _connected.Task.IsCompletedSuccessfully ? _connected.Task.Result.Limits : null;

    /// <summary>Starts connecting (and reconnecting until <see cref="StopAsync"/>).</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stopping.Token));

    public async Task WaitUntilConnectedAsync(CancellationToken cancellationToken) =>
        await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Publishes at QoS 1 (or the broker's maximum, if lower) and completes on PUBACK. Waits while disconnected and
    /// while the window is full. Fails when the connection is lost before the PUBACK, when the broker refuses the
    /// message, or when no PUBACK comes within <see cref="MqttSessionOptions.AcknowledgeTimeout"/> (the connection is
    /// then remade); throws <see cref="MessageTooLargeException"/> for a message the broker will never take.
    /// </summary>
    public async Task PublishAsync(string topic, ReadOnlySequence<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        var connection = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        var size = PublishPacketSize(topic, payload.Length);
        if (size > connection.Limits.MaximumPacketSize)
        {
            throw new MessageTooLargeException($"A message of {size} bytes on {topic} exceeds the broker's Maximum Packet Size of {connection.Limits.MaximumPacketSize} bytes.");
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Lost);
        try
        {
            await connection.Window.WaitAsync(attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Lost while waiting for a slot in the window: the caller retries on the next connection, as after a lost PUBACK.
            throw new MqttConnectionLostException("The connection to the broker was lost before the message could be sent.", e);
        }

        try
        {
            attempt.CancelAfter(_options.AcknowledgeTimeout);
            var message = new MqttApplicationMessage
            {
                Topic = topic,
                Payload = payload,
                QualityOfServiceLevel = connection.Limits.Qos,
                Retain = retain,
            };
            var result = await _client.PublishAsync(message, attempt.Token).ConfigureAwait(false);
            if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
            {
                throw new MqttPublishRefusedException($"The broker refused a message on {topic}: {result.ReasonCode} {result.ReasonString}".TrimEnd());
            }

            connection.Healthy = true;
        }
        catch (Exception e) when (e is OperationCanceledException or MqttCommunicationTimedOutException && !cancellationToken.IsCancellationRequested)
        {
            if (connection.Lost.IsCancellationRequested)
            {
                throw new MqttConnectionLostException("The connection to the broker was lost before the PUBACK.", e);
            }

            LogAcknowledgeTimeout(_options.Broker, topic, _options.AcknowledgeTimeout.TotalSeconds);
            await AbortAsync(connection).ConfigureAwait(false);
            throw new TimeoutException($"No PUBACK within {_options.AcknowledgeTimeout.TotalSeconds:0} s for a message on {topic}.", e);
        }
        catch (Exception e) when (e is MqttClientNotConnectedException or MqttCommunicationException && !cancellationToken.IsCancellationRequested)
        {
            // MQTTnet fails what was in flight when the connection drops (MqttClientDisconnectedException and kin).
            throw new MqttConnectionLostException("The connection to the broker was lost before the PUBACK.", e);
        }
        finally
        {
            connection.Window.Release();
        }
    }

    public async Task SubscribeAsync(string filter, MqttQualityOfServiceLevel qos, CancellationToken cancellationToken)
    {
        var connection = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        // A broker with a lower Maximum QoS grants that instead [MQTT-3.2.2-12]; the SUBACK says which.
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, qos).Build(), cancellationToken).ConfigureAwait(false);
        var code = result.Items.First().ResultCode;
        if ((int)code >= 0x80)
        {
            throw new MqttPublishRefusedException($"The broker refused the subscription to {filter}: {code}");
        }

        connection.Healthy = true;
    }

    public async Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        var result = await _client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(filter).Build(), cancellationToken).ConfigureAwait(false);
        var code = result.Items.First().ResultCode;
        if ((int)code >= 0x80)
        {
            throw new MqttPublishRefusedException($"The broker refused to unsubscribe {filter}: {code}");
        }
    }

    /// <summary>Acknowledges a received message (PUBACK/PUBREC). If the connection is gone the broker delivers it again.</summary>
    public async Task AcknowledgeAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await message.Delivery.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttCommunicationException or ObjectDisposedException or InvalidOperationException)
        {
            LogAcknowledgeLost(message.Topic, e.Message);
        }
    }

    /// <summary>
    /// Stops reconnecting; if connected, publishes <paramref name="finalTopic"/> (retained, QoS 1, awaited for up to
    /// <paramref name="patience"/>) and disconnects normally.
    /// </summary>
    public async Task StopAsync(string? finalTopic, ReadOnlyMemory<byte> finalPayload, TimeSpan patience)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        if (!_client.IsConnected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(patience);
        try
        {
            if (finalTopic is not null)
            {
                await PublishAsync(finalTopic, new ReadOnlySequence<byte>(finalPayload), retain: true, timeout.Token).ConfigureAwait(false);
            }

            await _client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = MqttClientDisconnectOptionsReason.NormalDisconnection }, timeout.Token).ConfigureAwait(false);
            LogStopped(_options.Broker);
        }
        catch (Exception e) when (e is OperationCanceledException or MqttCommunicationException or TimeoutException or MqttPublishRefusedException or MessageTooLargeException)
        {
            LogStopUnclean(_options.Broker, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(null, default, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        _client.Dispose();
        _stopping.Dispose();
    }

    private static TaskCompletionSource<Connection> NewConnectedSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Fixed header (at most 5 bytes), topic with its length, packet id, and on MQTT 5 a few bytes of properties.
    private static long PublishPacketSize(string topic, long payloadLength) => 5 + 2 + System.Text.Encoding.UTF8.GetByteCount(topic) + 2 + 4 + payloadLength;

    private MqttClientOptions BuildClientOptions(MqttSessionOptions options)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithEndPoint(new DnsEndPoint(options.Broker.Host, options.Port))
            .WithStreamProvider(new UplinkStreamProvider())
            .WithProtocolVersion(options.Version)
            .WithClientId(options.ClientId)
            .WithCleanStart(options.CleanStart)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.ConnectTimeout);
        if (options.Version == MqttProtocolVersion.V500)
        {
            builder.WithSessionExpiryInterval(options.SessionExpirySeconds).WithMaximumPacketSize((uint)options.MaximumPacketSize);
        }

        if (options.Username is not null)
        {
            builder.WithCredentials(options.Username, options.Password);
        }

        if (options.WillTopic is not null)
        {
            builder.WithWillTopic(options.WillTopic).WithWillPayload(options.WillPayload.ToArray()).WithWillRetain(options.WillRetain)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        if (options.UseTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls(true).WithTargetHost(options.Broker.Host)
                    // A private CA publishes no revocation lists, and the centre may be offline from the internet.
                    .WithRevocationMode(System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck);
                if (options.CaFile is not null)
                {
                    tls.WithTrustChain(TlsFiles.LoadAuthorities(options.CaFile));
                }

                if (options.ClientCertificateFile is not null)
                {
                    tls.WithClientCertificates([TlsFiles.LoadClientCertificate(options.ClientCertificateFile, options.ClientKeyFile)]);
                }
            });
        }

        return builder.Build();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Connection? connection = null;
            try
            {
                connection = await ConnectAsync(stopping).ConfigureAwait(false);
                if (connection is not null)
                {
                    LastConnectionError = null;
                    var lost = await connection.LostSignal.Task.WaitAsync(stopping).ConfigureAwait(false);
                    LogConnectionLost(_options.Broker, Describe(lost));
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong, the loop goes on: the outbox keeps everything until the broker is back.
                LastConnectionError = Describe(e);
                LogConnectFailed(_options.Broker, LastConnectionError);
            }
            finally
            {
                if (connection is not null && !stopping.IsCancellationRequested)
                {
                    lock (_gate)
                    {
                        _connected = NewConnectedSignal();
                    }

                    await connection.LostSource.CancelAsync().ConfigureAwait(false);
                }
            }

            if (connection?.Healthy == true)
            {
                _backoff.Reset();
            }

            try
            {
                await Task.Delay(_backoff.Next(), _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<Connection?> ConnectAsync(CancellationToken stopping)
    {
        var lost = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _lost = lost;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.ConnectTimeout);
        MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(_clientOptions, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            throw new TimeoutException($"no CONNACK within {_options.ConnectTimeout.TotalSeconds:0} s");
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            LogRefused(_options.Broker, result.ResultCode, result.ReasonString ?? "");
            return null;
        }

        var limits = BrokerLimits.From(result, _options);
        var connection = new Connection(limits, lost);
        LogConnected(_options.Broker, _options.Version, result.IsSessionPresent, limits.InFlightWindow, limits.MaximumPacketSize, limits.Qos, limits.KeepAlive.TotalSeconds);
        if (limits.Qos == MqttQualityOfServiceLevel.AtMostOnce)
        {
            LogQos0Only(_options.Broker);
        }

        if (limits.KeepAlive < _options.KeepAlive)
        {
            _ = PingAsync(connection, limits.KeepAlive);
        }

        lock (_gate)
        {
            _connected.TrySetResult(connection);
        }

        if (OnConnectedAsync is { } onConnected)
        {
            try
            {
                await onConnected(connection.Lost).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                LogOnConnectedFailed(_options.Broker, Describe(e));
            }
        }

        return connection;
    }

    // The broker asked for a shorter keep-alive than ours; MQTTnet pings at our interval, so ping at the broker's.
    private async Task PingAsync(Connection connection, TimeSpan keepAlive)
    {
        try
        {
            while (true)
            {
                await Task.Delay(keepAlive / 2, _time, connection.Lost).ConfigureAwait(false);
                using var pingTimeout = CancellationTokenSource.CreateLinkedTokenSource(connection.Lost);
                pingTimeout.CancelAfter(keepAlive / 2);
                await _client.PingAsync(pingTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception) when (connection.Lost.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is OperationCanceledException or MqttCommunicationException)
        {
            LogNoPingResponse(_options.Broker, keepAlive.TotalSeconds / 2);
            await AbortAsync(connection).ConfigureAwait(false);
        }
    }

    private async Task AbortAsync(Connection connection)
    {
        if (connection.Lost.IsCancellationRequested)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            // Not a normal disconnection: on MQTT 5 the broker then still publishes the Will [MQTT-3.1.2-10].
            await _client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = MqttClientDisconnectOptionsReason.ImplementationSpecificError }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MqttCommunicationException or MqttClientNotConnectedException)
        {
            // Already going; MQTTnet reports the loss either way.
        }
    }

    private async Task<Connection> WaitForConnectionAsync(CancellationToken cancellationToken)
    {
        Task<Connection> connected;
        lock (_gate)
        {
            connected = _connected.Task;
        }

        return await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        // A failed connect also ends here (not connected before): ConnectAsync reports that itself.
        if (e.ClientWasConnected)
        {
            lock (_gate)
            {
                _lost?.TrySetResult(e);
            }
        }

        return Task.CompletedTask;
    }

    private async Task OnMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var message = e.ApplicationMessage;
        if (message.Payload.IsEmpty && _oversizedTopics.TryPeek(out var oversized) && oversized == message.Topic)
        {
            // The stub of a message too large to take: acknowledged so the broker stops delivering it.
            _oversizedTopics.TryDequeue(out _);
            await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }

        await _received.Writer.WriteAsync(new ReceivedMessage(message.Topic, message.Payload.ToArray(), message.QualityOfServiceLevel, message.Retain, e), _stopping.Token).ConfigureAwait(false);
    }

    private void OnOversizedPublish(string topic, long bytes)
    {
        _oversizedTopics.Enqueue(topic);
        LogOversizedDropped(Printable.Escape(topic), bytes, _options.MaximumPacketSize);
    }

    private static string Describe(Exception e) => e switch
    {
        MqttConnectingFailedException { InnerException: { } inner } => Describe(inner),
        AggregateException { InnerException: { } inner } => Describe(inner),
        MqttCommunicationTimedOutException => "timed out waiting for the broker",
        _ when e.InnerException is System.Security.Authentication.AuthenticationException tls => "TLS: " + tls.Message,
        _ => e.Message,
    };

    private static string Describe(MqttClientDisconnectedEventArgs e) =>
        e.Exception is { } exception ? Describe(exception) : $"{e.Reason} {e.ReasonString}".TrimEnd();

    /// <summary>One connection's limits, window and lifetime.</summary>
    private sealed class Connection(BrokerLimits limits, TaskCompletionSource<MqttClientDisconnectedEventArgs> lostSignal)
    {
        public BrokerLimits Limits { get; } = limits;

        public SemaphoreSlim Window { get; } = new(limits.InFlightWindow, limits.InFlightWindow);

        public TaskCompletionSource<MqttClientDisconnectedEventArgs> LostSignal { get; } = lostSignal;

        public CancellationTokenSource LostSource { get; } = new();

        public CancellationToken Lost => LostSource.Token;

        /// <summary>The broker completed a round trip (PUBACK, SUBACK) on this connection.</summary>
        public bool Healthy { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Broker} (MQTT {Version}, session present {SessionPresent}): window {Window}, broker max packet {MaxPacket} bytes, QoS {Qos}, keep-alive {KeepAliveSeconds} s")]
    private partial void LogConnected(Uri broker, MqttProtocolVersion version, bool sessionPresent, int window, long maxPacket, MqttQualityOfServiceLevel qos, double keepAliveSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker {Broker} refused the connection: {Code} {Reason}")]
    private partial void LogRefused(Uri broker, MqttClientConnectResultCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting to {Broker} failed: {Reason}")]
    private partial void LogConnectFailed(Uri broker, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to {Broker} lost: {Reason}")]
    private partial void LogConnectionLost(Uri broker, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No PUBACK from {Broker} within {Seconds} s for a message on {Topic}; reconnecting")]
    private partial void LogAcknowledgeTimeout(Uri broker, string topic, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No PINGRESP from {Broker} within {Seconds} s; reconnecting")]
    private partial void LogNoPingResponse(Uri broker, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker {Broker} grants only QoS 0: messages leave the outbox unconfirmed")]
    private partial void LogQos0Only(Uri broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting up the connection to {Broker} failed: {Reason}")]
    private partial void LogOnConnectedFailed(Uri broker, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message on {Topic} of {Bytes} bytes exceeds the {Limit} bytes this gateway accepts (Mqtt:MaximumPacketSize); acknowledged and dropped")]
    private partial void LogOversizedDropped(string topic, long bytes, int limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Acknowledging a message on {Topic} failed ({Reason}); the broker delivers it again")]
    private partial void LogAcknowledgeLost(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnected from {Broker}")]
    private partial void LogStopped(Uri broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leaving {Broker} uncleanly: {Reason}")]
    private partial void LogStopUnclean(Uri broker, string reason);
}

/// <summary>A message from the broker; acknowledge it with <see cref="MqttSession.AcknowledgeAsync"/>.</summary>
public sealed record ReceivedMessage(string Topic, byte[] Payload, MqttQualityOfServiceLevel Qos, bool Retain, MqttApplicationMessageReceivedEventArgs Delivery);

/// <summary>What the broker's CONNACK allows on one connection.</summary>
/// <param name="InFlightWindow">Our window, lowered to the broker's Receive Maximum.</param>
/// <param name="MaximumPacketSize">Largest packet the broker takes.</param>
/// <param name="Qos">QoS used for publishes: 1, or 0 if that is the broker's maximum.</param>
/// <param name="KeepAlive">Our keep-alive or the broker's Server Keep Alive.</param>
public sealed record BrokerLimits(int InFlightWindow, long MaximumPacketSize, MqttQualityOfServiceLevel Qos, TimeSpan KeepAlive)
{
    internal static BrokerLimits From(MqttClientConnectResult result, MqttSessionOptions options)
    {
        // MQTTnet reports an absent Receive Maximum as 0 (an explicit 0 is a Protocol Error, MQTT 5 §3.2.2.3.3); absent means 65,535.
        int receiveMaximum = result.ReceiveMaximum is > 0 and var value ? value : ushort.MaxValue;
        var v5 = options.Version == MqttProtocolVersion.V500;
        return new BrokerLimits(
            Math.Max(1, Math.Min(options.MaxInFlight, receiveMaximum)),
            v5 && result.MaximumPacketSize is > 0 and var max ? max : 268_435_460, // the protocol's own limit [MQTT-2.2.3]
            v5 && result.MaximumQoS == MqttQualityOfServiceLevel.AtMostOnce ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce,
            v5 && result.ServerKeepAlive > 0 ? TimeSpan.FromSeconds(result.ServerKeepAlive) : options.KeepAlive);
    }
}

/// <summary>The broker will never take this message (larger than its Maximum Packet Size).</summary>
public sealed class MessageTooLargeException(string message) : Exception(message);

/// <summary>The broker answered with a failure reason code.</summary>
public sealed class MqttPublishRefusedException(string message) : Exception(message);

/// <summary>The connection ended before the operation completed; it can be retried on the next one.</summary>
public sealed class MqttConnectionLostException(string message, Exception inner) : Exception(message, inner);
