using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.Commands;
using RadioGateway.Core.ControlStations;
using RadioGateway.Core.ControlStations.Hytera;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Hytera;

namespace RadioGateway.Core.Tests.ControlStations;

/// <summary>
/// The Hytera control-station session over a real TCP connection on loopback, against a scripted radio that speaks
/// raw HRNP frames; the session's timers run on a <see cref="FakeTimeProvider"/>, so keepalive and watchdog
/// time-outs are reached by advancing it, never by waiting.
/// </summary>
public sealed class HyteraControlStationTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Events _sink = new();
    private readonly TimerWatchingTime _time = new();
    private readonly Journal.ListLogger<HyteraControlStation> _log = new();
    private readonly TcpListener _radioPort = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(2));

    public HyteraControlStationTests() => _radioPort.Start();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _radioPort.Stop();
        _stop.Dispose();
    }

    private HyteraStationSettings Settings(TimeSpan? tracking = null) => new()
    {
        RadioId = "hy1",
        RadioAddress = IPAddress.Loopback,
        HrnpPort = ((IPEndPoint)_radioPort.LocalEndpoint).Port,
        DispatcherId = 3120001,
        TrackingInterval = tracking ?? TimeSpan.Zero,
        TxTimeout = TimeSpan.FromSeconds(20),
        ConnectTimeout = TimeSpan.FromSeconds(7),
        KeepaliveInterval = TimeSpan.FromSeconds(10),
        KeepaliveTimeout = TimeSpan.FromSeconds(5),
    };

    private HyteraControlStation Station(HyteraStationSettings settings) =>
        new(settings, UnitRoster.Empty, _sink, _time, _log);

    /// <summary>Opens the station against the scripted radio (which accepts) and serves it; returns the radio's end and the running session.</summary>
    private async Task<(ScriptedRadio Radio, Task Session)> ServingAsync(HyteraControlStation station)
    {
        var opening = station.OpenAsync(_stop.Token).AsTask();
        var radio = new ScriptedRadio(await _radioPort.AcceptTcpClientAsync(_stop.Token));
        Assert.Equal(HrnpOpcode.Connect, (await radio.NextAsync()).Opcode);
        await radio.WriteAsync(radio.Session.Accept());
        var link = await opening;
        var session = station.RunAsync(link, _stop.Token).ContinueWith(async t => { await link.DisposeAsync(); await t; }, TaskScheduler.Default).Unwrap();
        await _sink.NextAsync<ModemStatusChanged>(e => e.LinkUp, Patience);
        // The first keepalive goes out at once; acknowledged, it proves the session is served.
        var keepalive = await radio.NextAsync(HrnpOpcode.Data);
        await radio.WriteAsync(radio.Session.AckOf(keepalive));
        return (radio, session);
    }

    private CommandRequest Request(CommandKind kind, uint target, TargetType type, string? text = null) =>
        new("c", kind, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), target, type, text);

    private static byte[] Written(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task A_keepalive_the_radio_does_not_acknowledge_ends_the_session_so_the_link_goes_down()
    {
        var (radio, session) = await ServingAsync(Station(Settings()));
        using var heldRadio = radio;

        // The next keepalive is due 10 s after the first was acknowledged; its acknowledgement, 5 s after it goes.
        await _time.TimerCreatedAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(10));
        var unanswered = await radio.NextAsync(HrnpOpcode.Data);
        Assert.Equal(HdapService.RadioControl, (HdapService)unanswered.Data[0]);
        await _time.TimerCreatedAsync(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(5));

        var failure = await Assert.ThrowsAsync<IOException>(() => session.WaitAsync(Patience));
        Assert.Contains("no answer to the HRNP keepalive within 5 s", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_radio_that_rejects_the_session_or_is_not_there_is_a_clear_open_failure()
    {
        var station = Station(Settings());
        var opening = station.OpenAsync(_stop.Token).AsTask();
        using (var radio = new ScriptedRadio(await _radioPort.AcceptTcpClientAsync(_stop.Token)))
        {
            await radio.NextAsync(HrnpOpcode.Connect);
            await radio.WriteAsync(new HrnpFrame(4, 0, HrnpOpcode.Reject, HrnpSession.RadioNode, HrnpSession.PcNode, 0, []));
            var rejected = await Assert.ThrowsAsync<IOException>(() => opening.WaitAsync(Patience));
            Assert.Contains("rejected the HRNP session", rejected.Message, StringComparison.Ordinal);
        }

        _radioPort.Stop();
        var absent = await Assert.ThrowsAsync<IOException>(() => station.OpenAsync(_stop.Token).AsTask().WaitAsync(Patience));
        Assert.Contains("cannot reach the control station's HRNP port 127.0.0.1:", absent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registrations_are_acknowledged_answered_tracked_and_a_repeated_frame_counts_once()
    {
        var (radio, session) = await ServingAsync(Station(Settings(tracking: TimeSpan.FromSeconds(60))));
        using var heldRadio = radio;
        var registration = radio.Session.Data(Written(w => HyteraRrs.Write(w, HyteraRrs.Registration, 3120101)));

        await radio.WriteAsync(registration);
        await radio.WriteAsync(registration);
        Assert.Equal([registration.PacketNumber, registration.PacketNumber], [(await radio.NextAsync(HrnpOpcode.DataAck)).PacketNumber, (await radio.NextAsync(HrnpOpcode.DataAck)).PacketNumber]);
        await radio.WriteAsync(radio.Session.Data(Written(w => HyteraRrs.Write(w, HyteraRrs.GoingOffline, 3120102))));

        var online = await _sink.NextAsync<RegistrationChanged>(_ => true, Patience);
        Assert.Equal((3120101u, true, "hytera-rrs"), (online.Unit.Id, online.Registered, online.Protocol));

        // The RRS answer, then the tracking request, each a DATA frame the radio acknowledges (answers go one at a time).
        var answer = await radio.NextHdapAsync();
        Assert.Equal(DecodeStatus.Done, HyteraRrs.TryDecode(answer, out var rrs, out _));
        Assert.Equal((HyteraRrs.RegistrationAnswer, 3120101u, 0, 3600), (rrs!.Opcode, rrs.RadioId, rrs.Result, rrs.RenewSeconds));
        var trigger = await radio.NextHdapAsync();
        Assert.Equal(DecodeStatus.Done, HyteraLp.TryDecode(trigger, out var lp, out _));
        Assert.Equal((HyteraLp.TriggeredRequest, 3120101u, (int?)60, CommandEncoder.TriggerId(3120101)), (lp!.Opcode, lp.RadioId, lp.IntervalSeconds, lp.RequestId));

        // The repeated frame published nothing: the next registration event is the other radio's.
        var next = await _sink.NextAsync<RegistrationChanged>(_ => true, Patience);
        Assert.Equal((3120102u, false), (next.Unit.Id, next.Registered));
        Assert.False(session.IsCompleted);
    }

    [Fact]
    public async Task Texts_are_published_and_acknowledged_and_reports_become_positions_and_answers()
    {
        var station = Station(Settings());
        var answers = Channel.CreateUnbounded<string>();
        station.AnswerHeard += key => answers.Writer.TryWrite(key);
        var (radio, _) = await ServingAsync(station);
        using var heldRadio = radio;
        var fix = new GeoFix(-33.8688, 151.2093, FixTime: new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero));

        await radio.WriteAsync(radio.Session.Data(Written(w => HyteraTmp.WriteText(w, group: false, confirmed: true, 5, 3120001, 3120103, "درخواست نیروی کمکی"))));
        await radio.WriteAsync(radio.Session.Data(Written(w => HyteraLp.WriteReport(w, HyteraLp.EmergencyReport, 0, 3120104, fix))));

        var text = await _sink.NextAsync<TextMessageReceived>(_ => true, Patience);
        Assert.Equal(("درخواست نیروی کمکی", 3120103u, 3120001u, "hytera-tmp"), (text.Text, text.From.Id, text.To.Id, text.Protocol));
        var ack = await radio.NextHdapAsync();
        Assert.Equal(DecodeStatus.Done, HyteraTmp.TryDecode(ack, out var tmp, out _));
        Assert.Equal((true, 5u, 3120103u), (tmp!.IsAck, tmp.RequestId, tmp.DestinationId));
        var position = await _sink.NextAsync<PositionReported>(_ => true, Patience);
        Assert.Equal((3120104u, -33.8688, 151.2093, "hytera-lp"), (position.Unit.Id, Math.Round(position.Lat, 4), Math.Round(position.Lon, 4), position.Via));
        Assert.Equal(3120104u, (await _sink.NextAsync<EmergencyRaised>(_ => true, Patience)).Unit.Id);
        Assert.Equal(AnswerKeys.HyteraLp(3120104, 0), await answers.Reader.ReadAsync(_stop.Token).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task A_command_datagram_waits_for_its_data_ack_and_the_watchdog_cuts_a_radio_that_never_gives_it()
    {
        var settings = Settings();
        var station = Station(settings);
        var (radio, _) = await ServingAsync(station);
        using var heldRadio = radio;
        var encoder = new HyteraCommandEncoder(settings);
        var text = encoder.Encode(Request(CommandKind.Text, 3120101, TargetType.Unit, "سلام"), 7);
        var datagram = Assert.Single(text.Datagrams);
        Assert.Equal((AnswerKeys.HyteraTmp(3120101, 7), "10.47.155.229:3004"), (text.AnswerKey, datagram.Destination.ToString()));

        var delivered = station.SendAsync(datagram, _stop.Token);
        var frame = await radio.NextAsync(HrnpOpcode.Data);
        Assert.True(frame.Data.AsSpan().SequenceEqual(datagram.Payload));
        // The watchdog is armed while the acknowledgement is held back; the acknowledgement completes the send.
        await _time.TimerCreatedAsync(settings.TxTimeout);
        Assert.False(delivered.IsCompleted);
        await radio.WriteAsync(radio.Session.AckOf(frame));
        await delivered.WaitAsync(Patience);

        var unacknowledged = station.SendAsync(datagram, _stop.Token);
        await radio.NextAsync(HrnpOpcode.Data);
        await _time.TimerCreatedAsync(settings.TxTimeout);
        _time.Advance(settings.TxTimeout);
        var cut = await Assert.ThrowsAsync<TransmitWatchdogException>(() => unacknowledged.WaitAsync(Patience));
        Assert.Contains("did not acknowledge the hytera-tmp frame within 20 s", cut.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Radio_checks_long_ids_and_foreign_addresses_are_refused_before_anything_is_sent()
    {
        var settings = Settings();
        var encoder = new HyteraCommandEncoder(settings);
        var station = Station(settings);

        Assert.StartsWith("rejected: a radio check", encoder.Encode(Request(CommandKind.RadioCheck, 3120101, TargetType.Unit), 1).Refused, StringComparison.Ordinal);
        Assert.Contains("is not a 24-bit radio or group id", encoder.Encode(Request(CommandKind.Locate, 0x1000000, TargetType.Unit), 1).Refused, StringComparison.Ordinal);
        var group = Assert.Single(encoder.Encode(Request(CommandKind.Text, 101, TargetType.Group, "همه"), 2).Datagrams);
        Assert.Null(station.Refusal(group));
        Assert.Contains("is not a radio IP of subnet 10", station.Refusal(new ControlStationDatagram(new IPEndPoint(IPAddress.Parse("12.47.155.229"), 3003), [], "hytera-lp")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_radio_closing_the_session_is_answered_and_ends_it()
    {
        var (radio, session) = await ServingAsync(Station(Settings()));
        using var heldRadio = radio;

        await radio.WriteAsync(radio.Session.Close());

        Assert.Equal(HrnpOpcode.CloseAck, (await radio.NextAsync(HrnpOpcode.CloseAck)).Opcode);
        var closed = await Assert.ThrowsAsync<IOException>(() => session.WaitAsync(Patience));
        Assert.Contains("closed the HRNP session", closed.Message, StringComparison.Ordinal);
    }

    /// <summary>The radio's end of the TCP connection, reading and writing raw HRNP frames.</summary>
    private sealed class ScriptedRadio(TcpClient client) : IDisposable
    {
        private readonly NetworkStream _stream = client.GetStream();
        private readonly HrnpFrameReader _reader = new();
        private readonly List<HrnpFrame> _held = [];
        private byte[] _buffered = [];

        public HrnpSession Session { get; } = new(HrnpSession.RadioNode, HrnpSession.PcNode);

        public async Task WriteAsync(HrnpFrame frame)
        {
            var output = new ArrayBufferWriter<byte>();
            Hrnp.Write(output, frame);
            await _stream.WriteAsync(output.WrittenMemory);
        }

        /// <summary>The next frame of <paramref name="opcode"/> (any when null); frames of other opcodes are held for later calls, in order.</summary>
        public async Task<HrnpFrame> NextAsync(HrnpOpcode? opcode = null)
        {
            if (_held.FirstOrDefault(f => opcode is null || f.Opcode == opcode) is { } earlier)
            {
                _held.Remove(earlier);
                return earlier;
            }

            using var timeout = new CancellationTokenSource(Patience);
            var chunk = new byte[2048];
            while (true)
            {
                var buffer = new ReadOnlySequence<byte>(_buffered);
                if (_reader.TryRead(ref buffer, out var frame, out _) != DecodeStatus.NeedMoreData)
                {
                    _buffered = buffer.ToArray();
                    if (frame is not null && (opcode is null || frame.Opcode == opcode))
                    {
                        return frame;
                    }

                    if (frame is not null)
                    {
                        _held.Add(frame);
                    }

                    continue;
                }

                var read = await _stream.ReadAsync(chunk, timeout.Token);
                if (read == 0)
                {
                    throw new IOException("the gateway closed the connection");
                }

                _buffered = [.. _buffered, .. chunk.AsSpan(0, read)];
            }
        }

        /// <summary>The next DATA frame's HDAP message, acknowledged as a radio does.</summary>
        public async Task<HdapMessage> NextHdapAsync()
        {
            var frame = await NextAsync(HrnpOpcode.Data);
            await WriteAsync(Session.AckOf(frame));
            Assert.Equal(DecodeStatus.Done, Hdap.TryDecode(new ReadOnlySequence<byte>(frame.Data), out var message, out _, out var error));
            Assert.True(message is not null, error.ToString());
            return message;
        }

        public void Dispose() => client.Dispose();
    }

    /// <summary>Fake time that tells when a timer (a delay, a time-out) is created, so the test advances only once the session waits on it.</summary>
    private sealed class TimerWatchingTime() : FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero))
    {
        private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _created.Writer.TryWrite(dueTime);
            return timer;
        }

        /// <summary>Waits for the next timer created with <paramref name="dueTime"/>, passing over others in creation order.</summary>
        public async Task TimerCreatedAsync(TimeSpan dueTime)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (await _created.Reader.ReadAsync(timeout.Token) != dueTime)
            {
            }
        }
    }

    /// <summary>Events as they are published, awaited in order.</summary>
    private sealed class Events : IEventSink
    {
        private readonly Channel<DomainEvent> _events = Channel.CreateUnbounded<DomainEvent>();

        public void Publish(DomainEvent domainEvent) => _events.Writer.TryWrite(domainEvent);

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
