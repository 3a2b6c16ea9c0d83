using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RadioGateway.Hosting;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;
using RadioGateway.Transport.Serial;
using Serilog.Extensions.Logging;

namespace RadioGateway.Cli;

/// <summary><c>radiogw simulate --serial PATH | --tcp PORT</c> — the simulated base station for tests, training and demos.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var serial = new Option<string?>("--serial") { Description = "Serial device or pty to act as the modem on" };
        var tcp = new Option<int?>("--tcp") { Description = "TCP port to listen on (loopback) for one gateway at a time" };
        var scenarioFile = new Option<FileInfo?>("--scenario") { Description = "Scenario JSON (default: a generated busy hour)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated scenario", DefaultValueFactory = _ => 1 };
        var once = new Option<bool>("--once") { Description = "Play the scenario once, then stay silent" };
        var colourCode = new Option<byte>("--colour-code") { Description = "Colour code of the simulated channel", DefaultValueFactory = _ => 1 };
        var protocol = new Option<byte>("--protocol") { Description = "MMDVM protocol version to present (1 or 2)", DefaultValueFactory = _ => 2 };
        var command = new Command("simulate", "Run the simulated MMDVM base station on a serial device/pty or a TCP port")
        {
            serial, tcp, scenarioFile, seed, once, colourCode, protocol,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(serial) is null) == (result.GetValue(tcp) is null))
            {
                result.AddError("give exactly one of --serial PATH or --tcp PORT");
            }
        });
        protocol.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<byte>() is not (1 or 2))
            {
                result.AddError("--protocol must be 1 or 2");
            }
        });
        tcp.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is not (null or (>= 1 and <= 65535)))
            {
                result.AddError("--tcp must be a port 1–65535");
            }
        });
        colourCode.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<byte>() > 15)
            {
                result.AddError("--colour-code must be 0–15");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(GatewayConfiguration.Defaults).Build();
            await using var serilog = Logging.Create(configuration, logDirectory: null);
            using var loggers = new SerilogLoggerFactory(serilog);
            Scenario scenario;
            try
            {
                scenario = parse.GetValue(scenarioFile) is { } file ? Scenario.Load(file.FullName) : Scenario.Default(parse.GetValue(seed));
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                await Console.Error.WriteLineAsync($"radiogw: scenario: {e.Message}").ConfigureAwait(false);
                return GatewayCommandLine.ConfigurationError;
            }

            var options = new SimulatedModemOptions
            {
                ColourCode = parse.GetValue(colourCode),
                ProtocolVersion = parse.GetValue(protocol),
                Loop = !parse.GetValue(once),
            };
            var log = loggers.CreateLogger("RadioGateway.Simulator");
            if (parse.GetValue(serial) is { } path)
            {
                Stream port;
                try
                {
                    port = SerialPortFactory.Open(new SerialPortSettings(path));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"radiogw: --serial {path}: {e.Message}").ConfigureAwait(false);
                    return GatewayCommandLine.ConfigurationError;
                }

                await using var heldPort = port;
                log.LogInformation("Simulated base station on {Port}: scenario {Scenario}, {Calls} calls", path, scenario.Name, scenario.Calls.Count);
                await RunModemAsync(port, scenario, options, loggers, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            using var listener = new TcpListener(IPAddress.Loopback, parse.GetValue(tcp)!.Value);
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                await Console.Error.WriteLineAsync($"radiogw: --tcp {parse.GetValue(tcp)}: {e.Message}").ConfigureAwait(false);
                return GatewayCommandLine.ConfigurationError;
            }

            log.LogInformation("Simulated base station listening on {Endpoint}", listener.LocalEndpoint);
            while (!cancellationToken.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                client.NoDelay = true;
                log.LogInformation("Gateway connected from {Remote}", client.Client.RemoteEndPoint);
                await RunModemAsync(client.GetStream(), scenario, options, loggers, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static async Task RunModemAsync(Stream link, Scenario scenario, SimulatedModemOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var modem = new SimulatedMmdvmModem(scenario, options, TimeProvider.System, loggers.CreateLogger<SimulatedMmdvmModem>());
        try
        {
            await modem.RunAsync(link, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C
        }
        catch (IOException e)
        {
            loggers.CreateLogger("RadioGateway.Simulator").LogWarning("Link closed: {Reason}", e.Message);
        }
    }
}
