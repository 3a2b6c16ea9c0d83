using System.CommandLine;
using RadioGateway.Hosting;

namespace RadioGateway.OperatorConsole;

/// <summary><c>radiogw console add-user NAME --role ROLE</c>: creates or replaces a console account; the password comes from stdin or a prompt.</summary>
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
        return new Command("console", "The operator console's accounts") { config, addUser };
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
