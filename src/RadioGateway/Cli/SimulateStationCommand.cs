using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Profiles;
using RadioGateway.Hosting;
using RadioGateway.Protocols.Motorola;
using RadioGateway.Simulator.ControlStations;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;
using Serilog.Extensions.Logging;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw simulate-station --profile FILE</c> — a simulated MOTOTRBO control station and its radios on loopback,
/// facing the gateway that uses the same profile (its local address, CAI network 127 and service ports).
/// </summary>
public static class SimulateStationCommand
{
    public static Command Create()
    {
        var profile = new Option<FileInfo>("--profile") { Description = "The motorola-control-station (network.caiNetwork 127) or hytera-control-station (network.radioAddress in 127.0.0.0/8) profile the gateway uses", Required = true };
        var scenarioFile = new Option<FileInfo?>("--scenario") { Description = "Scenario JSON whose data the radios send (default: a generated busy hour)" };
        var once = new Option<bool>("--once") { Description = "Play the scenario once, then only answer" };
        var serial = new Option<string?>("--serial") { Description = "kenwood-serial profiles: the serial device or pty to act as the radio's data port on" };
        var silent = new Option<uint[]>("--silent") { Description = "Units that never answer", DefaultValueFactory = _ => [SimulatedModemOptions.DefaultSilentUnit], AllowMultipleArgumentsPerToken = true };
        var command = new Command("simulate-station", "Run a simulated MOTOTRBO or Hytera control station with its field radios on 127.0.0.0/8, or a Kenwood base radio's data port on --serial")
        {
            profile, scenarioFile, once, silent, serial,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(profile)!.FullName;
            var station = ControlStationProfiles.Load(path, out var diagnostics);
            foreach (var diagnostic in diagnostics)
            {
                await Console.Error.WriteLineAsync($"radiogw: {diagnostic}").ConfigureAwait(false);
            }

            if (station is { Kenwood: not null })
            {
                return await RunKenwoodAsync(parse.GetValue(serial), parse.GetValue(scenarioFile), !parse.GetValue(once), cancellationToken).ConfigureAwait(false);
            }

            if (station is { Hytera: not null })
            {
                return await SimulateHyteraStation.RunAsync(station, parse.GetValue(scenarioFile), !parse.GetValue(once), parse.GetValue(silent)!, cancellationToken).ConfigureAwait(false);
            }

            if (station is not { Motorola: { } motorola, Network: { } network })
            {
                if (diagnostics.Count == 0)
                {
                    await Console.Error.WriteLineAsync($"radiogw: --profile {path}: not a motorola-control-station profile").ConfigureAwait(false);
                }

                return GatewayCommandLine.ConfigurationError;
            }

            Scenario scenario;
            try
            {
                scenario = parse.GetValue(scenarioFile) is { } file ? Scenario.Load(file.FullName) : Scenario.Default();
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                await Console.Error.WriteLineAsync($"radiogw: scenario: {e.Message}").ConfigureAwait(false);
                return GatewayCommandLine.ConfigurationError;
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(GatewayConfiguration.Defaults).Build();
            await using var serilog = Logging.Create(configuration, logDirectory: null);
            using var loggers = new SerilogLoggerFactory(serilog);
            var simulator = new SimulatedMotorolaControlStation(scenario, new SimulatedMotorolaOptions
            {
                GatewayAddress = network.LocalAddress,
                ArsPort = motorola.ArsPort,
                LrrpPort = motorola.LrrpPort,
                TmsPort = motorola.TmsPort,
                Networks = new CaiNetworks(motorola.CaiNetwork, motorola.GroupNetwork),
                SilentUnits = parse.GetValue(silent)!.ToHashSet(),
                Loop = !parse.GetValue(once),
            }, TimeProvider.System, loggers.CreateLogger<SimulatedMotorolaControlStation>());
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
        });
        return command;
    }

    private static async Task<int> RunKenwoodAsync(string? serial, FileInfo? scenarioFile, bool loop, CancellationToken cancellationToken)
    {
        if (serial is null)
        {
            await Console.Error.WriteLineAsync("radiogw: a kenwood-serial profile needs --serial PATH (the radio's data port)").ConfigureAwait(false);
            return GatewayCommandLine.ConfigurationError;
        }

        Scenario scenario;
        Stream port;
        try
        {
            scenario = scenarioFile is { } file ? Scenario.Load(file.FullName) : Scenario.Default();
            port = Transport.Serial.SerialPortFactory.Open(new Transport.Serial.SerialPortSettings(serial));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"radiogw: {e.Message}").ConfigureAwait(false);
            return GatewayCommandLine.ConfigurationError;
        }

        await using var heldPort = port;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(GatewayConfiguration.Defaults).Build();
        await using var serilog = Logging.Create(configuration, logDirectory: null);
        using var loggers = new SerilogLoggerFactory(serilog);
        try
        {
            await new SimulatedKenwoodRadio(scenario, loop, TimeProvider.System, loggers.CreateLogger<SimulatedKenwoodRadio>()).RunAsync(port, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"radiogw: serial line {serial} closed: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }
}
