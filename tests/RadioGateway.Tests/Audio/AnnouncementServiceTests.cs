using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
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
/// <c>commands/announce</c> end to end inside the gateway's service: espeak-ng speaks the text, libasound plays it
/// into an ALSA <c>file</c> plugin PCM, a real rigctld (Hamlib dummy rig, PTT by CAT) is keyed and unkeyed, and the
/// command-results are recorded. The dummy rig sits on 145.000 MHz.
/// </summary>
public sealed class AnnouncementServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-announce-").FullName;
    private readonly string _rigHost = ExternalTool.UniqueLoopbackAddress();
    private readonly int _rigPort = ExternalTool.FreeLoopbackPort();
    private RunningProcess? _rigctld;

    public Task InitializeAsync()
    {
        ExternalTool.Require("espeak-ng", "espeak-ng");
        _rigctld = ExternalTool.Start(ExternalTool.Require("rigctld", "libhamlib-utils"), ["-m", "1", "-P", "RIG", "-T", _rigHost, "-t", _rigPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _rigctld?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<(List<CommandResultReported> Results, List<DomainEvent> Events, string Played)> AnnounceAsync(long channelFrequencyHz, string payload, int expectedResults)
    {
        var played = Path.Combine(_directory, "played.raw");
        var alsaConfig = Path.Combine(_directory, "alsa.conf");
        await File.WriteAllTextAsync(alsaConfig, $$"""pcm.radio { type file slave.pcm { type null } file "{{played}}" format "raw" }""");
        var audio = new AudioProfile("radio", 16000, 1, PttMethod.Cat, null, false, $"{_rigHost}:{_rigPort}", channelFrequencyHz, alsaConfig);
        var plan = new RadioPlan("radio0", new MmdvmSessionSettings { RadioId = "radio0", Config = new MmdvmConfig(false, false, false, false, 100, 128, 128, 1, 0), Frequency = new MmdvmFrequency(145_000_000, 145_000_000, 255), TxTimeout = TimeSpan.FromSeconds(60) }, _ => throw new IOException("not used")) { Audio = audio };
        var settings = new GatewaySettings(new GatewayOptions(), new MqttOptions(), [], new ConsoleOptions(), new CommandOptions(), _directory, null);
        var store = new ResultStore(expectedResults);
        var events = new EventList();
        using var service = new AnnouncementService(settings, [plan], new TransmitLimiter(new TransmitLimits(), TimeProvider.System), store, events, TimeProvider.System, NullLoggerFactory.Instance);

        await WaitForRigctldAsync();
        await service.StartAsync(CancellationToken.None);
        service.Take(Encoding.UTF8.GetBytes(payload));
        var results = await store.All.WaitAsync(Patience);
        await service.StopAsync(CancellationToken.None);
        return (results, events.Items, played);
    }

    private async Task WaitForRigctldAsync()
    {
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

    [Fact]
    public async Task A_persian_text_announcement_is_spoken_played_through_alsa_keyed_by_cat_and_reported_transmitted()
    {
        var (results, events, played) = await AnnounceAsync(145_000_000, """{"specversion":"1.0","id":"ann-1","source":"central","type":"radiogw.command.announce","data":{"to":{"id":9,"type":"group"},"text":"توجه، همه تیم‌ها به مرکز برگردند","voice":"fa"}}""", 2);

        // Once seen failing in a full run (Accepted, Failed within 130 ms, not reproduced alone): the reasons say why.
        Assert.True(results.Count == 2 && results[1].State == CommandState.Transmitted, "results: " + string.Join("; ", results.Select(r => $"{r.State} {r.Reason}")));
        Assert.Equal([CommandState.Accepted, CommandState.Transmitted], results.Select(r => r.State));
        Assert.All(results, r => Assert.Equal("ann-1", r.CommandId));
        Assert.True(new FileInfo(played).Length > 16000 * 2, "at least a second of speech reached libasound");
        await using var observer = await RigctldClient.ConnectAsync(_rigHost, _rigPort, CancellationToken.None);
        Assert.False(await observer.GetPttAsync(CancellationToken.None));
        var cat = Assert.IsType<ModemStatusChanged>(Assert.Single(events));
        Assert.Equal(("radio0.cat", "frequencyHz=145000000 mode=FM passbandHz=15000"), (cat.RadioId, cat.Detail));
    }

    [Fact]
    public async Task Off_the_channel_frequency_the_announcement_is_refused_without_keying()
    {
        var (results, _, played) = await AnnounceAsync(438_975_000, """{"id":"ann-2","data":{"to":{"id":9,"type":"group"},"text":"test","voice":"en"}}""", 2);

        Assert.Equal(CommandState.Failed, results[1].State);
        Assert.Equal("rejected: the radio is on 145000000 Hz, not on the channel's 438975000 Hz (CAT)", results[1].Reason);
        Assert.False(File.Exists(played));
    }

    [Theory]
    [InlineData("""{"id":"a","data":{"to":{"id":9,"type":"group"}}}""", "invalid: data: give either text or audioFile")]
    [InlineData("""{"id":"a","data":{"to":{"id":9,"type":"group"},"audioFile":"../../etc/passwd.wav"}}""", "invalid: data.audioFile: a .wav file name in the gateway's announcements directory (no path) is required")]
    [InlineData("""{"id":"a","data":{"to":{"id":9,"type":"group"},"text":"x","voice":"de"}}""", "invalid: data.voice: 'de' is not one of fa, en")]
    public async Task Bad_announce_commands_fail_naming_the_field(string payload, string reason)
    {
        var (results, _, _) = await AnnounceAsync(145_000_000, payload, 1);

        Assert.Equal((CommandState.Failed, reason), (results[0].State, results[0].Reason));
    }

    private sealed class ResultStore(int expected) : ICommandStore
    {
        private readonly List<CommandResultReported> _results = [];
        private readonly TaskCompletionSource<List<CommandResultReported>> _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<List<CommandResultReported>> All => _all.Task;

        public void RecordResult(CommandResultReported result)
        {
            lock (_results)
            {
                _results.Add(result);
                if (_results.Count == expected)
                {
                    _all.TrySetResult([.. _results]);
                }
            }
        }

        public bool AcceptCommand(CommandRequest request, CommandResultReported accepted) => throw new NotSupportedException();

        public void UpdateCommand(CommandResultReported result, string? answerKey, DateTimeOffset? answerDeadline) => throw new NotSupportedException();

        public IReadOnlyList<StoredCommand> OpenCommands() => [];
    }

    private sealed class EventList : IEventSink
    {
        public List<DomainEvent> Items { get; } = [];

        public void Publish(DomainEvent domainEvent)
        {
            lock (Items)
            {
                Items.Add(domainEvent);
            }
        }
    }
}
