using System.Diagnostics;
using System.Globalization;

namespace RadioGateway.Benchmarks;

/// <summary>
/// Wall time and CPU time over one timed section: the bench process (with the child processes it reaped meanwhile,
/// i.e. the <c>mosquitto_pub</c> runs), the broker, the subscriber, and the whole machine (from <c>/proc/stat</c>),
/// so a figure says whether the cores were busy and with whom (other builds on this shared machine included).
/// </summary>
public sealed class CpuMeter
{
    // USER_HZ, the unit of /proc times: 100 on every Linux ABI.
    private const double TicksPerSecond = 100;

    private readonly BenchBroker _broker;
    private readonly DeliveryCounter _subscriber;
    private readonly long _startedAt;
    private readonly TimeSpan _client;
    private readonly TimeSpan _brokerStart;
    private readonly TimeSpan _subscriberStart;
    private readonly TimeSpan _machineStart;

    private CpuMeter(BenchBroker broker, DeliveryCounter subscriber)
    {
        _broker = broker;
        _subscriber = subscriber;
        _client = ClientTime();
        _brokerStart = broker.ProcessorTime;
        _subscriberStart = subscriber.ProcessorTime;
        _machineStart = MachineBusyTime();
        _startedAt = Stopwatch.GetTimestamp();
    }

    public static CpuMeter Start(BenchBroker broker, DeliveryCounter subscriber) => new(broker, subscriber);

    public CpuUse Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_startedAt);
        var client = ClientTime() - _client;
        var broker = _broker.ProcessorTime - _brokerStart;
        var subscriber = _subscriber.ProcessorTime - _subscriberStart;
        var machine = MachineBusyTime() - _machineStart;
        return new CpuUse(wall, client, broker, subscriber, machine);
    }

    // This process plus its reaped children (cutime + cstime, fields 16 and 17 of /proc/self/stat).
    private static TimeSpan ClientTime()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var childTicks = long.Parse(fields[16 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[17 - 3], CultureInfo.InvariantCulture);
        return Environment.CpuUsage.TotalTime + TimeSpan.FromSeconds(childTicks / TicksPerSecond);
    }

    // All cores: everything but idle and iowait, from the first line of /proc/stat.
    private static TimeSpan MachineBusyTime()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var busy = cpu.Sum() - cpu[3] - cpu[4];
        // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
        if (cpu.Length > 9)
        {
            busy -= cpu[8] + cpu[9];
        }

        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}

/// <summary>CPU time over one timed section, by whom.</summary>
/// <param name="Wall">Elapsed time.</param>
/// <param name="Client">The publishing side: this process, or the <c>mosquitto_pub</c> processes.</param>
/// <param name="Broker">mosquitto.</param>
/// <param name="Subscriber">The counting <c>mosquitto_sub</c>.</param>
/// <param name="Machine">All cores, all processes.</param>
public sealed record CpuUse(TimeSpan Wall, TimeSpan Client, TimeSpan Broker, TimeSpan Subscriber, TimeSpan Machine)
{
    /// <summary>CPU of processes not in this measurement (other builds on the shared machine), never below zero.</summary>
    public TimeSpan Others => TimeSpan.FromTicks(Math.Max(0, (Machine - Client - Broker - Subscriber).Ticks));

    /// <summary>Average busy cores: <c>client 0.95 + broker 0.52 + sub 0.20 + others 0.05</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"cores: client {Cores(Client):0.00} + broker {Cores(Broker):0.00} + sub {Cores(Subscriber):0.00} + others {Cores(Others):0.00}");

    private double Cores(TimeSpan cpu) => cpu / Wall;
}
