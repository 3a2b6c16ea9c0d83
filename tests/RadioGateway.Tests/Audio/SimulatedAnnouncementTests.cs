using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.Commands;
using RadioGateway.Core.Events;
using RadioGateway.Hosting;
using RadioGateway.Testing;

namespace RadioGateway.Tests.Audio;

/// <summary><c>run --simulate</c>: an announcement goes out on the simulated channel through the same transmitter, limiter and results.</summary>
public sealed class SimulatedAnnouncementTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-simann-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class Results : ICommandStore
    {
        private readonly List<CommandResultReported> _results = [];

        public TaskCompletionSource<List<CommandResultReported>> Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void RecordResult(CommandResultReported result)
        {
            lock (_results)
            {
                _results.Add(result);
                if (result.State != CommandState.Accepted)
                {
                    Final.TrySetResult([.. _results]);
                }
            }
        }

        public bool AcceptCommand(CommandRequest request, CommandResultReported accepted) => throw new NotSupportedException();

        public void UpdateCommand(CommandResultReported result, string? answerKey, DateTimeOffset? answerDeadline) => throw new NotSupportedException();

        public IReadOnlyList<StoredCommand> OpenCommands() => [];
    }

    private sealed class NoEvents : IEventSink
    {
        public void Publish(DomainEvent domainEvent)
        {
        }
    }

    [Fact]
    public async Task A_spoken_announcement_is_transmitted_on_the_simulated_channel()
    {
        ExternalTool.Require("espeak-ng", "espeak-ng");
        var plan = SimulatedBaseStation.Plan(TimeProvider.System, NullLoggerFactory.Instance);
        var settings = new GatewaySettings(new GatewayOptions(), new MqttOptions(), [], new ConsoleOptions(), new CommandOptions(), _directory, null);
        var results = new Results();
        using var service = new AnnouncementService(settings, [plan], new TransmitLimiter(new TransmitLimits(), TimeProvider.System), results, new NoEvents(), TimeProvider.System, NullLoggerFactory.Instance);

        await service.StartAsync(CancellationToken.None);
        service.Take(Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"ann-sim","source":"central","type":"radiogw.command.announce","data":{"to":{"id":9,"type":"group"},"text":"Attention all teams","voice":"en"}}"""));
        var final = await results.Final.Task.WaitAsync(Patience);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal([CommandState.Accepted, CommandState.Transmitted], final.Select(r => r.State));
        var transmitted = Assert.Single(plan.SimulatedAir!.Transmitted);
        Assert.InRange(transmitted, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5));
    }
}
