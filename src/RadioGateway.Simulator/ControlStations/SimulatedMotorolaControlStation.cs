using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Transport.Ip;

namespace RadioGateway.Simulator.ControlStations;

/// <summary>Where the simulated MOTOTRBO control station's gateway listens and which loopback addresses its radios take.</summary>
public sealed record SimulatedMotorolaOptions
{
    /// <summary>The gateway's address (the PC side of the control station): 127.0.0.1 by default.</summary>
    public IPAddress GatewayAddress { get; init; } = IPAddress.Loopback;

    public int ArsPort { get; init; } = Ars.Port;

    public int LrrpPort { get; init; } = Lrrp.Port;

    public int TmsPort { get; init; } = Tms.Port;

    /// <summary>CAI networks of the simulated radios: the unit network must be 127 so every radio address is on loopback.</summary>
    public CaiNetworks Networks { get; init; } = new(127, 127);

    /// <summary>Units that hear but never answer (a radio out of range).</summary>
    public IReadOnlySet<uint> SilentUnits { get; init; } = new HashSet<uint> { SimulatedModemOptions.DefaultSilentUnit };

    /// <summary>Play the scenario's data again after it ends.</summary>
    public bool Loop { get; init; } = true;
}

/// <summary>
/// A simulated MOTOTRBO control station and the field radios behind it, all on loopback: each radio owns its CAI
/// address in 127.0.0.0/8 (network 127 instead of 12, so no route is needed) with its ARS, LRRP and TMS ports, sends
/// the scenario's registrations, positions and texts to the gateway, and answers like a real radio: ARS answers
/// are taken, texts acknowledged, immediate requests reported, triggered requests answered and reported every
/// interval until stopped — except the silent units, which answer nothing.
/// </summary>
public sealed partial class SimulatedMotorolaControlStation(Scenario scenario, SimulatedMotorolaOptions options, TimeProvider time, ILogger<SimulatedMotorolaControlStation> logger)
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _triggers = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, RadioSockets> _radios = [];
    private int _tmsSequence;

    /// <summary>The units behind the station: the scenario's default units and every unit its data names.</summary>
    public IReadOnlyCollection<uint> Units => _radios.Keys;

    /// <summary>Binds every radio's ports, then plays the scenario and answers until cancelled.</summary>
    /// <exception cref="IOException">A radio address is not on loopback or its port is taken.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.Networks.UnitNetwork != 127)
        {
            throw new IOException($"simulated radios live on loopback: the unit network must be 127, not {options.Networks.UnitNetwork}");
        }

        var units = Scenario.DefaultUnits.Select(u => u.Id).Concat((scenario.Data ?? []).Select(d => d.Source)).Distinct().Where(u => u != Scenario.DispatcherId);
        try
        {
            foreach (var unit in units)
            {
                var address = options.Networks.UnitAddress(unit);
                _radios[unit] = new RadioSockets(
                    UdpServiceSocket.Bind(address, options.ArsPort, "ARS"),
                    UdpServiceSocket.Bind(address, options.LrrpPort, "LRRP"),
                    UdpServiceSocket.Bind(address, options.TmsPort, "TMS"));
            }

            LogReady(options.GatewayAddress.ToString(), _radios.Count, options.ArsPort, options.LrrpPort, options.TmsPort);
            var loops = _radios.SelectMany(r => new[]
            {
                ListenAsync(r.Key, r.Value.Ars, cancellationToken),
                ListenAsync(r.Key, r.Value.Lrrp, cancellationToken),
                ListenAsync(r.Key, r.Value.Tms, cancellationToken),
            }).Append(PlayAsync(cancellationToken)).ToList();
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            foreach (var trigger in _triggers.Values)
            {
                await trigger.CancelAsync().ConfigureAwait(false);
            }

            foreach (var radio in _radios.Values)
            {
                radio.Dispose();
            }

            _radios.Clear();
        }
    }

    private async Task PlayAsync(CancellationToken cancellationToken)
    {
        var data = (scenario.Data ?? []).OrderBy(d => d.At).ToList();
        if (data.Count == 0)
        {
            return;
        }

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

    /// <summary>One scenario data item as a MOTOTRBO radio sends it (Hytera kinds are played as their MOTOTRBO counterparts).</summary>
    private async Task SendScenarioItemAsync(ScenarioData item, CancellationToken cancellationToken)
    {
        if (!_radios.TryGetValue(item.Source, out var radio))
        {
            return;
        }

        var payload = new ArrayBufferWriter<byte>(128);
        UdpServiceSocket socket;
        int port;
        switch (item.Kind)
        {
            case "ars-register" or "hytera-rrs-register":
                Ars.WriteDeviceRegistration(payload, item.Source.ToString(CultureInfo.InvariantCulture));
                (socket, port) = (radio.Ars, options.ArsPort);
                break;
            case "ars-deregister" or "hytera-rrs-offline":
                Ars.WriteDeregistration(payload);
                (socket, port) = (radio.Ars, options.ArsPort);
                break;
            case "tms-text" or "hytera-tmp-text":
                Tms.WriteText(payload, item.Text ?? "", Interlocked.Increment(ref _tmsSequence) & 0x7F, ackRequested: true);
                (socket, port) = (radio.Tms, options.TmsPort);
                break;
            case "lrrp-position" or "hytera-lp-position":
                var fix = new GeoFix(item.Latitude, item.Longitude, SpeedKmh: item.SpeedKmh, HeadingDeg: item.HeadingDeg, FixTime: WholeSeconds(time.GetUtcNow()));
                Lrrp.WriteReport(payload, LrrpDocument.UnsolicitedReport, [], fix);
                (socket, port) = (radio.Lrrp, options.LrrpPort);
                break;
            default:
                return;
        }

        await socket.SendAsync(payload.WrittenMemory, new IPEndPoint(options.GatewayAddress, port), cancellationToken).ConfigureAwait(false);
        LogSent(item.Source, item.Kind);
    }

    private async Task ListenAsync(uint unit, UdpServiceSocket socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            byte[] payload;
            IPEndPoint from;
            try
            {
                (payload, from) = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await AnswerAsync(unit, socket, payload, from, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(uint unit, UdpServiceSocket socket, byte[] payload, IPEndPoint gateway, CancellationToken cancellationToken)
    {
        var silent = options.SilentUnits.Contains(unit);
        var input = new ReadOnlySequence<byte>(payload);
        var answer = new ArrayBufferWriter<byte>(128);
        string what;
        string text = "";
        if (socket.Service == "TMS" && Tms.TryDecode(input, out var tms, out _, out _) == DecodeStatus.Done && tms is { Type: TmsPduType.SimpleText })
        {
            what = "tms text";
            text = tms.Text ?? "";
            if (tms.AckRequested && tms.SequenceNumber is { } sequence)
            {
                Tms.WriteAcknowledgement(answer, sequence);
            }
        }
        else if (socket.Service == "LRRP" && Lrrp.TryDecode(input, out var lrrp, out _, out _) == DecodeStatus.Done && lrrp is { IsRequest: true })
        {
            what = "lrrp " + lrrp.Document;
            var trigger = $"{unit}:{lrrp.RequestIdHex}";
            switch (lrrp.Document)
            {
                case LrrpDocument.ImmediateRequest:
                    Lrrp.WriteReport(answer, LrrpDocument.ImmediateReport, lrrp.RequestId, PositionOf(unit));
                    break;
                case LrrpDocument.TriggeredRequest:
                    Lrrp.WriteAnswer(answer, LrrpDocument.TriggeredAnswer, lrrp.RequestId, resultCode: 0);
                    if (!silent && lrrp.IntervalSeconds is > 0 and var interval)
                    {
                        StartReporting(unit, socket, gateway, lrrp.RequestId, trigger, TimeSpan.FromSeconds(interval), cancellationToken);
                    }

                    break;
                case LrrpDocument.StopRequest:
                    Lrrp.WriteAnswer(answer, LrrpDocument.StopAnswer, lrrp.RequestId, resultCode: 0);
                    if (_triggers.TryRemove(trigger, out var running))
                    {
                        await running.CancelAsync().ConfigureAwait(false);
                        running.Dispose();
                    }

                    break;
            }
        }
        else if (socket.Service == "ARS" && Ars.TryDecode(input, out var ars, out _, out _) == DecodeStatus.Done && ars is { Type: ArsPduType.Response })
        {
            what = ars.Acknowledged ? $"ars refusal (reason {ars.FailureReason})" : "ars registration accepted";
        }
        else
        {
            what = $"undecodable {socket.Service} datagram";
        }

        LogReceived(unit, silent ? what + " (silent)" : what, text);
        if (!silent && answer.WrittenCount > 0)
        {
            await socket.SendAsync(answer.WrittenMemory, gateway, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Triggered reports every <paramref name="interval"/> until a stop request (a new trigger with the same id replaces the old).</summary>
    private void StartReporting(uint unit, UdpServiceSocket socket, IPEndPoint gateway, byte[] requestId, string trigger, TimeSpan interval, CancellationToken cancellationToken)
    {
        var reporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_triggers.TryRemove(trigger, out var previous))
        {
            previous.Cancel();
            previous.Dispose();
        }

        _triggers[trigger] = reporting;
        LogReporting(unit, interval.TotalSeconds);
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(interval, time, reporting.Token).ConfigureAwait(false);
                    var report = new ArrayBufferWriter<byte>(64);
                    Lrrp.WriteReport(report, LrrpDocument.TriggeredReport, requestId, PositionOf(unit));
                    await socket.SendAsync(report.WrittenMemory, gateway, reporting.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // stopped, replaced, or the station shut down
            }
        }, CancellationToken.None);
    }

    /// <summary>Where a unit is: on its default route, else near Tehran; fixes come in whole seconds.</summary>
    private GeoFix PositionOf(uint unit)
    {
        var route = Scenario.DefaultRoutes.FirstOrDefault(r => r.Unit == unit);
        var (latitude, longitude) = route.Unit == unit ? (route.Latitude, route.Longitude) : (35.70 + (unit % 100 * 0.001), 51.40 + (unit % 100 * 0.001));
        return new GeoFix(latitude, longitude, SpeedKmh: 0, HeadingDeg: 0, FixTime: WholeSeconds(time.GetUtcNow()));
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset now) => now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond));

    private sealed record RadioSockets(UdpServiceSocket Ars, UdpServiceSocket Lrrp, UdpServiceSocket Tms) : IDisposable
    {
        public void Dispose()
        {
            Ars.Dispose();
            Lrrp.Dispose();
            Tms.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated MOTOTRBO control station for gateway {Gateway}: {Radios} radios on 127.0.0.0/8 (ARS {Ars}, LRRP {Lrrp}, TMS {Tms})")]
    private partial void LogReady(string gateway, int radios, int ars, int lrrp, int tms);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated radio {Unit} received {What} {Text}")]
    private partial void LogReceived(uint unit, string what, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated radio {Unit} sent {Kind}")]
    private partial void LogSent(uint unit, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated radio {Unit} reports its position every {IntervalSeconds} s")]
    private partial void LogReporting(uint unit, double intervalSeconds);
}
