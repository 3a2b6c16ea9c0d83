using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;
using RadioGateway.Core.Outbox;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;

namespace RadioGateway.Core.Tests.Outbox;

/// <summary>The disk-space alarm on a real, small file system: a 16 MiB tmpfs mounted for the test (needs root).</summary>
public sealed class DiskSpaceTmpfsTests : IDisposable
{
    private readonly string _mountPoint = Directory.CreateTempSubdirectory("radiogw-tmpfs-").FullName;
    private bool _mounted;

    public void Dispose()
    {
        if (_mounted)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Run("umount", _mountPoint);
        }

        Directory.Delete(_mountPoint, recursive: true);
    }

    [Fact]
    public void Filling_the_data_drive_raises_the_alarm_in_the_journal_and_freeing_it_clears_it()
    {
        Assert.True(OperatingSystem.IsLinux(), "this test mounts a tmpfs: Linux only");
        Assert.True(Environment.UserName == "root", "this test mounts a tmpfs and needs root (run ./test.sh as root, or sudo dotnet test)");
        Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", _mountPoint);
        _mounted = true;

        var time = new FakeTimeProvider(SampleEvents.Start);
        using var store = GatewayStore.Open(_mountPoint, new CloudEventWriter("gw"), time);
        var watch = new DiskSpaceWatch(store, NullLogger.Instance, time, minFreeBytes: 8 * 1024 * 1024);
        Assert.False(watch.Check());

        var filler = Path.Combine(_mountPoint, "filler");
        File.WriteAllBytes(filler, new byte[10 * 1024 * 1024]);
        Assert.True(watch.Check());

        File.Delete(filler);
        Assert.False(watch.Check());

        using var reader = store.OpenReader();
        var alarms = reader.QueryEvents("alarm").Select(e => System.Text.Json.JsonDocument.Parse(e.DataJson).RootElement).ToList();
        Assert.Equal([true, false], alarms.Select(a => a.GetProperty("active").GetBoolean()));
        Assert.All(alarms, a => Assert.Equal(DiskSpaceWatch.Alarm, a.GetProperty("alarm").GetString()));
        Assert.InRange(alarms[0].GetProperty("freeBytes").GetInt64(), 1, 8 * 1024 * 1024);
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{program} did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    }
}
