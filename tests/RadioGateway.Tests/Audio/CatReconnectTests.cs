using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.Adapters.Mmdvm;
using RadioGateway.Core.Announcements;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Core.Profiles;
using RadioGateway.Hosting;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Testing;

namespace RadioGateway.Tests.Audio;

/// <summary>
/// The CAT link comes back by itself: a real <c>rigctld -m 1</c> (Hamlib's dummy rig, 145.000 MHz) that is not
/// running at start or is killed mid-run and started again on the same port. The outage is published as the modem
/// status of <c>radio0.cat</c>, announcements keyed by CAT fail naming the link while it is down, and after the
/// backoff (on a fake clock) the link is up again and announcements are transmitted.
/// </summary>
public sealed class CatReconnectTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>AnnouncementTransmitter's default key-up delay, the only 300 ms timer of an announcement.</summary>
    private static readonly TimeSpan KeyUpDelay = TimeSpan.FromMilliseconds(300);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-catlink-").FullName;
    private readonly string _rigHost = ExternalTool.UniqueLoopbackAddress();
    private readonly int _rigPort = ExternalTool.FreeLoopbackPort();
    private readonly TimerWatch _time = new(new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero));
    private readonly ModemEvents _events = new();
    private readonly Results _results = new();
    private string _rigctldPath = "";
    private RunningProcess? _rigctld;

    private string Endpoint => $"{_rigHost}:{_rigPort}";

    public Task InitializeAsync()
    {
        ExternalTool.Require("espeak-ng", "espeak-ng");
        _rigctldPath = ExternalTool.Require("rigctld", "libhamlib-utils");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _rigctld?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Rigctld_not_running_at_start_is_published_down_and_after_the_backoff_up_then_an_announcement_transmits()
    {
        using var service = await StartServiceAsync();

        var down = await _events.NextAsync();
        Assert.Equal(("radio0.cat", false), (down.RadioId, down.LinkUp));
        Assert.StartsWith($"CAT link to rigctld {Endpoint} is down: ", down.Description, StringComparison.Ordinal);

        await StartRigctldAsync();
        _time.Advance(CatLink.ReconnectMinimum);
        var up = await _events.NextAsync();
        Assert.Equal(("radio0.cat", true, "frequencyHz=145000000 mode=FM passbandHz=15000"), (up.RadioId, up.LinkUp, up.Detail));

        await AnnounceAndExpectTransmittedAsync(service, "ann-1");
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Rigctld_killed_mid_run_is_published_down_announcements_by_cat_fail_naming_it_and_after_a_restart_it_comes_back()
    {
        await StartRigctldAsync();
        using var service = await StartServiceAsync();
        var first = await _events.NextAsync();
        Assert.True(first.LinkUp, first.Description);

        _rigctld!.Dispose();
        _time.Advance(AnnouncementService.CatPollInterval);
        var down = await _events.NextAsync();
        Assert.Equal(("radio0.cat", false), (down.RadioId, down.LinkUp));
        Assert.StartsWith($"CAT link to rigctld {Endpoint} is down: ", down.Description, StringComparison.Ordinal);

        service.Take(Announce("ann-down"));
        Assert.Equal(CommandState.Accepted, (await _results.NextAsync()).State);
        var refused = await _results.NextAsync();
        Assert.Equal(("ann-down", CommandState.Failed), (refused.CommandId, refused.State));
        Assert.StartsWith($"failed: CAT link to rigctld {Endpoint} is down: ", refused.Reason, StringComparison.Ordinal);

        // Same frequency as before the outage: the link-up is published all the same.
        await StartRigctldAsync();
        _time.Advance(CatLink.ReconnectMinimum);
        var up = await _events.NextAsync();
        Assert.Equal(("radio0.cat", true, "frequencyHz=145000000 mode=FM passbandHz=15000"), (up.RadioId, up.LinkUp, up.Detail));

        await AnnounceAndExpectTransmittedAsync(service, "ann-back");
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_ptt_command_that_finds_rigctld_gone_fails_the_announcement_and_publishes_the_link_down_before_the_next_poll()
    {
        await StartRigctldAsync();
        using var service = await StartServiceAsync();
        Assert.True((await _events.NextAsync()).LinkUp);

        _rigctld!.Dispose();
        service.Take(Announce("ann-keyed-blind"));
        Assert.Equal(CommandState.Accepted, (await _results.NextAsync()).State);
        var failed = await _results.NextAsync();
        Assert.Equal(("ann-keyed-blind", CommandState.Failed), (failed.CommandId, failed.State));
        Assert.StartsWith($"failed: CAT link to rigctld {Endpoint} is down: ", failed.Reason, StringComparison.Ordinal);

        // The clock has not moved: no poll ran, the failed T 1 dropped the link.
        var down = await _events.NextAsync();
        Assert.Equal(("radio0.cat", false), (down.RadioId, down.LinkUp));

        await StartRigctldAsync();
        _time.Advance(CatLink.ReconnectMinimum);
        Assert.True((await _events.NextAsync()).LinkUp);
        await service.StopAsync(CancellationToken.None);
    }

    private async Task<AnnouncementService> StartServiceAsync()
    {
        var played = Path.Combine(_directory, "played.raw");
        var alsaConfig = Path.Combine(_directory, "alsa.conf");
        await File.WriteAllTextAsync(alsaConfig, $$"""pcm.radio { type file slave.pcm { type null } file "{{played}}" format "raw" }""");
        var audio = new AudioProfile("radio", 16000, 1, PttMethod.Cat, null, false, Endpoint, null, alsaConfig);
        var plan = new RadioPlan("radio0", new MmdvmSessionSettings { RadioId = "radio0", Config = new MmdvmConfig(false, false, false, false, 100, 128, 128, 1, 0), Frequency = new MmdvmFrequency(145_000_000, 145_000_000, 255), TxTimeout = TimeSpan.FromSeconds(60) }, _ => throw new IOException("not used")) { Audio = audio };
        var settings = new GatewaySettings(new GatewayOptions(), new MqttOptions(), [], new ConsoleOptions(), new CommandOptions(), _directory, null);
        var service = new AnnouncementService(settings, [plan], new TransmitLimiter(new TransmitLimits(), _time), _results, _events, _time, NullLoggerFactory.Instance, new CatStatus());
        await service.StartAsync(CancellationToken.None);
        return service;
    }

    /// <summary>Announces; the key-up delay runs on the fake clock, moved on once its timer exists.</summary>
    private async Task AnnounceAndExpectTransmittedAsync(AnnouncementService service, string id)
    {
        service.Take(Announce(id));
        Assert.Equal(CommandState.Accepted, (await _results.NextAsync()).State);
        await _time.TimerCreatedAsync(KeyUpDelay);
        _time.Advance(KeyUpDelay);
        var result = await _results.NextAsync();
        Assert.True(result.State == CommandState.Transmitted, $"{result.CommandId}: {result.State} {result.Reason}");
        Assert.Equal(id, result.CommandId);
    }

    private static byte[] Announce(string id) =>
        Encoding.UTF8.GetBytes($$$"""{"id":"{{{id}}}","data":{"to":{"id":9,"type":"group"},"text":"test","voice":"en"}}""");

    /// <summary>Starts rigctld on the test's address and port and waits until it accepts connections.</summary>
    private async Task StartRigctldAsync()
    {
        _rigctld = ExternalTool.Start(_rigctldPath, ["-m", "1", "-P", "RIG", "-T", _rigHost, "-t", _rigPort.ToString(CultureInfo.InvariantCulture)]);
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            try
            {
                await using var probe = await RigctldClient.ConnectAsync(_rigHost, _rigPort, patience.Token);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (!patience.IsCancellationRequested)
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>A fake clock that says when a timer is created, so the test moves it on only once the wait exists.</summary>
    private sealed class TimerWatch(DateTimeOffset start) : FakeTimeProvider(start)
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
            try
            {
                while (await _created.Reader.ReadAsync(timeout.Token) != dueTime)
                {
                }
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"no {dueTime.TotalMilliseconds:0} ms timer was created within {Patience.TotalSeconds:0} s");
            }
        }
    }

    private sealed class ModemEvents : IEventSink
    {
        private readonly Channel<ModemStatusChanged> _events = Channel.CreateUnbounded<ModemStatusChanged>();

        public void Publish(DomainEvent domainEvent)
        {
            if (domainEvent is ModemStatusChanged modem)
            {
                _events.Writer.TryWrite(modem);
            }
        }

        public async Task<ModemStatusChanged> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            try
            {
                return await _events.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"no modem status of radio0.cat was published within {Patience.TotalSeconds:0} s");
            }
        }
    }

    private sealed class Results : ICommandStore
    {
        private readonly Channel<CommandResultReported> _results = Channel.CreateUnbounded<CommandResultReported>();

        public void RecordResult(CommandResultReported result) => _results.Writer.TryWrite(result);

        public async Task<CommandResultReported> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            try
            {
                return await _results.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"no command-result was recorded within {Patience.TotalSeconds:0} s");
            }
        }

        public bool AcceptCommand(CommandRequest request, CommandResultReported accepted) => throw new NotSupportedException();

        public void UpdateCommand(CommandResultReported result, string? answerKey, DateTimeOffset? answerDeadline) => throw new NotSupportedException();

        public IReadOnlyList<StoredCommand> OpenCommands() => [];
    }
}
