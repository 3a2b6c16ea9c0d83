using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Commands;
using RadioGateway.Core.DataServices;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Hytera;

namespace RadioGateway.Core.ControlStations.Hytera;

/// <summary>
/// The gateway behind a Hytera control station: it connects to the radio's HRNP port (TCP), opens the session
/// (CONNECT → ACCEPT), acknowledges every DATA frame and waits for the DATA_ACK of each it sends, and keeps the link
/// supervised with a keepalive (an RCP radio id query every <see cref="HyteraStationSettings.KeepaliveInterval"/>;
/// no DATA_ACK within <see cref="HyteraStationSettings.KeepaliveTimeout"/> ends the session so the supervisor marks the
/// link down and reconnects with backoff). The HDAP messages carried: RRS registrations become
/// <see cref="RegistrationChanged"/> and are answered; LP reports become <see cref="PositionReported"/> (emergency
/// reports also <see cref="EmergencyRaised"/>); TMP texts become <see cref="TextMessageReceived"/> and are
/// acknowledged when confirmed. With a tracking interval every radio that registers is asked for triggered reports,
/// stopped when it goes offline. Every HDAP message the gateway sends is booked with the one transmit limiter.
/// </summary>
public sealed partial class HyteraControlStation(
    HyteraStationSettings settings,
    UnitRoster roster,
    IEventSink sink,
    TimeProvider time,
    ILogger<HyteraControlStation> logger,
    TransmitLimiter? limiter = null) : IRadioAnswers, IDatagramTransmitter
{
    private readonly DataServiceMapper _positions = new(settings.RadioId, roster);
    private readonly TrackedUnits _tracked = new();
    private HrnpLink? _link;
    private int _eventCounter;
    private uint _stationRadioId;

    public event Action<string>? AnswerHeard;

    public HyteraStationSettings Settings => settings;

    /// <summary>Connects to the radio's HRNP port and opens the session.</summary>
    /// <exception cref="IOException">The radio cannot be reached, rejects the session or does not accept it in time; the message says which.</exception>
    public async ValueTask<IAsyncDisposable> OpenAsync(CancellationToken cancellationToken)
    {
        var endpoint = $"{settings.RadioAddress}:{settings.HrnpPort}";
        var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        HrnpLink? link = null;
        using var deadline = new CancellationTokenSource(settings.ConnectTimeout, time);
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await client.ConnectAsync(settings.RadioAddress, settings.HrnpPort, connecting.Token).ConfigureAwait(false);
            link = new HrnpLink(client);
            await link.ConnectAsync(connecting.Token).ConfigureAwait(false);
            while (true)
            {
                var frame = await link.ReadFrameAsync(skip => LogSkipped(settings.RadioId, skip.ToString()), connecting.Token).ConfigureAwait(false);
                switch (link.Classify(frame))
                {
                    case HrnpReceived.Accepted:
                        return link;
                    case HrnpReceived.Rejected:
                        throw new IOException($"the control station at {endpoint} rejected the HRNP session (another application connected?)");
                    default:
                        LogIgnoredFrame(settings.RadioId, frame.Opcode.ToString());
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeAsync(link, client).ConfigureAwait(false);
            throw new IOException($"the control station at {endpoint} did not accept an HRNP session within {settings.ConnectTimeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            await DisposeAsync(link, client).ConfigureAwait(false);
            throw new IOException($"cannot reach the control station's HRNP port {endpoint}: {e.Message}", e);
        }
        catch
        {
            await DisposeAsync(link, client).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Serves the session until it fails (connection lost, keepalive unanswered, the radio closes it) or <paramref name="cancellationToken"/> stops it (then CLOSE is sent).</summary>
    public async Task RunAsync(IAsyncDisposable link, CancellationToken cancellationToken)
    {
        var session = (HrnpLink)link;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The receive loop must never wait (it reads the DATA_ACKs the answering loop waits for): past 256 messages
        // behind, the oldest is dropped, and said so.
        var received = Channel.CreateBounded<HdapMessage>(
            new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
            dropped => LogDropped(settings.RadioId, dropped.Service.ToString(), dropped.Opcode));
        Volatile.Write(ref _link, session);
        LogServing(settings.RadioId, settings.RadioAddress.ToString(), settings.HrnpPort, settings.RadioSubnet);
        PublishLinkUp();
        Task[] loops =
        [
            ReceiveAsync(session, received.Writer, stop.Token),
            ServeAsync(session, received.Reader, stop.Token),
            KeepAliveAsync(session, stop.Token),
        ];
        try
        {
            var first = await Task.WhenAny(loops).ConfigureAwait(false);
            await first.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.CompareExchange(ref _link, null, session);
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(loops).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or TimeoutException)
            {
                // the first failure is the one reported
            }

            if (cancellationToken.IsCancellationRequested)
            {
                await CloseQuietlyAsync(session).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends a command's HDAP message through the control station and waits for the radio's DATA_ACK.</summary>
    public async Task SendAsync(ControlStationDatagram datagram, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        if (Refusal(datagram) is { } refusal)
        {
            throw new ControlStationAddressException(refusal);
        }

        var link = Volatile.Read(ref _link) ?? throw new RadioLinkDownException($"control station {settings.RadioId} is not connected");
        await SendWithWatchdogAsync(link, datagram, cancellationToken).ConfigureAwait(false);
        logger.Sent(datagram.Service, datagram.Destination.Address.ToString());
    }

    /// <summary>Unit datagrams must carry a radio IP of the configured subnet; group texts the group subnet 0.</summary>
    public string? Refusal(ControlStationDatagram datagram)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        var first = datagram.Destination.Address.GetAddressBytes()[0];
        return first == settings.RadioSubnet || (first == 0 && datagram.Destination.Port == HyteraPorts.TextMessage)
            ? null
            : $"{datagram.Destination.Address} is not a radio IP of subnet {settings.RadioSubnet} (or a group); nothing was sent";
    }

    private async Task SendWithWatchdogAsync(HrnpLink link, ControlStationDatagram datagram, CancellationToken cancellationToken)
    {
        try
        {
            await link.SendDataAsync(datagram.Payload, settings.TxTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TransmitWatchdogException($"control station {settings.RadioId} did not acknowledge the {datagram.Service} frame within {settings.TxTimeout.TotalSeconds:0} s");
        }
        catch (IOException e)
        {
            throw new RadioLinkDownException($"control station {settings.RadioId}: sending {datagram.Service} failed: {e.Message}");
        }
    }

    private async Task ReceiveAsync(HrnpLink link, ChannelWriter<HdapMessage> received, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await link.ReadFrameAsync(skip => LogSkipped(settings.RadioId, skip.ToString()), cancellationToken).ConfigureAwait(false);
            switch (link.Classify(frame))
            {
                case HrnpReceived.NewData:
                    await link.AcknowledgeAsync(frame, cancellationToken).ConfigureAwait(false);
                    if (Hdap.TryDecode(new ReadOnlySequence<byte>(frame.Data), out var message, out _, out var error) == DecodeStatus.Done && message is not null)
                    {
                        received.TryWrite(message);
                    }
                    else
                    {
                        logger.Undecodable("HDAP", 0, error.ToString());
                    }

                    break;
                case HrnpReceived.RepeatedData:
                    await link.AcknowledgeAsync(frame, cancellationToken).ConfigureAwait(false);
                    break;
                case HrnpReceived.DataAck:
                    link.Acknowledged(frame);
                    break;
                case HrnpReceived.CloseRequest:
                    await link.CloseAckAsync(cancellationToken).ConfigureAwait(false);
                    throw new IOException("the control station closed the HRNP session");
                default:
                    LogIgnoredFrame(settings.RadioId, frame.Opcode.ToString());
                    break;
            }
        }
    }

    /// <summary>Keepalive: an RCP radio id query, which the radio must acknowledge in time.</summary>
    private async Task KeepAliveAsync(HrnpLink link, CancellationToken cancellationToken)
    {
        var query = new ArrayBufferWriter<byte>(16);
        HyteraRcp.WriteRadioIdQuery(query);
        var frame = query.WrittenSpan.ToArray();
        while (true)
        {
            try
            {
                await link.SendDataAsync(frame, settings.KeepaliveTimeout, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new IOException($"no answer to the HRNP keepalive within {settings.KeepaliveTimeout.TotalSeconds:0.#} s: control station unplugged or switched off?");
            }

            await Task.Delay(settings.KeepaliveInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Handles what the radio sent, off the receive loop (answers wait for their DATA_ACK, which the receive loop delivers).</summary>
    private async Task ServeAsync(HrnpLink link, ChannelReader<HdapMessage> received, CancellationToken cancellationToken)
    {
        await foreach (var message in received.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (message.Service)
            {
                case HdapService.RadioRegistration:
                    await OnRrsAsync(link, message, cancellationToken).ConfigureAwait(false);
                    break;
                case HdapService.Location:
                    OnLp(message);
                    break;
                case HdapService.TextMessage:
                    await OnTmpAsync(link, message, cancellationToken).ConfigureAwait(false);
                    break;
                case HdapService.RadioControl when HyteraRcp.TryDecodeRadioIdReply(message, out var reply, out _) == DecodeStatus.Done:
                    if (Interlocked.Exchange(ref _stationRadioId, reply!.Value) != reply.Value)
                    {
                        LogStationRadioId(settings.RadioId, reply.Value);
                    }

                    break;
                default:
                    logger.Ignored(message.Service.ToString(), 0, $"0x{message.Opcode:X4}");
                    break;
            }
        }
    }

    private async Task OnRrsAsync(HrnpLink link, HdapMessage message, CancellationToken cancellationToken)
    {
        if (HyteraRrs.TryDecode(message, out var rrs, out var error) != DecodeStatus.Done || rrs is null)
        {
            logger.Undecodable("RRS", 0, error.ToString());
            return;
        }

        if (!rrs.IsRegistration && !rrs.IsGoingOffline)
        {
            logger.Ignored("RRS", rrs.RadioId, $"0x{rrs.Opcode:X4}");
            return;
        }

        var now = time.GetUtcNow();
        sink.Publish(new RegistrationChanged
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"registration.{rrs.RadioId}.{(rrs.IsRegistration ? "on" : "off")}.{EventIdTime.Of(now)}"),
            Time = now,
            Unit = roster.Unit(rrs.RadioId),
            Registered = rrs.IsRegistration,
            Protocol = "hytera-rrs",
        });

        if (rrs.IsRegistration)
        {
            // The RRS server's answer: accepted (result 0) with the renew time.
            await ReplyAsync(link, rrs.RadioId, HdapService.RadioRegistration, w => HyteraRrs.WriteRegistrationAnswer(w, rrs.RadioId, 0, settings.RegistrationRenewSeconds, settings.RadioSubnet), "hytera-rrs", cancellationToken).ConfigureAwait(false);
        }

        await TrackAsync(link, rrs.RadioId, rrs.IsRegistration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tracking policy: a triggered request when a radio registers, a stop when it goes offline (same request id as a <c>locate</c> command's).</summary>
    private async Task TrackAsync(HrnpLink link, uint unit, bool registered, CancellationToken cancellationToken)
    {
        if (settings.TrackingInterval <= TimeSpan.Zero)
        {
            return;
        }

        if (!_tracked.Change(unit, registered))
        {
            return;
        }

        var requestId = CommandEncoder.TriggerId(unit);
        var seconds = (int)settings.TrackingInterval.TotalSeconds;
        var sent = registered
            ? await ReplyAsync(link, unit, HdapService.Location, w => HyteraLp.WriteTriggeredRequest(w, requestId, unit, seconds, settings.RadioSubnet), "hytera-lp", cancellationToken).ConfigureAwait(false)
            : await ReplyAsync(link, unit, HdapService.Location, w => HyteraLp.WriteStop(w, HyteraLp.TriggeredStopRequest, requestId, unit, subnet: settings.RadioSubnet), "hytera-lp", cancellationToken).ConfigureAwait(false);
        if (sent)
        {
            logger.Tracking(unit, registered ? "started" : "stopped", seconds);
        }
        else if (registered)
        {
            _tracked.Forget(unit);
        }
    }

    private void OnLp(HdapMessage message)
    {
        if (HyteraLp.TryDecode(message, out var lp, out var error) != DecodeStatus.Done || lp is null)
        {
            logger.Undecodable("LP", 0, error.ToString());
            return;
        }

        if (lp.Opcode is HyteraLp.StandardRequest or HyteraLp.TriggeredRequest or HyteraLp.TriggeredStopRequest)
        {
            logger.Ignored("LP", lp.RadioId, $"request 0x{lp.Opcode:X4}");
            return;
        }

        if (lp.Fix is { } fix)
        {
            var position = _positions.Position(roster.Unit(lp.RadioId), fix, time.GetUtcNow(), "hytera-lp");
            sink.Publish(position);
            if (lp.IsEmergency)
            {
                sink.Publish(new EmergencyRaised { Id = position.Id.Replace("position.", "emergency.", StringComparison.Ordinal), Time = position.Time, Unit = position.Unit, Via = "hytera-lp" });
            }
        }
        else
        {
            logger.Answer("LP", lp.RadioId, string.Create(CultureInfo.InvariantCulture, $"0x{lp.Opcode:X4} request {lp.RequestId} result {lp.Result?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));
        }

        AnswerHeard?.Invoke(AnswerKeys.HyteraLp(lp.RadioId, lp.RequestId));
    }

    private async Task OnTmpAsync(HrnpLink link, HdapMessage message, CancellationToken cancellationToken)
    {
        if (HyteraTmp.TryDecode(message, out var tmp, out var error) != DecodeStatus.Done || tmp is null)
        {
            logger.Undecodable("TMP", 0, error.ToString());
            return;
        }

        if (tmp.IsAck)
        {
            AnswerHeard?.Invoke(AnswerKeys.HyteraTmp(tmp.SourceId, tmp.RequestId));
            return;
        }

        if (!tmp.IsText)
        {
            logger.Ignored("TMP", tmp.SourceId, $"service 0x{tmp.Service:X2}");
            return;
        }

        var now = time.GetUtcNow();
        sink.Publish(new TextMessageReceived
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"text.{tmp.SourceId}.{tmp.DestinationId}.{tmp.RequestId}.{EventIdTime.Of(now)}"),
            Time = now,
            From = roster.Unit(tmp.SourceId),
            To = new CallTarget(tmp.DestinationId, tmp.IsGroup ? TargetType.Group : TargetType.Unit),
            Text = tmp.Text ?? "",
            Protocol = "hytera-tmp",
            AckRequested = tmp.Confirmed,
        });
        if (tmp.Confirmed)
        {
            await ReplyAsync(link, tmp.SourceId, HdapService.TextMessage, w => HyteraTmp.WriteAck(w, tmp.IsGroup, tmp.RequestId, tmp.SourceId, tmp.DestinationId, subnet: settings.RadioSubnet), "hytera-tmp", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An HDAP message the gateway sends on its own (protocol answer, tracking): booked with the limiter; dropped with a warning when it refuses or the radio does not acknowledge it.</summary>
    private async Task<bool> ReplyAsync(HrnpLink link, uint unit, HdapService service, Action<IBufferWriter<byte>> write, string protocol, CancellationToken cancellationToken)
    {
        var payload = new ArrayBufferWriter<byte>(64);
        write(payload);
        var datagram = new ControlStationDatagram(new IPEndPoint(settings.UnitAddress(unit), HyteraStationSettings.PortOf(service)), payload.WrittenSpan.ToArray(), protocol);
        if (limiter is not null && !limiter.TryAcquire(unit, datagram.Airtime, out var retryAfter, out var limit))
        {
            logger.ReplyHeld(protocol, unit, limit!, retryAfter.TotalSeconds);
            return false;
        }

        try
        {
            await link.SendDataAsync(datagram.Payload, settings.TxTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogReplyUnacknowledged(protocol, unit, settings.TxTimeout.TotalSeconds);
            return false;
        }

        logger.Sent(protocol, datagram.Destination.Address.ToString());
        return true;
    }

    private async Task CloseQuietlyAsync(HrnpLink link)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1), time);
        try
        {
            await link.CloseAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the connection is going anyway
        }
    }

    private static async ValueTask DisposeAsync(HrnpLink? link, TcpClient client)
    {
        if (link is not null)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }

        client.Dispose();
    }

    private void PublishLinkUp()
    {
        var now = time.GetUtcNow();
        sink.Publish(new ModemStatusChanged
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{settings.RadioId}.link.{EventIdTime.Of(now)}.up.{Interlocked.Increment(ref _eventCounter)}"),
            Time = now,
            RadioId = settings.RadioId,
            LinkUp = true,
            Description = "Hytera control station",
            Detail = string.Create(CultureInfo.InvariantCulture, $"HRNP session with {settings.RadioAddress}:{settings.HrnpPort}; radios on subnet {settings.RadioSubnet}"),
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio}: Hytera control station HRNP session open with {Address}:{Port}; radio IPs on subnet {Subnet}")]
    private partial void LogServing(string radio, string address, int port, int subnet);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Radio}: the control station's own radio id is {StationRadioId}")]
    private partial void LogStationRadioId(string radio, uint stationRadioId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: {Service} message 0x{Opcode:X4} dropped: 256 messages from the control station are waiting to be handled")]
    private partial void LogDropped(string radio, string service, ushort opcode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: HRNP bytes skipped: {Problem}")]
    private partial void LogSkipped(string radio, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Radio}: HRNP {Opcode} frame needs no action")]
    private partial void LogIgnoredFrame(string radio, string opcode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} to radio {Unit} not acknowledged by the control station within {TimeoutSeconds:0} s")]
    private partial void LogReplyUnacknowledged(string service, uint unit, double timeoutSeconds);
}
