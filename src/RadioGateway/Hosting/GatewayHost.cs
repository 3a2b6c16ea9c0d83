using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Journal;
using RadioGateway.Core.Store;
using Serilog;

namespace RadioGateway.Hosting;

/// <summary>Composes and runs the gateway service.</summary>
public static class GatewayHost
{
    /// <param name="simulatedRadio">With <paramref name="simulate"/>: <c>mmdvm</c> (the simulated base station) or <c>motorola</c> (a simulated control station).</param>
    /// <summary>
    /// A host for <c>run</c> and the fleet view: the given configuration only, Serilog to console and files, the
    /// shutdown timeout, systemd and Windows service lifetimes (each active only under its service manager), the
    /// settings and the clock.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(IConfigurationRoot configuration, GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            Configuration = new ConfigurationManager(),
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();

        // The host disposes the logger, flushing the async sinks after the journal has closed.
        builder.Services.AddSerilog(
            logger => Logging.Configure(logger, configuration, Path.Combine(settings.DataDirectory, "logs"), settings.JsonLogFile),
            preserveStaticLogger: true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = Cli.GatewayCommandLine.HostShutdownTimeout);

        // systemd (Type=notify): READY=1 once every hosted service has started, STOPPING=1 when stopping begins.
        // Each only on its own OS: asking whether it runs as a Windows service loads System.Diagnostics.Process on Linux.
        if (OperatingSystem.IsWindows())
        {
            builder.Services.AddWindowsService();
        }
        else
        {
            builder.Services.AddSystemd();
        }

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static async Task<int> RunAsync(IConfigurationRoot configuration, GatewaySettings settings, bool simulate, CancellationToken cancellationToken, string simulatedRadio = "mmdvm")
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (simulate && settings.Roster.Count == 0)
        {
            // The simulated field units, by name, unless a roster file says otherwise.
            settings = settings with { Roster = SimulatedBaseStation.Roster };
        }

        if (simulate && settings.Gateway.RadioId == 0)
        {
            // The simulated units address their dispatcher; the gateway transmits as it.
            settings.Gateway.RadioId = (int)Simulator.Scenarios.Scenario.DispatcherId;
        }

        // Profiles are loaded and checked before anything opens a port or keys a transmitter.
        IReadOnlyList<Func<IServiceProvider, RadioPlan>> plans;
        IReadOnlyList<ControlStations.ControlStationPlan> stations;
        try
        {
            plans = simulate
                ? simulatedRadio == "mmdvm" ? [sp => SimulatedBaseStation.Plan(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>())] : []
                : RadioPlans.FromSettings(settings).Select(p => (Func<IServiceProvider, RadioPlan>)(_ => p)).ToList();
            stations = simulate
                ? ControlStations.SimulatedControlStations.Plans(simulatedRadio)
                : ControlStations.ControlStationPlans.FromSettings(settings);
            ControlStations.ControlStationPreflight.Check(stations, settings);
        }
        catch (ConfigurationProblemException e)
        {
            return await Cli.GatewayCommandLine.ReportAsync(e).ConfigureAwait(false);
        }

        // The lock file stays after a run: its presence marks a directory a gateway used before (issue 11 #4).
        var gatewayRanHere = File.Exists(Path.Combine(settings.DataDirectory, DataDirectoryLock.LockFileName));
        DataDirectoryLock dataDirectory;
        try
        {
            dataDirectory = DataDirectoryLock.Acquire(settings.DataDirectory);
        }
        catch (ConfigurationProblemException e)
        {
            return await Cli.GatewayCommandLine.ReportAsync(e).ConfigureAwait(false);
        }

        using var heldDataDirectory = dataDirectory;

        // Opened (and checked) before the host, so a damaged journal stops the gateway with one line.
        GatewayStore openedStore;
        try
        {
            openedStore = GatewayStore.Open(settings.DataDirectory, new CloudEventWriter(settings.Gateway.Id, settings.TopicPrefix), TimeProvider.System);
        }
        catch (JournalDamagedException e)
        {
            await Console.Error.WriteLineAsync($"radiogw: {e.Message}").ConfigureAwait(false);
            return Cli.GatewayCommandLine.ConfigurationError;
        }

        using var store = openedStore;
        var builder = CreateBuilder(configuration, settings);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new JournalOrigin(store.DatabasePath, store.CreatedNew && gatewayRanHere));
        GatewayServices.Add(builder.Services, settings, plans);
        ControlStations.ControlStationServices.Add(builder.Services, settings, stations, simulate);

        using var host = builder.Build();
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RadioGateway");
        if (!OperatingSystem.IsWindows() && !string.IsNullOrEmpty(settings.Mqtt.PasswordFile)
            && GatewayConfiguration.ResolvePath(settings.Mqtt.PasswordFile, settings.ConfigFile) is var passwordFile
            && (File.GetUnixFileMode(passwordFile) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            log.LogWarning("Password file {File} can be read by every user of this machine: chmod 600 it, or 640 with the service's group", passwordFile);
        }

        LogDirectory(log, Path.Combine(settings.DataDirectory, "logs"));
        if (plans.Count == 0 && stations.Count == 0)
        {
            log.LogWarning("No radios configured (Radios:N:Profile): nothing to listen to. Use --simulate for the simulated base station");
        }

        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return Environment.ExitCode; // non-zero when a service stopped the gateway for a fault (JournalService.WriteFailureExitCode)
    }

    private static void LogDirectory(Microsoft.Extensions.Logging.ILogger log, string directory) =>
        log.LogInformation("Log files in {LogDirectory}; status in {StatusFile}", directory, Path.Combine(Path.GetDirectoryName(directory)!, GatewayStatusFile.FileName));
}
