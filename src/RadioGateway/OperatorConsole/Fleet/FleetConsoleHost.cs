using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RadioGateway.Hosting;

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
        var builder = GatewayHost.CreateBuilder(configuration, settings);
        builder.Services.AddSingleton<ConsoleEventHub>();
        builder.Services.AddHostedService<FleetConsoleService>();
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
