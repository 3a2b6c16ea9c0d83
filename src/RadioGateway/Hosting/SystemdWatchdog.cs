using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RadioGateway.Hosting;

/// <summary>
/// systemd's watchdog (<c>WatchdogSec=</c>): while the radio and journal loops are alive, sends <c>WATCHDOG=1</c> on
/// <c>NOTIFY_SOCKET</c> at half the interval systemd gives in <c>WATCHDOG_USEC</c> (sd_watchdog_enabled(3)). When a
/// loop has ended the pings stop, and systemd restarts the service. Without those variables it does nothing.
/// </summary>
public sealed partial class SystemdWatchdog(GatewayHealth health, TimeProvider time, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval() is not { } interval || Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is not { Length: > 0 } socketPath)
        {
            return;
        }

        // sd_notify(3): a leading '@' names a socket in the abstract namespace.
        var endPoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        LogEnabled(interval.TotalSeconds);
        var silent = false;
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                if (health.LoopsAlive(out var reason))
                {
                    await socket.SendToAsync("WATCHDOG=1"u8.ToArray(), SocketFlags.None, endPoint, stoppingToken).ConfigureAwait(false);
                    silent = false;
                }
                else if (!silent)
                {
                    silent = true;
                    LogStopped(reason!);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (SocketException e)
        {
            LogSocketFailed(e.Message);
        }
    }

    /// <summary>Half of <c>WATCHDOG_USEC</c>, when it is set for this process (<c>WATCHDOG_PID</c> unset or ours).</summary>
    private static TimeSpan? Interval()
    {
        if (!long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return null;
        }

        if (Environment.GetEnvironmentVariable("WATCHDOG_PID") is { Length: > 0 } pid
            && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(microseconds / 2);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog: pinging every {Seconds} s while the radio and journal loops run")]
    private partial void LogEnabled(double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "systemd watchdog pings stopped: {Reason}; systemd will restart the gateway")]
    private partial void LogStopped(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "systemd watchdog: the notify socket failed ({Reason}); no more pings")]
    private partial void LogSocketFailed(string reason);
}
