using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Profiles;
using RadioGateway.Hosting;
using RadioGateway.Simulator.ControlStations;
using RadioGateway.Simulator.Scenarios;
using Serilog.Extensions.Logging;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw simulate-station --profile F</c> for a <c>hytera-control-station</c> profile: the simulated station
/// listens on the profile's <c>network.radioAddress</c> (a 127.0.0.0/8 address) and <c>services.hrnpPort</c>, where
/// the gateway using the same profile connects.
/// </summary>
public static class SimulateHyteraStation
{
    public static async Task<int> RunAsync(ControlStationProfile station, FileInfo? scenarioFile, bool loop, uint[] silent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(station);
        var hytera = station.Hytera!;
        Scenario scenario;
        try
        {
            scenario = scenarioFile is { } file ? Scenario.Load(file.FullName) : Scenario.Default();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            await Console.Error.WriteLineAsync($"radiogw: scenario: {e.Message}").ConfigureAwait(false);
            return GatewayCommandLine.ConfigurationError;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(GatewayConfiguration.Defaults).Build();
        await using var serilog = Logging.Create(configuration, logDirectory: null);
        using var loggers = new SerilogLoggerFactory(serilog);
        var simulator = new SimulatedHyteraControlStation(scenario, new SimulatedHyteraOptions
        {
            ListenAddress = station.Network!.RadioAddress!,
            HrnpPort = hytera.HrnpPort,
            RadioSubnet = hytera.RadioSubnet,
            SilentUnits = silent.ToHashSet(),
            Loop = loop,
        }, TimeProvider.System, loggers.CreateLogger<SimulatedHyteraControlStation>());
        try
        {
            await simulator.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"radiogw: {e.Message}").ConfigureAwait(false);
            return GatewayCommandLine.ConfigurationError;
        }

        return 0;
    }
}
