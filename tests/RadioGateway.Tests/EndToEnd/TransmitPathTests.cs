using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Calls;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Dmr.Air;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Transport.InProcess;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>The MMDVM transmit path against the simulated modem over an in-process link: watchdog and channel access.</summary>
public sealed class TransmitPathTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed class WaitingSink : IEventSink
    {
        public TaskCompletionSource LinkUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource CallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Publish(DomainEvent domainEvent)
        {
            switch (domainEvent)
            {
                case ModemStatusChanged { LinkUp: true }:
                    LinkUp.TrySetResult();
                    break;
                case Core.Events.CallStarted:
                    CallStarted.TrySetResult();
                    break;
            }
        }
    }

    private static async Task<(MmdvmModemSession Session, WaitingSink Sink, Task Running, CancellationTokenSource Stop)> StartAsync(Scenario scenario, SimulatedModemOptions modem, MmdvmSessionSettings settings)
    {
        var (host, device) = InProcessLink.CreatePair();
        var stop = new CancellationTokenSource();
        _ = new SimulatedMmdvmModem(scenario, modem, TimeProvider.System, NullLogger.Instance).RunAsync(device, stop.Token);
        var sink = new WaitingSink();
        var tracker = new CallTracker("gw", "bs1", sink, TimeProvider.System, NullLogger<CallTracker>.Instance);
        var receiver = new DmrReceiveAdapter("bs1", 1, tracker, sink, TimeProvider.System, NullLogger.Instance);
        var session = new MmdvmModemSession(settings, receiver, sink, TimeProvider.System, NullLogger.Instance);
        var running = session.RunAsync(host, stop.Token);
        await sink.LinkUp.Task.WaitAsync(Patience);
        return (session, sink, running, stop);
    }

    private static MmdvmSessionSettings Settings(TimeSpan txTimeout, TimeSpan channelAccess) => new()
    {
        RadioId = "bs1",
        Config = new MmdvmConfig(false, false, false, Simplex: false, 100, 50, 50, 1, 0),
        Frequency = new MmdvmFrequency(430_375_000, 438_975_000, 255),
        TxTimeout = txTimeout,
        ChannelAccessTimeout = channelAccess,
    };

    private static IReadOnlyList<SlotBurst> TextTo(uint unit, int slot) =>
        new CommandEncoder(3120001, UnitRoster.Empty, colourCode: 1, slot).Encode(new CommandRequest("c", CommandKind.Text, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1), unit, TargetType.Unit, "test"), 1).Bursts;

    [Fact]
    public async Task A_modem_whose_buffer_never_frees_cannot_hold_the_transmitter_keyed_past_the_watchdog()
    {
        var (session, _, running, stop) = await StartAsync(new Scenario("quiet", []), new SimulatedModemOptions { Loop = false, DmrSpace = 0 }, Settings(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5)));
        using (stop)
        {
            var error = await Assert.ThrowsAsync<TransmitWatchdogException>(() => session.TransmitAsync(TextTo(3120101, 1), CancellationToken.None)).WaitAsync(Patience);

            Assert.Matches("after 0.3 s \\(0 of [0-9]+ bursts sent\\)", error.Message);
            await stop.CancelAsync();
            await running.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task A_slot_busy_with_a_call_is_not_transmitted_on_while_the_other_slot_is()
    {
        var call = new ScenarioCall(TimeSpan.FromMilliseconds(100), 1, 3120101, 101, Group: true, TimeSpan.FromSeconds(20));
        var (session, sink, running, stop) = await StartAsync(new Scenario("busy", [call]), new SimulatedModemOptions { Loop = false }, Settings(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)));
        using (stop)
        {
            await sink.CallStarted.Task.WaitAsync(Patience);

            await Assert.ThrowsAsync<ChannelBusyException>(() => session.TransmitAsync(TextTo(3120102, 1), CancellationToken.None)).WaitAsync(Patience);
            await session.TransmitAsync(TextTo(3120102, 2), CancellationToken.None).WaitAsync(Patience);

            await stop.CancelAsync();
            await running.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
