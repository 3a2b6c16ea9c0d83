using System.CommandLine;
using RadioGateway.Hosting;

namespace RadioGateway.OperatorConsole;

/// <summary>
/// <c>radiogw console [--broker URL]</c>: the fleet view for the central office over the central broker;
/// <c>radiogw console add-user NAME --role ROLE</c>: creates or replaces a console account (password from stdin or a prompt).
/// </summary>
public static class ConsoleCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Settings file naming Gateway:DataDirectory", Recursive = true };
        var name = new Argument<string>("name") { Description = "User name (letters, digits, '.', '_', '-')" };
        var role = new Option<string>("--role") { Description = "operator, technician or viewer", Required = true };
        role.AcceptOnlyFromAmong(ConsoleRoles.All);
        var addUser = new Command("add-user", "Create or replace a console account (password read from stdin, or prompted)") { name, role };
        addUser.TreatUnmatchedTokensAsErrors = false;
        addUser.SetAction(parse =>
        {
            var configFile = parse.GetValue(config)?.FullName;
            GatewaySettings settings;
            try
            {
                // Settings overrides (--Gateway:DataDirectory=…) pass through to the configuration.
                settings = GatewaySettingsLoader.Load(GatewayConfiguration.Build(configFile, parse.UnmatchedTokens), configFile);
            }
            catch (ConfigurationProblemException e)
            {
                foreach (var problem in e.Problems)
                {
                    System.Console.Error.WriteLine($"radiogw: configuration error: {problem}");
                }

                return Cli.GatewayCommandLine.ConfigurationError;
            }

            var password = ReadPassword();
            var problemText = new ConsoleUsers(settings.DataDirectory).Save(parse.GetValue(name)!, parse.GetValue(role)!, password ?? "");
            if (problemText is not null)
            {
                System.Console.Error.WriteLine($"radiogw: {problemText}");
                return Cli.GatewayCommandLine.ConfigurationError;
            }

            System.Console.WriteLine($"console user '{parse.GetValue(name)}' ({parse.GetValue(role)}) saved in {Path.Combine(settings.DataDirectory, ConsoleUsers.FileName)}");
            return 0;
        });
        var broker = new Option<string?>("--broker") { Description = "The central broker (mqtts://host:8883); overrides Mqtt:Broker" };
        var console = new Command("console", "The fleet view: the operator console for every gateway on the central broker. Extra --Section:Key=value arguments override configuration.")
        {
            config,
            broker,
            addUser,
        };
        console.TreatUnmatchedTokensAsErrors = false;
        console.SetAction(async (parse, cancellationToken) =>
        {
            var configFile = parse.GetValue(config)?.FullName;
            var overrides = parse.UnmatchedTokens.ToList();
            if (parse.GetValue(broker) is { } url)
            {
                overrides.Add("--Mqtt:Broker=" + url);
            }

            Microsoft.Extensions.Configuration.IConfigurationRoot configuration;
            GatewaySettings settings;
            try
            {
                configuration = GatewayConfiguration.Build(configFile, overrides);
                settings = GatewaySettingsLoader.Load(configuration, configFile);
            }
            catch (ConfigurationProblemException e)
            {
                return await Cli.GatewayCommandLine.ReportAsync(e).ConfigureAwait(false);
            }

            return await Fleet.FleetConsoleHost.RunAsync(configuration, settings, cancellationToken).ConfigureAwait(false);
        });
        return console;
    }

    /// <summary>The first line of stdin when it is redirected; otherwise a prompt without echo.</summary>
    private static string? ReadPassword()
    {
        if (System.Console.IsInputRedirected)
        {
            return System.Console.In.ReadLine();
        }

        System.Console.Error.Write("password: ");
        var password = new System.Text.StringBuilder();
        for (var key = System.Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = System.Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
            {
                password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        System.Console.Error.WriteLine();
        return password.ToString();
    }
}
