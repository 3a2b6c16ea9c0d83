using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Store;
using RadioGateway.Hosting;

namespace RadioGateway.Tests.Hosting;

/// <summary>What the watchdog and <c>/healthz</c> decide from: the radio loops and the modem link events.</summary>
public sealed class GatewayHealthTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-health-").FullName;
    private readonly GatewayStore _store;
    private readonly EventRecorder _recorder;

    public GatewayHealthTests()
    {
        _store = GatewayStore.Open(_directory, new CloudEventWriter("health"));
        _recorder = new EventRecorder(_store, NullLogger<EventRecorder>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _recorder.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static GatewaySettings Settings() => GatewaySettingsLoader.Load(
        new ConfigurationBuilder().AddInMemoryCollection(GatewayConfiguration.Defaults).Build(), configFile: null);

    [Fact]
    public async Task The_watchdog_sees_the_loops_alive_while_the_radio_worker_runs_and_dead_once_it_has_ended()
    {
        var settings = Settings();
        var plan = SimulatedBaseStation.Plan(TimeProvider.System, NullLoggerFactory.Instance);
        var worker = new RadioWorker(plan, settings, _recorder, TimeProvider.System, NullLoggerFactory.Instance, new RadioAnswerHub());
        using var services = new ServiceCollection().AddSingleton<IHostedService>(worker).BuildServiceProvider();
        var health = new GatewayHealth(settings, [plan], _recorder, services);

        await worker.StartAsync(CancellationToken.None);
        Assert.True(health.LoopsAlive(out var whileRunning), whileRunning);

        await worker.StopAsync(CancellationToken.None);
        Assert.False(health.LoopsAlive(out var reason));
        Assert.Equal("a radio loop has ended", reason);
        worker.Dispose();
    }

    [Fact]
    public void Not_ready_until_every_radio_link_is_up_and_again_when_one_drops()
    {
        var settings = Settings();
        var plan = SimulatedBaseStation.Plan(TimeProvider.System, NullLoggerFactory.Instance);
        using var services = new ServiceCollection().BuildServiceProvider();
        var health = new GatewayHealth(settings, [plan], _recorder, services);
        ModemStatusChanged Link(bool up, string detail) => new() { Id = $"link-{up}", Time = DateTimeOffset.UnixEpoch, RadioId = plan.RadioId, LinkUp = up, Detail = detail };

        Assert.Equal(["modem link of radio sim is down (not up yet)"], health.Evaluate().Reasons);
        health.Observe(Link(true, "MMDVM protocol 2"));
        var ready = health.Evaluate();
        Assert.True(ready.Ready);
        Assert.False(ready.Uplink.Configured);
        health.Observe(Link(false, "device gone"));
        Assert.Equal(["modem link of radio sim is down (device gone)"], health.Evaluate().Reasons);
    }
}
