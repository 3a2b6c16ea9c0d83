using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Testing;

namespace RadioGateway.Core.Tests.Commands;

public sealed class CommandDispatcherTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeTransmitter _radio = new();
    private readonly GatewayStore _store;
    private readonly UnitRoster _roster = UnitRoster.From([new RosterUnit(3120106, "Team 6", null, null, null, UnitDataProtocol.Hytera)]);

    public CommandDispatcherTests()
    {
        _store = GatewayStore.Open(_directory.Path, new CloudEventWriter("gw"), _time);
        _radio.Clock = _time;
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private CommandDispatcher Dispatcher(TransmitLimits? limits = null, ICommandStore? store = null) => new(
        store ?? _store,
        new CommandEncoder(3120001, _roster, colourCode: 1, slot: 1),
        new GuardedTransmitter(_radio, new TransmitLimiter(limits ?? new TransmitLimits(), _time)),
        _time,
        NullLogger<CommandDispatcher>.Instance,
        new CommandDispatcherOptions { AnswerTimeout = TimeSpan.FromSeconds(20), RetryDelay = TimeSpan.FromSeconds(2) });

    private CommandRequest Text(string id, uint unit, string text = "به مرکز برگردید") => new(id, CommandKind.Text, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), unit, TargetType.Unit, text);

    private List<(string Id, string State, string? Reason)> Results()
    {
        using var reader = _store.OpenReader();
        return reader.QueryEvents("command-result", limit: 10_000).Select(e =>
        {
            using var data = JsonDocument.Parse(e.DataJson);
            return (data.RootElement.GetProperty("commandId").GetString()!, data.RootElement.GetProperty("state").GetString()!, data.RootElement.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
        }).ToList();
    }

    /// <summary>What the simulated air carried: the data call the gateway sent, rebuilt and decoded.</summary>
    private static (UdpDatagram Datagram, DataHeader Header) Received(IReadOnlyList<SlotBurst> bursts)
    {
        var receiver = new DmrSlotReceiver(bursts[0].Slot, colourCode: 1);
        SlotItem? packet = null;
        foreach (var burst in bursts)
        {
            foreach (var item in receiver.Receive(burst))
            {
                packet = item.Kind == SlotItemKind.DataPacket ? item : packet;
            }
        }

        return (packet!.Value.Service!.Datagram!, packet.Value.Packet!.Header);
    }

    [Fact]
    public async Task A_text_is_transmitted_as_tms_and_delivered_when_the_unit_acknowledges_its_sequence_number()
    {
        var dispatcher = Dispatcher();
        Assert.True(dispatcher.Submit(Text("cmd-1", 3120101)));
        Assert.False(dispatcher.Submit(Text("cmd-1", 3120101))); // a redelivery is not accepted twice

        await dispatcher.StepAsync(CancellationToken.None);
        var (datagram, header) = Received(Assert.Single(_radio.Sent));
        Assert.Equal((3120001u, 3120101u, Tms.Port), (header.Source, header.Destination, datagram.DestinationPort));
        var tms = DecoderHarness.DecodeEveryWay<TmsMessage>(datagram.Payload, Tms.TryDecode);
        Assert.Equal(("به مرکز برگردید", true), (tms.Text, tms.AckRequested));

        dispatcher.OnAnswer(AnswerKeys.Tms(3120101, tms.SequenceNumber!.Value));
        await dispatcher.StepAsync(CancellationToken.None);

        Assert.Equal([("cmd-1", "accepted", null), ("cmd-1", "transmitted", null), ("cmd-1", "delivered", null)], Results());
    }

    [Fact]
    public async Task A_hytera_unit_gets_tmp_and_a_silent_radio_ends_failed_timeout()
    {
        var dispatcher = Dispatcher();
        dispatcher.Submit(Text("cmd-2", 3120106));
        await dispatcher.StepAsync(CancellationToken.None);
        Assert.Equal(RadioGateway.Protocols.Hytera.HyteraPorts.TextMessage, Received(_radio.Sent[0]).Datagram.DestinationPort);

        _time.Advance(TimeSpan.FromSeconds(21));
        await dispatcher.StepAsync(CancellationToken.None);

        Assert.Equal(("cmd-2", "failed"), (Results()[^1].Id, Results()[^1].State));
        Assert.StartsWith("timeout:", Results()[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepted_commands_survive_a_restart_and_go_out_afterwards_unless_expired()
    {
        var before = Dispatcher();
        before.Submit(Text("cmd-3", 3120101));
        before.Submit(Text("cmd-4", 3120102) with { ExpiresAt = _time.GetUtcNow().AddSeconds(30) });

        // Restart: a new dispatcher on the same store, a minute later.
        _time.Advance(TimeSpan.FromMinutes(1));
        var after = Dispatcher();
        await after.StepAsync(CancellationToken.None);
        await after.StepAsync(CancellationToken.None);

        Assert.Single(_radio.Sent);
        var results = Results();
        Assert.Contains(("cmd-3", "transmitted", (string?)null), results);
        Assert.Contains(results, r => r is ("cmd-4", "failed", { } reason) && reason.StartsWith("timeout: expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_link_down_a_command_waits_and_fails_link_down_when_it_expires()
    {
        var dispatcher = Dispatcher();
        _radio.Failure = new RadioLinkDownException("no base station link is up");
        dispatcher.Submit(Text("cmd-5", 3120101) with { ExpiresAt = _time.GetUtcNow().AddSeconds(10) });

        Assert.Equal(TimeSpan.FromSeconds(2), await dispatcher.StepAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(11));
        await dispatcher.StepAsync(CancellationToken.None);

        Assert.Equal(("cmd-5", "failed", "link-down: no base station link is up"), Results()[^1]);
    }

    [Fact]
    public async Task The_per_unit_limit_holds_commands_and_refuses_them_when_they_expire()
    {
        var dispatcher = Dispatcher(new TransmitLimits { MaxPerUnitPerMinute = 1 });
        dispatcher.Submit(Text("cmd-6", 3120101));
        dispatcher.Submit(Text("cmd-7", 3120101) with { ExpiresAt = _time.GetUtcNow().AddSeconds(30) });
        dispatcher.Submit(Text("cmd-8", 3120102));

        await dispatcher.StepAsync(CancellationToken.None);
        await dispatcher.StepAsync(CancellationToken.None); // cmd-7 held by its unit's limit; cmd-8 to another unit goes
        var wait = await dispatcher.StepAsync(CancellationToken.None);
        Assert.Equal(2, _radio.Sent.Count);
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        _time.Advance(TimeSpan.FromSeconds(31));
        await dispatcher.StepAsync(CancellationToken.None);
        await dispatcher.StepAsync(CancellationToken.None);

        Assert.Contains(Results(), r => r is ("cmd-7", "failed", { } reason) && reason.Contains("1 commands per minute to unit 3120101", StringComparison.Ordinal));
        Assert.Equal(2, _radio.Sent.Distinct().Count()); // cmd-8 to another unit went out (cmd-6 may be resent: nobody acknowledged it)
    }

    [Fact]
    public async Task A_transmission_cut_by_the_watchdog_fails_the_command()
    {
        var dispatcher = Dispatcher();
        _radio.Failure = new TransmitWatchdogException("the transmit watchdog cut the transmission after 1 s");
        dispatcher.Submit(Text("cmd-9", 3120101));

        await dispatcher.StepAsync(CancellationToken.None);

        Assert.Equal(("cmd-9", "failed", "rejected: the transmit watchdog cut the transmission after 1 s"), Results()[^1]);
    }

    [Fact]
    public async Task A_confirmed_packet_is_sent_again_until_the_radio_acknowledges_it_and_at_most_three_times()
    {
        var dispatcher = Dispatcher();
        dispatcher.Submit(Text("cmd-10", 3120101));
        dispatcher.Submit(Text("cmd-11", 3120102));
        await dispatcher.StepAsync(CancellationToken.None); // cmd-10 out
        await dispatcher.StepAsync(CancellationToken.None); // cmd-11 out
        Assert.Equal(DataPacketFormat.Confirmed, Received(_radio.Sent[0]).Header.Format);

        dispatcher.OnAnswer(AnswerKeys.DataAcknowledgement(3120102));
        for (var second = 0; second < 10; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await dispatcher.StepAsync(CancellationToken.None);
        }

        // cmd-10 never acknowledged: two more transmissions of the same bursts; cmd-11 acknowledged: none.
        Assert.Equal(4, _radio.Sent.Count);
        Assert.Same(_radio.Sent[0], _radio.Sent[2]);
        Assert.Same(_radio.Sent[0], _radio.Sent[3]);
    }

    /// <summary>The data packet a transmission carried, as a receiver accepting either CRC-9 order rebuilds it.</summary>
    private static DataPacket Packet(IReadOnlyList<SlotBurst> frames)
    {
        var assembler = new DataCallAssembler();
        var info = new byte[12];
        DataPacket? packet = null;
        foreach (var frame in frames)
        {
            DmrBurst.TryReadSlotType(frame.Bytes.Span, out _, out var type, out _);
            DmrBurst.ReadBptcInfo(frame.Bytes.Span, info);
            packet = type switch
            {
                DmrDataType.DataHeader => assembler.OnHeader(DataHeader.Decode(info, out _)!).LastOrDefault() ?? packet,
                DmrDataType.Rate12Data => assembler.OnRate12Block(info, false) ?? packet,
                _ => packet,
            };
        }

        return packet!;
    }

    [Fact]
    public async Task A_crc_retry_request_resends_in_the_other_crc9_order_and_the_acknowledged_order_is_kept_for_the_network()
    {
        var log = new ListLogger<CommandDispatcher>();
        var dispatcher = new CommandDispatcher(
            _store,
            new CommandEncoder(3120001, _roster, colourCode: 1, slot: 1),
            new GuardedTransmitter(_radio, new TransmitLimiter(new TransmitLimits(), _time)),
            _time,
            log,
            new CommandDispatcherOptions { Network = "bs1", ConfirmedDataCrc9Order = Crc9BitOrder.MsbFirst });
        dispatcher.Submit(Text("cmd-20", 3120101));
        await dispatcher.StepAsync(CancellationToken.None);
        Assert.Equal(Crc9BitOrder.MsbFirst, Packet(_radio.Sent[0]).Crc9Order);

        // The radio's selective retry (its CRC-9 check failed on our blocks): sent again at once, other order.
        dispatcher.OnAnswer(AnswerKeys.DataCrcRetryRequest(3120101));
        await dispatcher.StepAsync(CancellationToken.None);
        Assert.Equal(2, _radio.Sent.Count);
        var resent = Packet(_radio.Sent[1]);
        Assert.Equal(Crc9BitOrder.LsbFirst, resent.Crc9Order);
        Assert.Equal(Packet(_radio.Sent[0]).UserData, resent.UserData);
        Assert.Equal(Crc9BitOrder.MsbFirst, dispatcher.Crc9Order.Current); // nothing acknowledged yet

        dispatcher.OnAnswer(AnswerKeys.DataAcknowledgement(3120101));
        await dispatcher.StepAsync(CancellationToken.None);
        Assert.Equal((Crc9BitOrder.LsbFirst, Crc9BitOrder.MsbFirst, 1L, 1L), (dispatcher.Crc9Order.Current, dispatcher.Crc9Order.Configured, dispatcher.Crc9Order.AcknowledgedLsbFirst, dispatcher.Crc9Order.CrcRetryRequests));
        Assert.Contains(log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Information && e.Message.Contains("Network bs1: confirmed data now goes out with CRC-9 lsb-first", StringComparison.Ordinal));

        // The next confirmed packet on this network goes out in the order that worked; the first is not resent.
        dispatcher.Submit(Text("cmd-21", 3120102));
        for (var second = 0; second < 10; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await dispatcher.StepAsync(CancellationToken.None);
        }

        Assert.Equal(Crc9BitOrder.LsbFirst, Packet(_radio.Sent[2]).Crc9Order);
        Assert.All(_radio.Sent.Skip(3), frames => Assert.Equal(3120102u, Packet(frames).Header.Destination));
    }

    [Fact]
    public async Task A_crc_retry_request_with_nothing_waiting_sends_nothing()
    {
        var dispatcher = Dispatcher();

        dispatcher.OnAnswer(AnswerKeys.DataCrcRetryRequest(3120101));
        await dispatcher.StepAsync(CancellationToken.None);

        Assert.Empty(_radio.Sent);
        Assert.Equal(0, dispatcher.Crc9Order.CrcRetryRequests);
    }

    [Fact]
    public void The_duty_cycle_limit_counts_airtime()
    {
        var limiter = new TransmitLimiter(new TransmitLimits { MaxDutyCycle = 0.01, DutyWindow = TimeSpan.FromMinutes(10), MaxPerMinute = 100, MaxPerUnitPerMinute = 100 }, _time);

        Assert.True(limiter.TryAcquire(1, TimeSpan.FromSeconds(5), out _, out _));
        Assert.False(limiter.TryAcquire(2, TimeSpan.FromSeconds(2), out var retry, out var reason));
        Assert.Equal(TimeSpan.FromMinutes(10), retry);
        Assert.Contains("duty cycle", reason, StringComparison.Ordinal);
    }

    private async Task RunFor(CommandDispatcher dispatcher, TimeSpan span, TimeSpan step)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += step)
        {
            // Several passes per tick: each sends at most one command.
            for (var pass = 0; pass < 4; pass++)
            {
                await dispatcher.StepAsync(CancellationToken.None);
            }

            _time.Advance(step);
        }
    }

    [Fact]
    public async Task Resends_to_silent_units_are_booked_so_a_long_run_never_exceeds_the_unit_minute_or_duty_cycle_limits()
    {
        var limits = new TransmitLimits { MaxPerUnitPerMinute = 4, MaxPerMinute = 10, MaxDutyCycle = 0.02, DutyWindow = TimeSpan.FromMinutes(10) };
        var dispatcher = Dispatcher(limits);
        for (var i = 0; i < 60; i++)
        {
            dispatcher.Submit(Text($"cmd-{i}", 3120101 + (uint)(i % 6)) with { ExpiresAt = _time.GetUtcNow().AddMinutes(40) });
        }

        await RunFor(dispatcher, TimeSpan.FromMinutes(40), TimeSpan.FromSeconds(1));

        var sent = _radio.Sent.Select((frames, i) => (At: _radio.SentAt[i], Unit: Received(frames).Header.Destination, Airtime: GuardedTransmitter.Airtime(frames))).ToList();
        Assert.True(sent.Count > 20, $"only {sent.Count} transmissions");
        Assert.True(sent.Count > sent.Select(s => s.At).Distinct().Count() / 2); // the run had resends to count
        foreach (var (at, unit, _) in sent)
        {
            var minute = sent.Where(s => s.At > at - TimeSpan.FromMinutes(1) && s.At <= at).ToList();
            Assert.InRange(minute.Count(s => s.Unit == unit), 0, limits.MaxPerUnitPerMinute);
            Assert.InRange(minute.Count, 0, limits.MaxPerMinute);
            var airtime = sent.Where(s => s.At > at - limits.DutyWindow && s.At <= at).Sum(s => s.Airtime.TotalMilliseconds);
            Assert.InRange(airtime, 0, limits.DutyWindow.TotalMilliseconds * limits.MaxDutyCycle);
        }
    }

    [Fact]
    public async Task Two_confirmed_commands_to_one_unit_each_keep_their_own_retries()
    {
        var dispatcher = Dispatcher(new TransmitLimits { MaxPerUnitPerMinute = 10 });
        dispatcher.Submit(Text("cmd-text", 3120101));
        dispatcher.Submit(new CommandRequest("cmd-locate", CommandKind.Locate, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), 3120101, TargetType.Unit));

        await RunFor(dispatcher, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1));

        var ports = _radio.Sent.Select(frames => Received(frames).Datagram.DestinationPort).ToList();
        Assert.Equal(3, ports.Count(port => port == Tms.Port));
        Assert.Equal(3, ports.Count(port => port != Tms.Port));
        Assert.Equal(Enumerable.Repeat(Tms.Port, 3), ports.Take(3)); // the locate waited for the text's packet to finish
    }

    [Fact]
    public async Task A_second_radio_check_to_one_unit_waits_for_the_first_and_both_get_a_final_result()
    {
        var dispatcher = Dispatcher();
        dispatcher.Submit(new CommandRequest("check-1", CommandKind.RadioCheck, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), 3120101, TargetType.Unit));
        dispatcher.Submit(new CommandRequest("check-2", CommandKind.RadioCheck, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), 3120101, TargetType.Unit));

        await dispatcher.StepAsync(CancellationToken.None);
        await dispatcher.StepAsync(CancellationToken.None);
        Assert.Single(_radio.Sent);

        dispatcher.OnAnswer(AnswerKeys.RadioCheck(3120101));
        await dispatcher.StepAsync(CancellationToken.None);
        Assert.Equal(2, _radio.Sent.Count);
        _time.Advance(TimeSpan.FromSeconds(21));
        await dispatcher.StepAsync(CancellationToken.None);

        var results = Results();
        Assert.Contains(("check-1", "delivered", (string?)null), results);
        Assert.Contains(results, r => r is ("check-2", "failed", { } reason) && reason.StartsWith("timeout: no answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_held_by_its_units_limit_does_not_hold_a_command_to_another_unit()
    {
        var dispatcher = Dispatcher(new TransmitLimits { MaxPerUnitPerMinute = 1 });
        dispatcher.Submit(new CommandRequest("check-a1", CommandKind.RadioCheck, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), 3120101, TargetType.Unit));
        dispatcher.Submit(new CommandRequest("locate-a2", CommandKind.Locate, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), 3120101, TargetType.Unit));
        dispatcher.Submit(new CommandRequest("check-b", CommandKind.RadioCheck, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5), 3120102, TargetType.Unit));

        await dispatcher.StepAsync(CancellationToken.None);
        await dispatcher.StepAsync(CancellationToken.None);

        Assert.Equal(2, _radio.Sent.Count);
        Assert.Contains(("check-b", "transmitted", (string?)null), Results());
    }

    [Fact]
    public async Task A_flood_expires_in_one_pass_with_the_true_reason_and_reads_the_store_once()
    {
        var counting = new CountingStore(_store);
        var dispatcher = Dispatcher(new TransmitLimits { MaxPerMinute = 5, MaxPerUnitPerMinute = 5 }, counting);
        for (var i = 0; i < 600; i++)
        {
            dispatcher.Submit(new CommandRequest($"flood-{i}", CommandKind.RadioCheck, _time.GetUtcNow(), _time.GetUtcNow().AddSeconds(30), 3120101 + (uint)(i % 200), TargetType.Unit));
        }

        await RunFor(dispatcher, TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(1));

        var failed = Results().Where(r => r.State == "failed" && r.Reason!.Contains("expired", StringComparison.Ordinal)).ToList();
        Assert.Equal(600 - 5, failed.Count);
        Assert.All(failed, r => Assert.StartsWith("rejected: transmit limit (5 commands per minute) held it, behind ", r.Reason, StringComparison.Ordinal));
        Assert.Equal(1, counting.OpenCommandsCalls);
    }

    private sealed class CountingStore(ICommandStore inner) : ICommandStore
    {
        public int OpenCommandsCalls { get; private set; }

        public bool AcceptCommand(CommandRequest request, CommandResultReported accepted) => inner.AcceptCommand(request, accepted);

        public void UpdateCommand(CommandResultReported result, string? answerKey, DateTimeOffset? answerDeadline) => inner.UpdateCommand(result, answerKey, answerDeadline);

        public void RecordResult(CommandResultReported result) => inner.RecordResult(result);

        public IReadOnlyList<StoredCommand> OpenCommands()
        {
            OpenCommandsCalls++;
            return inner.OpenCommands();
        }
    }

    private sealed class FakeTransmitter : IBurstTransmitter
    {
        public List<IReadOnlyList<SlotBurst>> Sent { get; } = [];

        /// <summary>When each transmission keyed the transmitter.</summary>
        public List<DateTimeOffset> SentAt { get; } = [];

        public TimeProvider Clock { get; set; } = TimeProvider.System;

        public Exception? Failure { get; set; }

        public Task TransmitAsync(IReadOnlyList<SlotBurst> frames, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                return Task.FromException(Failure);
            }

            Sent.Add(frames);
            SentAt.Add(Clock.GetUtcNow());
            return Task.CompletedTask;
        }
    }
}
