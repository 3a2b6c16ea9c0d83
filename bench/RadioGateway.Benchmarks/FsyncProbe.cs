using System.Diagnostics;

namespace RadioGateway.Benchmarks;

/// <summary>
/// What one durable commit costs on the disk under the store: the store runs <c>synchronous=FULL</c>, so every
/// append batch and every outbox delete waits for an fsync of its WAL.
/// </summary>
public static class FsyncProbe
{
    /// <summary>Appends 4 KiB and fsyncs, <paramref name="samples"/> times, in a scratch file in <paramref name="directory"/>.</summary>
    public static (TimeSpan P50, TimeSpan P99) Measure(string directory, int samples = 200)
    {
        var path = Path.Combine(directory, "fsync-probe");
        var block = new byte[4096];
        var times = new TimeSpan[samples];
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            for (var i = 0; i < samples; i++)
            {
                file.Write(block);
                var start = Stopwatch.GetTimestamp();
                file.Flush(flushToDisk: true);
                times[i] = Stopwatch.GetElapsedTime(start);
            }
        }

        File.Delete(path);
        Array.Sort(times);
        return (times[samples / 2], times[(samples * 99 / 100) - 1]);
    }
}
