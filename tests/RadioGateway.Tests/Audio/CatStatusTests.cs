using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
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
/// CAT in the status: a real <c>rigctld -m 1</c> (Hamlib's dummy rig) is read at start and every 30 s of the clock;
/// frequency and mode go into the modem status of radio <c>NAME.cat</c> when they change, and into the retained
/// <c>status</c> message's <c>cat</c>.
/// </summary>
public sealed class CatStatusTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-cat-").FullName;
    private readonly string _rigHost = ExternalTool.UniqueLoopbackAddress();
    private readonly int _rigPort = ExternalTool.FreeLoopbackPort();
    private RunningProcess? _rigctld;

    public Task InitializeAsync()
    {
        _rigctld = ExternalTool.Start(ExternalTool.Require("rigctld", "libhamlib-utils"), ["-m", "1", "-P", "RIG", "-T", _rigHost, "-t", _rigPort.ToString(CultureInfo.InvariantCulture)]);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _rigctld?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private sealed class ModemEvents : IEventSink
    {
        private readonly List<TaskCompletionSource<ModemStatusChanged>> _waiting = [new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)];
        private int _count;

        public Task<ModemStatusChanged> Nth(int index) => _waiting[index].Task;

        public void Publish(DomainEvent domainEvent)
        {
            if (domainEvent is ModemStatusChanged modem)
            {
                var index = Interlocked.Increment(ref _count) - 1;
                if (index < _waiting.Count)
                {
                    _waiting[index].TrySetResult(modem);
                }
            }
        }
    }

    private sealed class NoResults : ICommandStore
    {
        public void RecordResult(CommandResultReported result) => throw new NotSupportedException();

        public bool AcceptCommand(CommandRequest request, CommandResultReported accepted) => throw new NotSupportedException();

        public void UpdateCommand(CommandResultReported result, string? answerKey, DateTimeOffset? answerDeadline) => throw new NotSupportedException();

        public IReadOnlyList<StoredCommand> OpenCommands() => [];
    }

    [Fact]
    public async Task Frequency_and_mode_from_rigctld_go_into_the_modem_status_and_the_status_message_and_follow_a_change()
    {
        var audio = new AudioProfile("default", 48000, 1, PttMethod.Cat, null, false, $"{_rigHost}:{_rigPort}", null);
        var plan = new RadioPlan("radio0", new MmdvmSessionSettings { RadioId = "radio0", Config = new MmdvmConfig(false, false, false, false, 100, 128, 128, 1, 0), Frequency = new MmdvmFrequency(145_000_000, 145_000_000, 255), TxTimeout = TimeSpan.FromSeconds(60) }, _ => throw new IOException("not used")) { Audio = audio };
        var settings = new GatewaySettings(new GatewayOptions(), new MqttOptions(), [], new ConsoleOptions(), new CommandOptions(), _directory, null);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        var events = new ModemEvents();
        var cat = new CatStatus();
        await using var control = await ConnectAsync();
        using var service = new AnnouncementService(settings, [plan], new TransmitLimiter(new TransmitLimits(), time), new NoResults(), events, time, NullLoggerFactory.Instance, cat);

        await service.StartAsync(CancellationToken.None);
        var first = await events.Nth(0).WaitAsync(Patience);
        Assert.Equal("radio0.cat", first.RadioId);
        Assert.Contains("frequencyHz=145000000 mode=FM", first.Detail, StringComparison.Ordinal);

        // The operator turns the radio to the channel: the next poll, 30 s of the clock later, reports it.
        await control.SendAsync("F 438975000\n");
        time.Advance(AnnouncementService.CatPollInterval);
        var second = await events.Nth(1).WaitAsync(Patience);
        Assert.Contains("frequencyHz=438975000", second.Detail, StringComparison.Ordinal);

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            cat.WriteTo(writer);
            writer.WriteEndObject();
        }

        using var status = JsonDocument.Parse(buffer.WrittenMemory);
        var reading = Assert.Single(status.RootElement.GetProperty("cat").EnumerateArray());
        Assert.Equal(("radio0", 438975000, "FM", "2026-11-30T02:00:30.000Z"), (reading.GetProperty("radioId").GetString(), reading.GetProperty("frequencyHz").GetInt64(), reading.GetProperty("mode").GetString(), reading.GetProperty("time").GetString()));
        await service.StopAsync(CancellationToken.None);
    }

    /// <summary>A second connection to rigctld, as the operator's own program would have.</summary>
    private async Task<RawRigctld> ConnectAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            try
            {
                var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(_rigHost, _rigPort, patience.Token);
                return new RawRigctld(client);
            }
            catch (System.Net.Sockets.SocketException) when (!patience.IsCancellationRequested)
            {
                await Task.Yield();
            }
        }
    }

    private sealed class RawRigctld(System.Net.Sockets.TcpClient client) : IAsyncDisposable
    {
        private readonly StreamReader _reader = new(client.GetStream(), Encoding.ASCII);

        /// <summary>Sends a command and reads rigctld's <c>RPRT 0</c>.</summary>
        public async Task SendAsync(string command)
        {
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(command));
            var reply = await _reader.ReadLineAsync().WaitAsync(Patience);
            Assert.Equal("RPRT 0", reply);
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
