using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Commands;
using RadioGateway.Core.ControlStations;
using RadioGateway.Core.ControlStations.Motorola;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Transport.Ip;

namespace RadioGateway.Core.Tests.ControlStations;

/// <summary>
/// The MOTOTRBO control-station session over real UDP sockets on loopback: the gateway binds 127.0.0.1, each test
/// radio owns its CAI address on network 127 (unit 3120101 is 127.47.155.229), as the simulated station does.
/// </summary>
public sealed class MotorolaControlStationTests : IAsyncDisposable
{
    private const uint Unit = 3120101;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly EventChannel _sink = new();
    private readonly MotorolaStationSettings _settings;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(2));
    private readonly List<IDisposable> _sockets = [];

    public MotorolaControlStationTests()
    {
        var ports = FreeUdpPorts(3);
        _settings = new MotorolaStationSettings
        {
            RadioId = "cs1",
            LocalAddress = IPAddress.Loopback,
            ArsPort = ports[0],
            LrrpPort = ports[1],
            TmsPort = ports[2],
            Networks = new CaiNetworks(127, 127),
            DispatcherId = 3120001,
            ArsRefreshHalfHours = 2,
            LinkCheckInterval = TimeSpan.FromMilliseconds(50),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _sockets.ForEach(s => s.Dispose());
        _stop.Dispose();
    }

    private static int[] FreeUdpPorts(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ => UdpServiceSocket.Bind(IPAddress.Loopback, 0, "probe")).ToList();
        var ports = sockets.Select(s => s.LocalEndPoint.Port).ToArray();
        sockets.ForEach(s => s.Dispose());
        return ports;
    }

    private MotorolaControlStation Station(MotorolaStationSettings? settings = null, TransmitLimiter? limiter = null, Func<IPAddress, bool>? isUp = null) =>
        new(settings ?? _settings, UnitRoster.Empty, _sink, TimeProvider.System, NullLogger<MotorolaControlStation>.Instance, limiter, isUp);

    /// <summary>Opens and serves the station until the test ends.</summary>
    private async Task<MotorolaControlStation> ServingAsync(MotorolaStationSettings? settings = null, TransmitLimiter? limiter = null)
    {
        var station = Station(settings, limiter);
        var link = await station.OpenAsync(_stop.Token);
        _ = station.RunAsync(link, _stop.Token).ContinueWith(_ => link.DisposeAsync(), TaskScheduler.Default);
        await _sink.NextAsync<ModemStatusChanged>(e => e.LinkUp, Patience);
        return station;
    }

    /// <summary>A field radio's socket for one service, at its CAI address.</summary>
    private UdpServiceSocket Radio(uint unit, int port)
    {
        var socket = UdpServiceSocket.Bind(_settings.Networks.UnitAddress(unit), port, "radio");
        _sockets.Add(socket);
        return socket;
    }

    private static byte[] Written(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private async Task<T> ReceiveAsync<T>(UdpServiceSocket radio, Func<ReadOnlySequence<byte>, (DecodeStatus, T?)> decode)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(Patience);
        var (payload, _) = await radio.ReceiveAsync(timeout.Token);
        var (status, message) = decode(new ReadOnlySequence<byte>(payload));
        Assert.Equal(DecodeStatus.Done, status);
        return message!;
    }

    private static (DecodeStatus, ArsMessage?) DecodeArs(ReadOnlySequence<byte> input) => (Ars.TryDecode(input, out var m, out _, out _), m);

    private static (DecodeStatus, LrrpMessage?) DecodeLrrp(ReadOnlySequence<byte> input) => (Lrrp.TryDecode(input, out var m, out _, out _), m);

    private static (DecodeStatus, TmsMessage?) DecodeTms(ReadOnlySequence<byte> input) => (Tms.TryDecode(input, out var m, out _, out _), m);

    [Fact]
    public async Task A_registration_is_published_answered_and_tracked_and_a_deregistration_stops_the_tracking()
    {
        var limiter = new TransmitLimiter(new TransmitLimits { MaxPerUnitPerMinute = 3 }, TimeProvider.System);
        await ServingAsync(_settings with { TrackingInterval = TimeSpan.FromSeconds(60) }, limiter);
        var ars = Radio(Unit, _settings.ArsPort);
        var lrrp = Radio(Unit, _settings.LrrpPort);
        var gatewayArs = new IPEndPoint(IPAddress.Loopback, _settings.ArsPort);

        await ars.SendAsync(Written(w => Ars.WriteDeviceRegistration(w, "3120101")), gatewayArs, _stop.Token);

        var online = await _sink.NextAsync<RegistrationChanged>(_ => true, Patience);
        Assert.True(online.Registered);
        Assert.Equal(Unit, online.Unit.Id);
        Assert.Equal("ars", online.Protocol);
        var answer = await ReceiveAsync(ars, DecodeArs);
        Assert.Equal(ArsPduType.Response, answer.Type);
        Assert.False(answer.Acknowledged); // bit 6 clear: success
        Assert.Equal(60, answer.RefreshMinutes);
        var trigger = await ReceiveAsync(lrrp, DecodeLrrp);
        Assert.Equal(LrrpDocument.TriggeredRequest, trigger.Document);
        Assert.Equal(60, trigger.IntervalSeconds);
        Assert.Equal(CommandEncoder.TriggerId(Unit), BinaryPrimitives.ReadUInt32BigEndian(trigger.RequestId));

        await ars.SendAsync(Written(Ars.WriteDeregistration), gatewayArs, _stop.Token);

        var offline = await _sink.NextAsync<RegistrationChanged>(_ => true, Patience);
        Assert.False(offline.Registered);
        var stop = await ReceiveAsync(lrrp, DecodeLrrp);
        Assert.Equal(LrrpDocument.StopRequest, stop.Document);
        Assert.Equal(trigger.RequestIdHex, stop.RequestIdHex);
        // The ARS answer, the trigger and the stop were each booked as one transmission to the unit: its limit of 3 is used up.
        Assert.False(limiter.WouldAllow(Unit, TimeSpan.Zero, out _, out var limit, out var unitLimit));
        Assert.True(unitLimit, limit);
    }

    [Fact]
    public async Task A_persian_text_is_published_and_acknowledged_with_its_sequence_number()
    {
        await ServingAsync();
        var tms = Radio(Unit, _settings.TmsPort);

        await tms.SendAsync(Written(w => Tms.WriteText(w, "درخواست نیروی کمکی در خیابان ولیعصر", 9, ackRequested: true)), new IPEndPoint(IPAddress.Loopback, _settings.TmsPort), _stop.Token);

        var text = await _sink.NextAsync<TextMessageReceived>(_ => true, Patience);
        Assert.Equal("درخواست نیروی کمکی در خیابان ولیعصر", text.Text);
        Assert.Equal(Unit, text.From.Id);
        Assert.Equal(new CallTarget(3120001, TargetType.Unit), text.To);
        Assert.Equal(9, text.SequenceNumber);
        var ack = await ReceiveAsync(tms, DecodeTms);
        Assert.Equal(TmsPduType.Acknowledgement, ack.Type);
        Assert.Equal(9, ack.SequenceNumber);
    }

    [Theory]
    [InlineData(35.6892, 51.389)] // north, east (Tehran)
    [InlineData(-34.6037, -58.3816)] // south, west (Buenos Aires)
    [InlineData(38.7223, -9.1393)] // north, west (Lisbon)
    [InlineData(-33.8688, 151.2093)] // south, east (Sydney)
    public async Task Location_reports_in_every_hemisphere_become_positions_and_answers(double latitude, double longitude)
    {
        var station = await ServingAsync();
        var answers = Channel.CreateUnbounded<string>();
        station.AnswerHeard += key => answers.Writer.TryWrite(key);
        var lrrp = Radio(Unit, _settings.LrrpPort);
        var fix = new GeoFix(latitude, longitude, SpeedKmh: 40, HeadingDeg: 90, FixTime: new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

        await lrrp.SendAsync(Written(w => Lrrp.WriteReport(w, LrrpDocument.ImmediateReport, [0x00, 0x00, 0x00, 0x05], fix)), new IPEndPoint(IPAddress.Loopback, _settings.LrrpPort), _stop.Token);

        var position = await _sink.NextAsync<PositionReported>(_ => true, Patience);
        Assert.Equal(latitude, position.Lat, 5);
        Assert.Equal(longitude, position.Lon, 5);
        Assert.Equal("lrrp", position.Via);
        Assert.Equal(AnswerKeys.Lrrp(Unit, "00000005"), await answers.Reader.ReadAsync(_stop.Token).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task A_command_to_an_address_outside_the_configured_networks_is_refused_before_anything_is_booked_or_sent()
    {
        using var directory = new TempDirectory();
        using var store = GatewayStore.Open(directory.Path, new CloudEventWriter("gw"), TimeProvider.System);
        var station = await ServingAsync();
        var limiter = new TransmitLimiter(new TransmitLimits { MaxPerUnitPerMinute = 1 }, TimeProvider.System);
        var outside = new IPEndPoint(IPAddress.Parse("10.12.0.1"), _settings.TmsPort);
        var dispatcher = new CommandDispatcher(store, new FixedEncoder(outside), new GuardedTransmitter(new NoBursts(), limiter, station), TimeProvider.System, NullLogger<CommandDispatcher>.Instance);
        var now = DateTimeOffset.UtcNow;

        dispatcher.Submit(new CommandRequest("cmd-out", CommandKind.Text, now, now.AddMinutes(5), Unit, TargetType.Unit, "سلام"));
        await dispatcher.StepAsync(_stop.Token);

        using var reader = store.OpenReader();
        var failed = reader.QueryEvents("command-result", limit: 10).Select(e => JsonDocument.Parse(e.DataJson).RootElement).Single(r => r.GetProperty("state").GetString() == "failed");
        Assert.StartsWith("rejected: 10.12.0.1 is outside the configured networks 127.0.0.0/8", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(limiter.WouldAllow(Unit, TimeSpan.Zero, out _, out _, out _), "nothing was booked with the limiter");
        await Assert.ThrowsAsync<ControlStationAddressException>(() => station.SendAsync(new ControlStationDatagram(outside, [1, 2], "tms"), _stop.Token));
    }

    [Theory]
    [InlineData(0u, TargetType.Unit)]
    [InlineData(16777216u, TargetType.Unit)]
    [InlineData(16777216u, TargetType.Group)]
    [InlineData(uint.MaxValue, TargetType.Unit)]
    public void The_encoder_refuses_ids_with_no_address_on_the_configured_networks_without_a_datagram(uint target, TargetType type)
    {
        var encoder = new MotorolaCommandEncoder(_settings with { Networks = new CaiNetworks() });
        var now = DateTimeOffset.UtcNow;

        foreach (var request in new[]
        {
            new CommandRequest("t", CommandKind.Text, now, now, target, type, "سلام"),
            new CommandRequest("l", CommandKind.Locate, now, now, target, type),
            new CommandRequest("p", CommandKind.Locate, now, now, target, type, IntervalSeconds: 60),
        })
        {
            var refused = encoder.Encode(request, 1);

            Assert.Empty(refused.Datagrams);
            Assert.Null(refused.AnswerKey);
            Assert.Equal($"rejected: {target} is not a 24-bit radio or group id, so it has no address on 12.0.0.0/8 and 225.0.0.0/8", refused.Refused);
        }
    }

    [Fact]
    public async Task Nothing_reaches_an_address_outside_the_configured_networks_even_where_a_socket_listens()
    {
        // The gateway's radios are on 12/8 and 225/8; 127.0.0.9 is outside them but a listening local socket, so a
        // datagram that slipped through would arrive there before the test's own sentinel does.
        var settings = _settings with { Networks = new CaiNetworks() };
        using var directory = new TempDirectory();
        using var store = GatewayStore.Open(directory.Path, new CloudEventWriter("gw"), TimeProvider.System);
        var station = await ServingAsync(settings);
        using var listener = UdpServiceSocket.Bind(IPAddress.Parse("127.0.0.9"), 0, "outside");
        using var sentinel = UdpServiceSocket.Bind(IPAddress.Loopback, 0, "sentinel");
        var outside = listener.LocalEndPoint;
        var limiter = new TransmitLimiter(new TransmitLimits(), TimeProvider.System);
        var dispatcher = new CommandDispatcher(store, new FixedEncoder(outside), new GuardedTransmitter(new NoBursts(), limiter, station), TimeProvider.System, NullLogger<CommandDispatcher>.Instance);
        var now = DateTimeOffset.UtcNow;

        dispatcher.Submit(new CommandRequest("cmd-outside", CommandKind.Text, now, now.AddMinutes(5), Unit, TargetType.Unit, "سلام"));
        await dispatcher.StepAsync(_stop.Token);
        var direct = await Assert.ThrowsAsync<ControlStationAddressException>(() => station.SendAsync(new ControlStationDatagram(outside, [0x00, 0x01, 0x00], "tms"), _stop.Token));
        await sentinel.SendAsync("sentinel"u8.ToArray(), outside, _stop.Token);

        var (first, from) = await listener.ReceiveAsync(_stop.Token).AsTask().WaitAsync(Patience);
        Assert.Equal(("sentinel", sentinel.LocalEndPoint), (System.Text.Encoding.ASCII.GetString(first), from));
        Assert.Equal($"127.0.0.9 is outside the configured networks 12.0.0.0/8 and 225.0.0.0/8; nothing was sent", direct.Message);
        using var reader = store.OpenReader();
        var states = reader.QueryEvents("command-result", limit: 10).Select(e => JsonDocument.Parse(e.DataJson).RootElement).ToList();
        Assert.Equal(["accepted", "failed"], states.Select(r => r.GetProperty("state").GetString()));
        Assert.Equal("rejected: 127.0.0.9 is outside the configured networks 12.0.0.0/8 and 225.0.0.0/8; nothing was sent", states[1].GetProperty("reason").GetString());
    }

    [Fact]
    public void The_encoder_addresses_units_and_groups_on_their_networks_and_refuses_radio_checks()
    {
        var encoder = new MotorolaCommandEncoder(_settings with { Networks = new CaiNetworks() });
        var now = DateTimeOffset.UtcNow;

        var text = encoder.Encode(new CommandRequest("t", CommandKind.Text, now, now, Unit, TargetType.Unit, "سلام"), 0x85);
        var group = encoder.Encode(new CommandRequest("g", CommandKind.Text, now, now, 101, TargetType.Group, "همه"), 3);
        var locate = encoder.Encode(new CommandRequest("l", CommandKind.Locate, now, now, Unit, TargetType.Unit, IntervalSeconds: 60), 4);
        var check = encoder.Encode(new CommandRequest("c", CommandKind.RadioCheck, now, now, Unit, TargetType.Unit), 5);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("12.47.155.229"), _settings.TmsPort), Assert.Single(text.Datagrams).Destination);
        Assert.Equal(AnswerKeys.Tms(Unit, 5), text.AnswerKey);
        Assert.Null(text.LinkAcknowledgementKey);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("225.0.0.101"), _settings.TmsPort), Assert.Single(group.Datagrams).Destination);
        Assert.Null(group.AnswerKey);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("12.47.155.229"), _settings.LrrpPort), Assert.Single(locate.Datagrams).Destination);
        Assert.Equal(AnswerKeys.Lrrp(Unit, "802F9BE5"), locate.AnswerKey);
        Assert.Empty(check.Datagrams);
        Assert.StartsWith("rejected: a radio check", check.Refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_goes_out_through_the_station_and_is_delivered_on_the_tms_acknowledgement()
    {
        using var directory = new TempDirectory();
        using var store = GatewayStore.Open(directory.Path, new CloudEventWriter("gw"), TimeProvider.System);
        var station = await ServingAsync();
        var tms = Radio(Unit, _settings.TmsPort);
        var dispatcher = new CommandDispatcher(store, new MotorolaCommandEncoder(_settings), new GuardedTransmitter(new NoBursts(), new TransmitLimiter(new TransmitLimits(), TimeProvider.System), station), TimeProvider.System, NullLogger<CommandDispatcher>.Instance);
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        station.AnswerHeard += key =>
        {
            dispatcher.OnAnswer(key);
            acknowledged.TrySetResult();
        };
        var now = DateTimeOffset.UtcNow;
        dispatcher.Submit(new CommandRequest("cmd-1", CommandKind.Text, now, now.AddMinutes(5), Unit, TargetType.Unit, "به مرکز برگردید"));
        await dispatcher.StepAsync(_stop.Token);

        var text = await ReceiveAsync(tms, DecodeTms);
        Assert.Equal("به مرکز برگردید", text.Text);
        Assert.True(text.AckRequested);
        await tms.SendAsync(Written(w => Tms.WriteAcknowledgement(w, text.SequenceNumber!.Value)), new IPEndPoint(IPAddress.Loopback, _settings.TmsPort), _stop.Token);
        await acknowledged.Task.WaitAsync(Patience);
        await dispatcher.StepAsync(_stop.Token);

        using var reader = store.OpenReader();
        var states = reader.QueryEvents("command-result", limit: 10).Select(e => JsonDocument.Parse(e.DataJson).RootElement.GetProperty("state").GetString()).ToList();
        Assert.Equal(["accepted", "transmitted", "delivered"], states);
    }

    [Fact]
    public async Task Unplugged_the_link_goes_down_and_comes_back_up_when_the_station_returns()
    {
        var plugged = true;
        var station = Station(isUp: _ => Volatile.Read(ref plugged));
        var supervisor = new RadioLinkSupervisor(
            "cs1",
            station.OpenAsync,
            station.RunAsync,
            _ => { },
            _sink,
            TimeProvider.System,
            NullLogger.Instance,
            new RadioLinkBackoff { Initial = TimeSpan.FromMilliseconds(50), Maximum = TimeSpan.FromMilliseconds(200) });
        var running = supervisor.RunAsync(_stop.Token);
        await _sink.NextAsync<ModemStatusChanged>(e => e.LinkUp, Patience);

        Volatile.Write(ref plugged, false);
        var down = await _sink.NextAsync<ModemStatusChanged>(e => !e.LinkUp, Patience);
        Assert.Contains("unplugged", down.Detail, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RadioLinkDownException>(() => station.SendAsync(new ControlStationDatagram(new IPEndPoint(_settings.Networks.UnitAddress(Unit), _settings.TmsPort), [1], "tms"), _stop.Token));

        Volatile.Write(ref plugged, true);
        await _sink.NextAsync<ModemStatusChanged>(e => e.LinkUp, Patience);
        var tms = Radio(Unit, _settings.TmsPort);
        await tms.SendAsync(Written(w => Tms.WriteText(w, "back", 2, ackRequested: false)), new IPEndPoint(IPAddress.Loopback, _settings.TmsPort), _stop.Token);
        Assert.Equal("back", (await _sink.NextAsync<TextMessageReceived>(_ => true, Patience)).Text);
        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_missing_address_or_a_taken_port_is_a_clear_error_at_open()
    {
        var missing = Station(_settings with { LocalAddress = IPAddress.Parse("192.0.2.55") }, isUp: _ => false);
        var notUp = await Assert.ThrowsAsync<IOException>(() => missing.OpenAsync(_stop.Token).AsTask());
        Assert.Contains("192.0.2.55 is on no network interface that is up", notUp.Message, StringComparison.Ordinal);

        using var squatter = UdpServiceSocket.Bind(IPAddress.Loopback, _settings.LrrpPort, "squatter");
        var taken = await Assert.ThrowsAsync<IOException>(() => Station().OpenAsync(_stop.Token).AsTask());
        Assert.Equal($"cannot bind LRRP on UDP 127.0.0.1:{_settings.LrrpPort}: UDP port {_settings.LrrpPort} on 127.0.0.1 is used by another program (another gateway, or the radio vendor's dispatch software?)", taken.Message);
    }

    private sealed class FixedEncoder(IPEndPoint destination) : ICommandEncoder
    {
        public Transmission Encode(CommandRequest request, uint sequence, Protocols.Dmr.Layer3.Crc9BitOrder crc9Order = Protocols.Dmr.Layer3.Crc9BitOrder.MsbFirst) =>
            new([], AnswerKeys.Tms(request.Target, 1), "tms") { Datagrams = [new ControlStationDatagram(destination, [0x00, 0x01, 0x00], "tms")] };
    }

    private sealed class NoBursts : IBurstTransmitter
    {
        public Task TransmitAsync(IReadOnlyList<Protocols.Dmr.Air.SlotBurst> bursts, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a control station takes no bursts");
    }

    /// <summary>Events as they are published, awaited in order.</summary>
    private sealed class EventChannel : IEventSink
    {
        private readonly Channel<DomainEvent> _events = Channel.CreateUnbounded<DomainEvent>();

        public void Publish(DomainEvent domainEvent) => _events.Writer.TryWrite(domainEvent);

        /// <summary>The next published <typeparamref name="T"/> matching <paramref name="match"/>, skipping others.</summary>
        public async Task<T> NextAsync<T>(Func<T, bool> match, TimeSpan timeout)
            where T : DomainEvent
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (true)
            {
                if (await _events.Reader.ReadAsync(cancel.Token) is T found && match(found))
                {
                    return found;
                }
            }
        }
    }
}
