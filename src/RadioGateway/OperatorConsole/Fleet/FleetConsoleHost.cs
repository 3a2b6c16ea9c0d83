using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Hosting;
using Serilog;

namespace RadioGateway.OperatorConsole.Fleet;

/// <summary>Composes and runs <c>radiogw console</c>: the fleet view as its own small service (no radios, no journal).</summary>
public static class FleetConsoleHost
{
    /// <summary>Why the settings cannot serve a fleet view (each problem by key), or none.</summary>
    public static IReadOnlyList<ConfigurationProblem> Problems(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<ConfigurationProblem>();
        if (string.IsNullOrEmpty(settings.Mqtt.Broker))
        {
            problems.Add(new("Mqtt:Broker", "is empty; the fleet view needs the central broker (--broker mqtts://host:8883)"));
        }

        if (FleetTopics.Problem(settings.Mqtt.TopicPrefix) is { } topicProblem)
        {
            problems.Add(new("Mqtt:TopicPrefix", topicProblem));
        }

        if (ConsoleSettings.Urls(settings.Console).Count == 0)
        {
            problems.Add(new("Console:Urls", "is empty; the fleet view is a web page and needs an address to listen on"));
        }

        return problems;
    }

    public static async Task<int> RunAsync(IConfigurationRoot configuration, GatewaySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (Problems(settings) is { Count: > 0 } problems)
        {
            return await Cli.GatewayCommandLine.ReportAsync(new ConfigurationProblemException(problems)).ConfigureAwait(false);
        }

        Directory.CreateDirectory(settings.DataDirectory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(
            logger => Logging.Configure(logger, configuration, Path.Combine(settings.DataDirectory, "logs"), settings.JsonLogFile),
            preserveStaticLogger: true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = Cli.GatewayCommandLine.HostShutdownTimeout);
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ConsoleEventHub>();
        builder.Services.AddHostedService<FleetConsoleService>();
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
