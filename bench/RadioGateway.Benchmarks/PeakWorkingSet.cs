using System.Globalization;

namespace RadioGateway.Benchmarks;

/// <summary>This process's peak resident set (Linux <c>VmHWM</c>), which <see cref="Reset"/> sets back to the current size.</summary>
public static class PeakWorkingSet
{
    /// <summary>Starts a new peak from the current resident set (writing 5 to <c>/proc/self/clear_refs</c>, Linux 4.0+).</summary>
    public static void Reset() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>The peak in bytes since the last <see cref="Reset"/>.</summary>
    public static long Read()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
    }
}
