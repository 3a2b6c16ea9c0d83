using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RadioGateway.Mqtt.Codec;
using RadioGateway.Mqtt.Packets;

namespace RadioGateway.Mqtt.Session;

/// <summary>
/// MQTT 5.0 / 3.1.1 client session: connects (TCP or TLS), keeps alive, reconnects with jittered exponential
/// backoff, and publishes QoS 1 within a window of messages in flight. A publish completes on PUBACK and
/// survives reconnects: unacknowledged ones are sent again with DUP set [MQTT-4.4.0-1].
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MqttPacketWriter _writer;
    /// <summary>Bytes encoded into one socket write at most.</summary>
    private const int CoalesceBytes = 64 * 1024;
    private readonly SemaphoreSlim _window;
    private readonly object _gate = new();
    private readonly Dictionary<ushort, InFlight> _inFlight = [];
    private readonly Queue<InFlight> _unsent = new();
    private readonly HashSet<ushort> _exactlyOnceReceived = [];
    private readonly Dictionary<ushort, TaskCompletionSource<AckPacket>> _requests = [];
    private readonly Queue<ControlPacket> _control = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly AsyncLocal<bool> _inConnectCallback = new();
    private bool _writing;
    private int _onWire;
    private readonly Channel<PublishPacket> _received = Channel.CreateUnbounded<PublishPacket>();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private const int TcpProtocolLevel = 6; // IPPROTO_TCP
    private const int TcpQuickAck = 12; // TCP_QUICKACK, linux/tcp.h
    private static readonly byte[] QuickAckOn = [1, 0, 0, 0];
    private Stream? _stream;
    private Socket? _socket;
    private ushort _nextPacketId;
    private long _lastSentTimestamp;
    private int _receiveMaximum = ushort.MaxValue;
    private Task? _loop;

    public MqttClient(MqttClientOptions options, ILogger logger, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _writer = new MqttPacketWriter(options.Version);
        _window = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
    }

    /// <summary>Runs after every successful CONNECT, before queued publishes are resent (e.g. the retained birth message).</summary>
    public Func<MqttClient, CancellationToken, Task>? OnConnectedAsync { get; set; }

    public bool IsConnected { get; private set; }

    /// <summary>Raised when a connection attempt fails or a connection drops, with the reason (refused CONNACK, TLS, I/O).</summary>
    public event Action<Exception>? ConnectionFailed;

    /// <summary>Messages received on our subscriptions.</summary>
    public ChannelReader<PublishPacket> Received => _received.Reader;

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Completes when the client is connected.</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Publishes; for QoS 1 completes on PUBACK, retrying across reconnects until <paramref name="cancellationToken"/>.</summary>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken)
    {
        // The outbox already gives exactly-once by id; QoS 2 would only add a round trip per message.
        if (qos > MqttQos.AtLeastOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "the client publishes at QoS 0 or 1");
        }
        if (qos == MqttQos.AtMostOnce)
        {
            await WaitUntilConnectedAsync(cancellationToken).ConfigureAwait(false);
            await SendControlAsync(buffer => _writer.WritePublish(buffer, topic, payload.Span, qos, retain, false, 0), cancellationToken).ConfigureAwait(false);
            return;
        }

        await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
        InFlight entry;
        lock (_gate)
        {
            entry = new InFlight(NextPacketId(), topic, payload, retain);
            _inFlight[entry.PacketId] = entry;
            // While connected the writer sends in queue order; otherwise the next connection queues it by age.
            if (_writing || _inConnectCallback.Value)
            {
                entry.Queued = true;
                _unsent.Enqueue(entry);
            }
        }

        WakeWriter();
        try
        {
            await using var registration = cancellationToken.Register(() => entry.Acked.TrySetCanceled(cancellationToken)).ConfigureAwait(false);
            await entry.Acked.Task.ConfigureAwait(false);
        }
        finally
        {
            Settle(entry.PacketId);
            _window.Release();
        }
    }

    /// <summary>Subscribes; completes on a SUBACK granting the subscription, throws if the broker refuses it.</summary>
    public Task SubscribeAsync(string filter, MqttQos qos, CancellationToken cancellationToken) =>
        RequestAsync(id => buffer => _writer.WriteSubscribe(buffer, id, filter, qos), $"subscription to '{filter}'", cancellationToken);

    /// <summary>Unsubscribes; completes on UNSUBACK.</summary>
    public Task UnsubscribeAsync(string filter, CancellationToken cancellationToken) =>
        RequestAsync(id => buffer => _writer.WriteUnsubscribe(buffer, id, filter), $"unsubscription from '{filter}'", cancellationToken);

    private async Task RequestAsync(Func<ushort, Action<IBufferWriter<byte>>> packet, string what, CancellationToken cancellationToken)
    {
        await WaitUntilConnectedAsync(cancellationToken).ConfigureAwait(false);
        ushort id;
        var answered = new TaskCompletionSource<AckPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            id = NextPacketId();
            _requests[id] = answered;
        }

        try
        {
            await SendControlAsync(packet(id), cancellationToken).ConfigureAwait(false);
            var ack = await answered.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (ack.Failed)
            {
                throw new MqttRequestException($"the broker refused the {what} with reason 0x{ack.ReasonCodes.First(c => c >= 0x80):X2}{(ack.ReasonString is null ? "" : " (" + ack.ReasonString + ")")}");
            }
        }
        finally
        {
            lock (_gate)
            {
                _requests.Remove(id);
            }
        }
    }

    /// <summary>Acknowledges a QoS 1 message taken from <see cref="Received"/> (with <see cref="MqttClientOptions.AutoAcknowledge"/> off).</summary>
    public void Acknowledge(PublishPacket message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Qos == MqttQos.AtLeastOnce)
        {
            // If the connection dropped meanwhile the broker redelivers it; the application drops the duplicate by id.
            _ = EnqueueControl(buffer => _writer.WritePubAck(buffer, message.PacketId));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsConnected && _stream is not null)
        {
            try
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await SendControlAsync(_writer.WriteDisconnect, grace.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // already gone
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = _options.MinReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ConnectAndServeAsync(cancellationToken).ConfigureAwait(false);
                delay = _options.MinReconnectDelay;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is IOException or SocketException or MqttRequestException or TimeoutException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                LogConnectionFailed(_options.Broker.Host, _options.Port, e.Message, delay.TotalSeconds);
                ConnectionFailed?.Invoke(e);
            }
            finally
            {
                MarkDisconnected();
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var next = Math.Min(delay.TotalMilliseconds * 2, _options.MaxReconnectDelay.TotalMilliseconds);
            delay = TimeSpan.FromMilliseconds(next * (0.8 + (0.4 * Random.Shared.NextDouble())));
        }
    }

    private async Task ConnectAndServeAsync(CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(_options.ConnectTimeout);
        await tcp.ConnectAsync(_options.Broker.Host, _options.Port, connectTimeout.Token).ConfigureAwait(false);
        _socket = tcp.Client;
        Stream stream = tcp.GetStream();
        if (_options.UseTls)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = _options.Broker.Host,
                RemoteCertificateValidationCallback = ValidateServerCertificate,
                ClientCertificates = LoadClientCertificate(),
            }, connectTimeout.Token).ConfigureAwait(false);
            stream = tls;
        }

        await using var ownedStream = stream.ConfigureAwait(false);
        _stream = stream;
        var reader = new MqttPacketReader(_options.Version, _options.MaximumPacketSize);
        var buffer = new byte[_options.MaximumPacketSize + 8];
        var filled = 0;

        await WriteDirectAsync(
            stream,
            output => _writer.WriteConnect(output, new ConnectRequest(
                _options.ClientId,
                (ushort)_options.KeepAlive.TotalSeconds,
                _options.CleanStart,
                _options.SessionExpirySeconds,
                (ushort)Math.Min(_options.MaxInFlight, ushort.MaxValue),
                (uint)_options.MaximumPacketSize,
                _options.Username,
                _options.Password,
                _options.WillTopic,
                _options.WillPayload,
                _options.WillRetain)),
            connectTimeout.Token).ConfigureAwait(false);

        var connAck = await ReadPacketAsync(stream, reader, buffer, () => filled, f => filled = f, connectTimeout.Token).ConfigureAwait(false) as ConnAckPacket
            ?? throw new MqttRequestException("the broker did not answer CONNECT with CONNACK [MQTT-3.1.4-5]");
        if (!connAck.Accepted)
        {
            throw new MqttRequestException($"the broker refused the connection: {DescribeConnAck(connAck.ReasonCode)}{(connAck.ReasonString is null ? "" : " (" + connAck.ReasonString + ")")}");
        }

        LogConnected(_options.Broker.Host, _options.Port, _options.Version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1", connAck.SessionPresent);
        List<InFlight> resend;
        lock (_gate)
        {
            // MQTT 5: never more unacknowledged QoS 1 publishes than the broker's Receive Maximum [MQTT-3.3.4-7].
            _receiveMaximum = connAck.ReceiveMaximum ?? ushort.MaxValue;
            _onWire = 0;
            resend = [.. _inFlight.Values.OrderBy(e => e.Sequence)];
            foreach (var entry in resend)
            {
                // Sent on an earlier connection and not acknowledged: resend with DUP [MQTT-4.4.0-1].
                entry.Duplicate = entry.SentOnce;
                entry.SentOnThisConnection = false;
                entry.Queued = false;
            }
        }

        IsConnected = true;
        if (OnConnectedAsync is { } onConnected)
        {
            // What the callback publishes (the birth message) goes out before the resends.
            _inConnectCallback.Value = true;
            try
            {
                await onConnected(this, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _inConnectCallback.Value = false;
            }
        }

        lock (_gate)
        {
            foreach (var entry in _inFlight.Values.Where(e => !e.Queued).OrderBy(e => e.Sequence))
            {
                entry.Queued = true;
                _unsent.Enqueue(entry);
            }

            _writing = true;
            _connected.TrySetResult();
        }

        using var serving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteLoopAsync(stream, serving.Token);
        var pinging = KeepAliveAsync(serving.Token);
        var reading = ReadLoopAsync(stream, reader, buffer, filled, serving.Token);
        WakeWriter();
        try
        {
            // Whichever side fails first ends the connection; the other is cancelled.
            await await Task.WhenAny(reading, writing).ConfigureAwait(false);
        }
        finally
        {
            await serving.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(reading, writing, pinging).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync(Stream stream, MqttPacketReader reader, byte[] buffer, int filled, CancellationToken cancellationToken)
    {
        while (true)
        {
            var packet = await ReadPacketAsync(stream, reader, buffer, () => filled, f => filled = f, cancellationToken).ConfigureAwait(false);
            await OnPacketAsync(packet, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The connection's only writer: each wake-up it takes every queued control packet and as many waiting
    /// publishes as the broker's Receive Maximum allows, encodes them into one buffer and writes it at once, so
    /// a burst of publishes costs one system call rather than one each.
    /// </summary>
    private async Task WriteLoopAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(CoalesceBytes + 1024);
        var written = new List<TaskCompletionSource>();
        while (true)
        {
            await _wake.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                buffer.ResetWrittenCount();
                written.Clear();
                lock (_gate)
                {
                    while (buffer.WrittenCount < CoalesceBytes && _control.TryDequeue(out var control))
                    {
                        control.Write(buffer);
                        written.Add(control.Written);
                    }

                    while (buffer.WrittenCount < CoalesceBytes && _onWire < _receiveMaximum && _unsent.TryDequeue(out var entry))
                    {
                        if (!_inFlight.ContainsKey(entry.PacketId) || entry.SentOnThisConnection)
                        {
                            continue; // cancelled meanwhile
                        }

                        _writer.WritePublish(buffer, entry.Topic, entry.Payload.Span, MqttQos.AtLeastOnce, entry.Retain, entry.Duplicate, entry.PacketId);
                        entry.SentOnThisConnection = true;
                        entry.SentOnce = true;
                        _onWire++;
                    }
                }

                if (buffer.WrittenCount == 0)
                {
                    break;
                }

                try
                {
                    await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ObjectDisposedException or IOException)
                {
                    var lost = new IOException("the connection to the broker is closed", e);
                    foreach (var completion in written)
                    {
                        completion.TrySetException(lost);
                    }

                    throw lost;
                }

                Interlocked.Exchange(ref _lastSentTimestamp, _time.GetTimestamp());
                foreach (var completion in written)
                {
                    completion.TrySetResult();
                }
            }
        }
    }

    private async Task OnPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        switch (packet)
        {
            case AckPacket { AckType: MqttPacketType.PubAck } ack:
                InFlight? entry;
                lock (_gate)
                {
                    _inFlight.TryGetValue(ack.PacketId, out entry);
                }

                Settle(ack.PacketId);
                if (ack.Failed)
                {
                    entry?.Acked.TrySetException(new MqttRequestException($"the broker refused the publish to '{entry.Topic}' with reason 0x{ack.ReasonCodes[0]:X2}{(ack.ReasonString is null ? "" : " (" + ack.ReasonString + ")")}"));
                }
                else
                {
                    entry?.Acked.TrySetResult();
                }

                WakeWriter();
                break;
            case PublishPacket { Qos: MqttQos.ExactlyOnce } publish:
                // QoS 2 receiver, method B: deliver on first PUBLISH, then ignore its resends until PUBREL [MQTT-4.3.3-10].
                bool first;
                lock (_gate)
                {
                    first = _exactlyOnceReceived.Add(publish.PacketId);
                }

                if (first)
                {
                    await _received.Writer.WriteAsync(publish, cancellationToken).ConfigureAwait(false);
                }

                EnqueueControl(buffer => _writer.WritePubRec(buffer, publish.PacketId));
                break;
            case AckPacket { AckType: MqttPacketType.PubRel } release:
                lock (_gate)
                {
                    _exactlyOnceReceived.Remove(release.PacketId);
                }

                EnqueueControl(buffer => _writer.WritePubComp(buffer, release.PacketId));
                break;
            case PublishPacket publish:
                await _received.Writer.WriteAsync(publish, cancellationToken).ConfigureAwait(false);
                if (publish.Qos == MqttQos.AtLeastOnce && _options.AutoAcknowledge)
                {
                    EnqueueControl(buffer => _writer.WritePubAck(buffer, publish.PacketId));
                }

                break;
            case AckPacket { AckType: MqttPacketType.SubAck or MqttPacketType.UnsubAck } answer:
                TaskCompletionSource<AckPacket>? request;
                lock (_gate)
                {
                    _requests.TryGetValue(answer.PacketId, out request);
                }

                request?.TrySetResult(answer);
                break;
            case DisconnectPacket disconnect:
                throw new IOException($"the broker disconnected us (reason 0x{disconnect.ReasonCode:X2}{(disconnect.ReasonString is null ? "" : ": " + disconnect.ReasonString)})");
            case AckPacket { Failed: true } failed:
                LogRefused(failed.AckType.ToString(), failed.PacketId);
                break;
        }
    }

    private async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        if (_options.KeepAlive <= TimeSpan.Zero)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.KeepAlive / 2, _time, cancellationToken).ConfigureAwait(false);
            if (_time.GetElapsedTime(Interlocked.Read(ref _lastSentTimestamp)) >= _options.KeepAlive / 2)
            {
                EnqueueControl(_writer.WritePingReq);
            }
        }
    }

    private async Task<MqttPacket> ReadPacketAsync(Stream stream, MqttPacketReader reader, byte[] buffer, Func<int> getFilled, Action<int> setFilled, CancellationToken cancellationToken)
    {
        var filled = getFilled();
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
            var status = reader.TryRead(ref sequence, out var packet, out var error);
            if (status == MqttReadStatus.Invalid)
            {
                throw new IOException("malformed packet from the broker: " + error);
            }

            if (status == MqttReadStatus.Done)
            {
                var remaining = (int)sequence.Length;
                Array.Copy(buffer, filled - remaining, buffer, 0, remaining);
                setFilled(remaining);
                return packet!;
            }

            // Keep-alive: no packet at all for 1.5 × keep alive means the broker is gone [MQTT-3.1.2-24].
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (_options.KeepAlive > TimeSpan.Zero)
            {
                silence.CancelAfter(_options.KeepAlive * 1.5);
            }

            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(filled), silence.Token).ConfigureAwait(false);
                AcknowledgeQuickly();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"nothing from the broker for {(_options.KeepAlive * 1.5).TotalSeconds:0} s");
            }

            if (read == 0)
            {
                throw new IOException("the broker closed the connection");
            }

            filled += read;
            setFilled(filled);
        }
    }

    private ushort NextPacketId()
    {
        do
        {
            _nextPacketId = (ushort)(_nextPacketId == ushort.MaxValue ? 1 : _nextPacketId + 1);
        }
        while (_inFlight.ContainsKey(_nextPacketId) || _requests.ContainsKey(_nextPacketId));

        return _nextPacketId;
    }

    /// <summary>Forgets a publish (acknowledged or abandoned), freeing its place on the wire.</summary>
    private void Settle(ushort packetId)
    {
        lock (_gate)
        {
            if (_inFlight.Remove(packetId, out var entry) && entry.SentOnThisConnection && _onWire > 0)
            {
                _onWire--;
            }
        }
    }

    private void WakeWriter() => _wake.Writer.TryWrite(true);

    private TaskCompletionSource EnqueueControl(Action<IBufferWriter<byte>> write)
    {
        var control = new ControlPacket(write);
        lock (_gate)
        {
            if (!_writing)
            {
                control.Written.TrySetException(new IOException("not connected"));
                return control.Written;
            }

            _control.Enqueue(control);
        }

        WakeWriter();
        return control.Written;
    }

    private Task SendControlAsync(Action<IBufferWriter<byte>> write, CancellationToken cancellationToken) =>
        EnqueueControl(write).Task.WaitAsync(cancellationToken);

    private async Task WriteDirectAsync(Stream stream, Action<IBufferWriter<byte>> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        write(buffer);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastSentTimestamp, _time.GetTimestamp());
    }

    /// <summary>
    /// Linux TCP_QUICKACK (tcp(7); reset by the kernel after each receive, so set again after every read):
    /// a broker that leaves Nagle on (mosquitto's default, <c>set_tcp_nodelay false</c>) holds each PUBACK
    /// until our delayed ACK of the previous one, up to 40 ms per round trip.
    /// </summary>
    private void AcknowledgeQuickly()
    {
        if (_socket is { } socket && OperatingSystem.IsLinux())
        {
            try
            {
                socket.SetRawSocketOption(TcpProtocolLevel, TcpQuickAck, QuickAckOn);
            }
            catch (SocketException)
            {
                // An optimisation only; a socket that refuses it keeps working.
            }
        }
    }

    private void MarkDisconnected()
    {
        IsConnected = false;
        _stream = null;
        _socket = null;
        lock (_gate)
        {
            _writing = false;
            _unsent.Clear();
            foreach (var entry in _inFlight.Values)
            {
                entry.Queued = false;
            }

            foreach (var request in _requests.Values)
            {
                request.TrySetException(new IOException("the connection to the broker was lost before the answer"));
            }

            while (_control.TryDequeue(out var control))
            {
                control.Written.TrySetException(new IOException("the connection to the broker was lost before this packet was sent"));
            }

            if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private X509CertificateCollection? LoadClientCertificate()
    {
        if (_options.ClientCertificateFile is not { } certificateFile)
        {
            return null;
        }

        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, _options.ClientKeyFile);
        // SslStream on Linux wants a certificate whose key is not ephemeral: round-trip through PKCS#12.
        return [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
    }

    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_options.CaFile is null || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        // Name mismatch is never forgiven; chain errors are re-checked against our CA only.
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.ImportFromPemFile(_options.CaFile);
        return custom.Build(new X509Certificate2(certificate));
    }

    private static string DescribeConnAck(byte code) => code switch
    {
        1 => "unacceptable protocol version (3.1.1 return code 1)",
        2 => "client id rejected (3.1.1 return code 2)",
        3 => "server unavailable (3.1.1 return code 3)",
        4 => "bad user name or password (3.1.1 return code 4)",
        5 => "not authorized (3.1.1 return code 5)",
        0x84 => "unsupported protocol version (0x84)",
        0x85 => "client identifier not valid (0x85)",
        0x86 => "bad user name or password (0x86)",
        0x87 => "not authorized (0x87)",
        0x88 => "server unavailable (0x88)",
        _ => $"reason code 0x{code:X2}",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT connected to {Host}:{Port} (protocol {Version}, session present {SessionPresent})")]
    private partial void LogConnected(string host, int port, string version, bool sessionPresent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection to {Host}:{Port} failed or dropped: {Reason}; retrying in {DelaySeconds:0.0} s")]
    private partial void LogConnectionFailed(string host, int port, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT {Packet} {PacketId} refused by the broker")]
    private partial void LogRefused(string packet, ushort packetId);

    private sealed class ControlPacket(Action<IBufferWriter<byte>> write)
    {
        public Action<IBufferWriter<byte>> Write { get; } = write;

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class InFlight(ushort packetId, string topic, ReadOnlyMemory<byte> payload, bool retain)
    {
        private static long _sequence;

        public ushort PacketId { get; } = packetId;

        public string Topic { get; } = topic;

        public ReadOnlyMemory<byte> Payload { get; } = payload;

        public bool Retain { get; } = retain;

        public long Sequence { get; } = Interlocked.Increment(ref _sequence);

        public bool SentOnce { get; set; }

        public bool SentOnThisConnection { get; set; }

        public bool Duplicate { get; set; }

        /// <summary>In <see cref="_unsent"/> for the current connection.</summary>
        public bool Queued { get; set; }

        public TaskCompletionSource Acked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
