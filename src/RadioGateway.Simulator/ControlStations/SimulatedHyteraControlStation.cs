using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;

namespace RadioGateway.Simulator.ControlStations;

/// <summary>Where the simulated Hytera control station listens for the gateway's HRNP session.</summary>
public sealed record SimulatedHyteraOptions
{
    /// <summary>The station's address: loopback only (127.0.0.0/8).</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    public int HrnpPort { get; init; } = 30007;

    /// <summary>First octet of radio IPs.</summary>
    public byte RadioSubnet { get; init; } = 10;

    /// <summary>The control station's own radio id (its answer to the RCP radio id query).</summary>
    public uint StationRadioId { get; init; } = 3120000;

    /// <summary>Units that hear but never answer (a radio out of range); the station still acknowledges the frame.</summary>
    public IReadOnlySet<uint> SilentUnits { get; init; } = new HashSet<uint> { SimulatedModemOptions.DefaultSilentUnit };

    /// <summary>Play the scenario's data again after it ends.</summary>
    public bool Loop { get; init; } = true;
}

/// <summary>
/// A simulated Hytera control station and the field radios behind it, on loopback: it listens for the gateway's
/// TCP connection on its HRNP port, accepts the session, acknowledges every DATA frame (DATA_ACK with its packet
/// number) and answers the keepalive (RCP radio id query). Once a gateway is connected it plays the scenario's data
/// as HDAP messages from the radios (RRS registrations and offline notices, LP reports, confirmed TMP texts to the
/// dispatcher; the MOTOTRBO kinds are played as their Hytera counterparts) and answers like real radios: texts
/// acknowledged, standard requests reported, triggered requests answered then reported every interval until
/// stopped — except the silent units, which answer nothing.
/// </summary>
public sealed partial class SimulatedHyteraControlStation(Scenario scenario, SimulatedHyteraOptions options, TimeProvider time, ILogger<SimulatedHyteraControlStation> logger)
{
    private readonly ConcurrentDictionary<uint, CancellationTokenSource> _triggers = new();
    private readonly TaskCompletionSource _firstSession = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StationSession? _session;
    private uint _requestId;

    /// <summary>Listens, serves gateway sessions one at a time and plays the scenario, until cancelled.</summary>
    /// <exception cref="IOException">The address is not on loopback or the port is taken.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!IPAddress.IsLoopback(options.ListenAddress))
        {
            throw new IOException($"the simulated control station lives on loopback: {options.ListenAddress} is not in 127.0.0.0/8");
        }

        var listener = new TcpListener(options.ListenAddress, options.HrnpPort);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot listen on TCP {options.ListenAddress}:{options.HrnpPort} for HRNP: {e.Message}", e);
        }

        LogReady(options.ListenAddress.ToString(), options.HrnpPort, options.RadioSubnet);
        try
        {
            await Task.WhenAll(AcceptAsync(listener, cancellationToken), PlayAsync(cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            listener.Stop();
            foreach (var trigger in _triggers.Values)
            {
                await trigger.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            client.NoDelay = true;
            var session = new StationSession(client);
            var previous = Interlocked.Exchange(ref _session, session);
            previous?.Dispose();
            _ = Task.Run(() => ServeAsync(session, cancellationToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(StationSession session, CancellationToken cancellationToken)
    {
        var reader = new HrnpFrameReader();
        var buffered = Array.Empty<byte>();
        var chunk = new byte[2048];
        try
        {
            while (true)
            {
                var buffer = new ReadOnlySequence<byte>(buffered);
                var status = reader.TryRead(ref buffer, out var frame, out _);
                if (status == DecodeStatus.NeedMoreData)
                {
                    var read = await session.Stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    buffered = [.. buffered, .. chunk.AsSpan(0, read)];
                    continue;
                }

                buffered = buffer.ToArray();
                if (frame is not null)
                {
                    await OnFrameAsync(session, frame, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // the gateway went away, or the station stops
        }
        finally
        {
            Interlocked.CompareExchange(ref _session, null, session);
            session.Dispose();
            LogGatewayLeft();
        }
    }

    private async Task OnFrameAsync(StationSession session, HrnpFrame frame, CancellationToken cancellationToken)
    {
        switch (session.Hrnp.Receive(frame))
        {
            case HrnpReceived.ConnectRequest:
                await session.WriteAsync(session.Hrnp.Accept(), cancellationToken).ConfigureAwait(false);
                LogGatewayConnected();
                _firstSession.TrySetResult();
                break;
            case HrnpReceived.CloseRequest:
                await session.WriteAsync(session.Hrnp.CloseAck(), cancellationToken).ConfigureAwait(false);
                break;
            case HrnpReceived.NewData:
                await session.WriteAsync(session.Hrnp.AckOf(frame), cancellationToken).ConfigureAwait(false);
                if (Hdap.TryDecode(new ReadOnlySequence<byte>(frame.Data), out var message, out _, out _) == DecodeStatus.Done && message is not null)
                {
                    await AnswerAsync(session, message, cancellationToken).ConfigureAwait(false);
                }

                break;
            case HrnpReceived.RepeatedData:
                await session.WriteAsync(session.Hrnp.AckOf(frame), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task AnswerAsync(StationSession session, HdapMessage message, CancellationToken cancellationToken)
    {
        var answer = new ArrayBufferWriter<byte>(128);
        uint unit;
        string what;
        var text = "";
        switch (message.Service)
        {
            case HdapService.RadioControl when message.Opcode == HyteraRcp.RadioIdQueryRequest:
                // The control station itself answers: no field radio involved.
                HyteraRcp.WriteRadioIdReply(answer, options.StationRadioId);
                await session.SendDataAsync(answer.WrittenSpan.ToArray(), cancellationToken).ConfigureAwait(false);
                return;
            case HdapService.TextMessage when HyteraTmp.TryDecode(message, out var tmp, out _) == DecodeStatus.Done && tmp is { IsText: true }:
                (unit, what, text) = (tmp.DestinationId, "tmp text", tmp.Text ?? "");
                if (tmp.Confirmed)
                {
                    HyteraTmp.WriteAck(answer, tmp.IsGroup, tmp.RequestId, tmp.SourceId, tmp.DestinationId, subnet: options.RadioSubnet);
                }

                break;
            case HdapService.TextMessage when HyteraTmp.TryDecode(message, out var tmpAck, out _) == DecodeStatus.Done && tmpAck is { IsAck: true }:
                (unit, what) = (tmpAck.DestinationId, $"tmp ack of request {tmpAck.RequestId}");
                break;
            case HdapService.Location when HyteraLp.TryDecode(message, out var lp, out _) == DecodeStatus.Done && lp is not null:
                unit = lp.RadioId;
                what = lp.Opcode switch
                {
                    HyteraLp.StandardRequest => "lp standard request",
                    HyteraLp.TriggeredRequest => "lp triggered request",
                    HyteraLp.TriggeredStopRequest => "lp stop request",
                    _ => $"lp 0x{lp.Opcode:X4}",
                };
                var silentUnit = options.SilentUnits.Contains(unit);
                switch (lp.Opcode)
                {
                    case HyteraLp.StandardRequest:
                        HyteraLp.WriteReport(answer, HyteraLp.StandardReport, lp.RequestId, unit, PositionOf(unit), subnet: options.RadioSubnet);
                        break;
                    case HyteraLp.TriggeredRequest:
                        HyteraLp.WriteStop(answer, HyteraLp.TriggeredAnswer, lp.RequestId, unit, subnet: options.RadioSubnet);
                        if (!silentUnit && lp.IntervalSeconds is > 0 and var interval)
                        {
                            StartReporting(unit, lp.RequestId, TimeSpan.FromSeconds(interval), cancellationToken);
                        }

                        break;
                    case HyteraLp.TriggeredStopRequest:
                        HyteraLp.WriteStop(answer, HyteraLp.TriggeredStopAnswer, lp.RequestId, unit, subnet: options.RadioSubnet);
                        if (_triggers.TryRemove(unit, out var running))
                        {
                            await running.CancelAsync().ConfigureAwait(false);
                            running.Dispose();
                        }

                        break;
                }

                break;
            case HdapService.RadioRegistration when HyteraRrs.TryDecode(message, out var rrs, out _) == DecodeStatus.Done && rrs is not null:
                (unit, what) = (rrs.RadioId, rrs.Opcode == HyteraRrs.RegistrationAnswer ? $"rrs registration answer (result {rrs.Result})" : $"rrs 0x{rrs.Opcode:X4}");
                break;
            default:
                LogUnknown(message.Service.ToString(), message.Opcode);
                return;
        }

        var silent = options.SilentUnits.Contains(unit);
        LogReceived(unit, silent ? what + " (silent)" : what, text);
        if (!silent && answer.WrittenCount > 0)
        {
            await session.SendDataAsync(answer.WrittenSpan.ToArray(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Triggered reports every <paramref name="interval"/> until a stop request (a new trigger replaces the old).</summary>
    private void StartReporting(uint unit, uint requestId, TimeSpan interval, CancellationToken cancellationToken)
    {
        var reporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_triggers.TryRemove(unit, out var previous))
        {
            previous.Cancel();
            previous.Dispose();
        }

        _triggers[unit] = reporting;
        LogReporting(unit, interval.TotalSeconds);
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(interval, time, reporting.Token).ConfigureAwait(false);
                    var report = new ArrayBufferWriter<byte>(64);
                    HyteraLp.WriteReport(report, HyteraLp.TriggeredReport, requestId, unit, PositionOf(unit), subnet: options.RadioSubnet);
                    if (Volatile.Read(ref _session) is { } session)
                    {
                        await session.SendDataAsync(report.WrittenSpan.ToArray(), reporting.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
            {
                // stopped, replaced, or the station shut down
            }
        }, CancellationToken.None);
    }

    private async Task PlayAsync(CancellationToken cancellationToken)
    {
        var data = (scenario.Data ?? []).OrderBy(d => d.At).ToList();
        if (data.Count == 0)
        {
            return;
        }

        await _firstSession.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            var start = time.GetUtcNow();
            foreach (var item in data)
            {
                var wait = start + item.At - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }

                await SendScenarioItemAsync(item, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken).ConfigureAwait(false);
        }
        while (options.Loop && !cancellationToken.IsCancellationRequested);
    }

    /// <summary>One scenario data item as a Hytera radio sends it (MOTOTRBO kinds are played as their Hytera counterparts).</summary>
    private async Task SendScenarioItemAsync(ScenarioData item, CancellationToken cancellationToken)
    {
        var payload = new ArrayBufferWriter<byte>(128);
        switch (item.Kind)
        {
            case "hytera-rrs-register" or "ars-register":
                HyteraRrs.Write(payload, HyteraRrs.Registration, item.Source, subnet: options.RadioSubnet);
                break;
            case "hytera-rrs-offline" or "ars-deregister":
                HyteraRrs.Write(payload, HyteraRrs.GoingOffline, item.Source, subnet: options.RadioSubnet);
                break;
            case "hytera-tmp-text" or "tms-text":
                HyteraTmp.WriteText(payload, group: false, confirmed: true, Interlocked.Increment(ref _requestId), item.Target, item.Source, item.Text ?? "", options.RadioSubnet);
                break;
            case "hytera-lp-position" or "lrrp-position":
                var fix = new GeoFix(item.Latitude, item.Longitude, SpeedKmh: item.SpeedKmh, HeadingDeg: item.HeadingDeg, FixTime: WholeSeconds(time.GetUtcNow()));
                HyteraLp.WriteReport(payload, HyteraLp.ConditionReport, 0, item.Source, fix, subnet: options.RadioSubnet);
                break;
            default:
                return;
        }

        if (Volatile.Read(ref _session) is not { } session)
        {
            LogNoGateway(item.Source, item.Kind);
            return;
        }

        try
        {
            await session.SendDataAsync(payload.WrittenSpan.ToArray(), cancellationToken).ConfigureAwait(false);
            LogSent(item.Source, item.Kind);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            LogNoGateway(item.Source, item.Kind);
        }
    }

    /// <summary>Where a unit is: on its default route, else near Tehran; fixes come in whole seconds.</summary>
    private GeoFix PositionOf(uint unit)
    {
        var route = Scenario.DefaultRoutes.FirstOrDefault(r => r.Unit == unit);
        var (latitude, longitude) = route.Unit == unit ? (route.Latitude, route.Longitude) : (35.70 + (unit % 100 * 0.001), 51.40 + (unit % 100 * 0.001));
        return new GeoFix(latitude, longitude, SpeedKmh: 0, HeadingDeg: 0, FixTime: WholeSeconds(time.GetUtcNow()));
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset now) => now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond));

    /// <summary>One gateway connection: the radio's side of the HRNP session.</summary>
    private sealed class StationSession(TcpClient client) : IDisposable
    {
        private readonly SemaphoreSlim _writeGate = new(1, 1);
        private readonly Lock _numbering = new();

        public NetworkStream Stream { get; } = client.GetStream();

        public HrnpSession Hrnp { get; } = new(HrnpSession.RadioNode, HrnpSession.PcNode);

        /// <summary>Sends one HDAP message in a DATA frame (the gateway's DATA_ACK is not waited for).</summary>
        public Task SendDataAsync(byte[] hdap, CancellationToken cancellationToken)
        {
            HrnpFrame frame;
            lock (_numbering)
            {
                frame = Hrnp.Data(hdap);
            }

            return WriteAsync(frame, cancellationToken);
        }

        public async Task WriteAsync(HrnpFrame frame, CancellationToken cancellationToken)
        {
            var output = new ArrayBufferWriter<byte>();
            Protocols.Hytera.Hrnp.Write(output, frame);
            await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Stream.WriteAsync(output.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeGate.Release();
            }
        }

        public void Dispose() => client.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated Hytera control station listening for the gateway's HRNP session on {Address}:{Port}; radio IPs on subnet {Subnet}")]
    private partial void LogReady(string address, int port, int subnet);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated Hytera control station: gateway connected, HRNP session accepted")]
    private partial void LogGatewayConnected();

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated Hytera control station: gateway connection closed")]
    private partial void LogGatewayLeft();

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated radio {Unit} received {What} {Text}")]
    private partial void LogReceived(uint unit, string what, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated radio {Unit} sent {Kind}")]
    private partial void LogSent(uint unit, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulated radio {Unit}: {Kind} not sent, no gateway connected")]
    private partial void LogNoGateway(uint unit, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated radio {Unit} reports its position every {IntervalSeconds} s")]
    private partial void LogReporting(uint unit, double intervalSeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulated Hytera control station: {Service} 0x{Opcode:X4} needs no answer")]
    private partial void LogUnknown(string service, ushort opcode);
}
