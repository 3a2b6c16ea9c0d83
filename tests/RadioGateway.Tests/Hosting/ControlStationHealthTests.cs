using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.ControlStations.Motorola;
using RadioGateway.Core.Events;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Radio;
using RadioGateway.Core.Store;
using RadioGateway.Hosting;
using RadioGateway.Hosting.ControlStations;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Tests.Hosting;

/// <summary>Health (<c>/healthz</c>, <c>radiogw status</c>) follows a control station's link like a modem's.</summary>
public sealed class ControlStationHealthTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-cs-health-").FullName;
    private readonly GatewayStore _store;
    private readonly EventRecorder _recorder;

    public ControlStationHealthTests()
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

    [Fact]
    public void A_control_station_is_not_ready_until_its_link_is_up_and_again_when_it_is_unplugged()
    {
        var settings = GatewaySettingsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(GatewayConfiguration.Defaults).Build(), configFile: null);
        using var services = new ServiceCollection().AddSingleton(new ControlStationRadios(["cs1", "kw1"])).BuildServiceProvider();
        var health = new GatewayHealth(settings, [], _recorder, services);
        ModemStatusChanged Link(string radio, bool up, string detail) => new() { Id = $"{radio}-{up}", Time = DateTimeOffset.UnixEpoch, RadioId = radio, LinkUp = up, Detail = detail };

        Assert.Equal(["modem link of radio cs1 is down (not up yet)", "modem link of radio kw1 is down (not up yet)"], health.Evaluate().Reasons);
        health.Observe(Link("cs1", true, "ARS, LRRP, TMS bound"));
        health.Observe(Link("kw1", true, "serial open"));
        Assert.True(health.Evaluate().Ready);
        Assert.Equal(["cs1", "kw1"], health.Evaluate().Radios.Select(r => r.Radio));

        health.Observe(Link("cs1", false, "198.19.0.1 left its network interface: control station unplugged?"));
        Assert.Equal(["modem link of radio cs1 is down (198.19.0.1 left its network interface: control station unplugged?)"], health.Evaluate().Reasons);
    }

    [Fact]
    public async Task The_watchdog_sees_a_control_stations_loop_alive_while_it_runs_and_dead_once_it_has_ended()
    {
        var settings = GatewaySettingsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(GatewayConfiguration.Defaults).Build(), configFile: null);
        var station = new MotorolaControlStation(
            new MotorolaStationSettings { RadioId = "cs1", LocalAddress = System.Net.IPAddress.Loopback, ArsPort = 0, LrrpPort = 0, TmsPort = 0, Networks = new CaiNetworks(127, 127) },
            Core.Roster.UnitRoster.Empty,
            _recorder,
            TimeProvider.System,
            NullLogger<MotorolaControlStation>.Instance);
        var served = ControlStationServices.Motorola(SimulatedControlStations.Plans("motorola")[0], station);
        var worker = new ControlStationWorker(served, _recorder, TimeProvider.System, NullLoggerFactory.Instance, new RadioAnswerHub());
        using var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(worker).BuildServiceProvider();
        var health = new GatewayHealth(settings, [], _recorder, services);

        await worker.StartAsync(CancellationToken.None);
        Assert.True(health.LoopsAlive(out var whileRunning), whileRunning);

        await worker.StopAsync(CancellationToken.None);
        Assert.False(health.LoopsAlive(out var reason));
        Assert.Equal("a radio loop has ended", reason);
        worker.Dispose();
    }
}
