using System.CommandLine;
using RadioGateway.Hosting;

namespace RadioGateway.Cli;

/// <summary><c>radiogw run [--config FILE] [--simulate] [--Key=value …]</c> — the service.</summary>
public static class RunCommand
{
    private static IReadOnlyList<string> SimulatedControlStationKinds => Hosting.ControlStations.SimulatedControlStations.RadioKinds;

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON settings file (layered over the embedded defaults)" };
        var simulate = new Option<bool>("--simulate") { Description = "Use the built-in simulated base station (real MMDVM serial protocol, in process)" };
        var radio = new Option<string>("--radio") { Description = "With --simulate: mmdvm (base station) or motorola (MOTOTRBO control station on loopback)", DefaultValueFactory = _ => "mmdvm" };
        radio.AcceptOnlyFromAmong([.. SimulatedControlStationKinds]);
        var command = new Command("run", "Run the gateway service. Extra --Section:Key=value arguments override configuration.")
        {
            config,
            simulate,
            radio,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            GatewaySettings settings;
            Microsoft.Extensions.Configuration.IConfigurationRoot configuration;
            var configFile = parse.GetValue(config)?.FullName;
            try
            {
                configuration = GatewayConfiguration.Build(configFile, parse.UnmatchedTokens);
                settings = GatewaySettingsLoader.Load(configuration, configFile);
            }
            catch (ConfigurationProblemException e)
            {
                return await GatewayCommandLine.ReportAsync(e).ConfigureAwait(false);
            }

            return await GatewayHost.RunAsync(configuration, settings, parse.GetValue(simulate), cancellationToken, parse.GetValue(radio)!).ConfigureAwait(false);
        });
        return command;
    }
}
