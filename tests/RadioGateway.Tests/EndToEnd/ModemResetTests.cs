using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.Adapters;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Calls;
using RadioGateway.Core.Events;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Transport.InProcess;

namespace RadioGateway.Tests.EndToEnd;

/// <summary>A modem that resets while the serial port stays open loses its set-up; the session notices and sets it again.</summary>
public sealed class ModemResetTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed class ModemEvents : IEventSink
    {
        private readonly object _gate = new();
        private readonly List<ModemStatusChanged> _events = [];
        private readonly List<TaskCompletionSource<ModemStatusChanged>> _waiting = [];
        private int _handedOut;

        public void Publish(DomainEvent domainEvent)
        {
            if (domainEvent is not ModemStatusChanged modem)
            {
                return;
            }

            lock (_gate)
            {
                _events.Add(modem);
                if (_waiting.Count > 0)
                {
                    _waiting[0].TrySetResult(modem);
                    _waiting.RemoveAt(0);
                    _handedOut++;
                }
            }
        }

        /// <summary>
        /// The next modem event not yet handed out, in publishing order: one published before this call is not missed
        /// (the session publishes its next event while the test is still looking at the last one).
        /// </summary>
        public Task<ModemStatusChanged> Next()
        {
            lock (_gate)
            {
                if (_handedOut < _events.Count && _waiting.Count == 0)
                {
                    return Task.FromResult(_events[_handedOut++]);
                }

                var next = new TaskCompletionSource<ModemStatusChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add(next);
                return next.Task;
            }
        }
    }

    [Fact]
    public async Task A_modem_that_reset_to_idle_with_dmr_disabled_is_set_up_again_and_says_so()
    {
        var (host, device) = InProcessLink.CreatePair();
        using var stop = new CancellationTokenSource();
        var modem = new SimulatedMmdvmModem(new Scenario("quiet", []), new SimulatedModemOptions { Loop = false }, TimeProvider.System, NullLogger.Instance);
        _ = modem.RunAsync(device, stop.Token);
        var sink = new ModemEvents();
        using var tracker = new CallTracker("gw", "bs1", sink, TimeProvider.System, NullLogger<CallTracker>.Instance);
        var receiver = new DmrReceiveAdapter("bs1", 1, tracker, sink, TimeProvider.System, NullLogger.Instance);
        var settings = new MmdvmSessionSettings
        {
            RadioId = "bs1",
            Config = new MmdvmConfig(false, false, false, Simplex: false, 100, 50, 50, 1, 0),
            Frequency = new MmdvmFrequency(430_375_000, 438_975_000, 255),
            StatusInterval = TimeSpan.FromMilliseconds(50),
        };
        var session = new MmdvmModemSession(settings, receiver, sink, TimeProvider.System, NullLogger.Instance);
        var up = sink.Next();
        var running = session.RunAsync(host, stop.Token);
        await up.WaitAsync(Patience);
        Assert.Equal(MmdvmMode.Dmr, modem.Mode);

        var lost = sink.Next();
        modem.Reset();
        var drift = await lost.WaitAsync(Patience);
        var again = sink.Next();
        var restored = await again.WaitAsync(Patience);

        Assert.Contains("lost its set-up", drift.Description, StringComparison.Ordinal);
        Assert.Contains("DMR not enabled", drift.Detail, StringComparison.Ordinal);
        Assert.True(restored.LinkUp);
        Assert.Equal(MmdvmMode.Dmr, modem.Mode);
        Assert.False(running.IsCompleted, "the session goes on over the same link");
        await stop.CancelAsync();
    }
}
