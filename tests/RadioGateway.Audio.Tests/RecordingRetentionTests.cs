using RadioGateway.Audio.Recording;

namespace RadioGateway.Audio.Tests;

/// <summary>Retention of the recordings directory by age and total size.</summary>
public sealed class RecordingRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-retention-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Recording(string day, string name, int bytes, TimeSpan age)
    {
        var path = Path.Combine(_directory, day, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, (Now - age).UtcDateTime);
        return path;
    }

    [Fact]
    public void Recordings_older_than_the_age_go_and_their_empty_day_directory_with_them()
    {
        var old = Recording("2026-11-20", "a.opus", 100, TimeSpan.FromDays(10));
        var recent = Recording("2026-11-29", "b.opus", 100, TimeSpan.FromDays(1));
        var other = Recording("2026-11-20", "notes.txt", 10, TimeSpan.FromDays(10));

        var deleted = RecordingRetention.Prune(_directory, TimeSpan.FromDays(7), long.MaxValue, Now);

        Assert.Equal([old], deleted);
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(other), "only recordings are pruned");
    }

    [Fact]
    public void The_oldest_recordings_go_until_the_rest_fit_the_total_size()
    {
        var oldest = Recording("2026-11-28", "1.opus", 400, TimeSpan.FromHours(50));
        var older = Recording("2026-11-29", "2.wav", 400, TimeSpan.FromHours(30));
        var newer = Recording("2026-11-30", "3.opus", 400, TimeSpan.FromHours(2));
        var newest = Recording("2026-11-30", "4.opus", 400, TimeSpan.FromHours(1));

        var deleted = RecordingRetention.Prune(_directory, TimeSpan.FromDays(30), 1000, Now);

        Assert.Equal([oldest, older], deleted);
        Assert.True(File.Exists(newer) && File.Exists(newest));
        Assert.Equal(["2026-11-30"], Directory.EnumerateDirectories(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_recording_being_written_is_neither_counted_nor_removed_and_a_crash_leftover_goes_by_age()
    {
        var finished = Recording("2026-11-30", "1.opus", 400, TimeSpan.FromHours(2));
        var writing = Recording("2026-11-30", "2.opus.part", 4000, TimeSpan.FromSeconds(1));
        var leftover = Recording("2026-11-01", "3.opus.part", 100, TimeSpan.FromDays(29));

        var deleted = RecordingRetention.Prune(_directory, TimeSpan.FromDays(7), 1000, Now);

        Assert.Equal([leftover], deleted);
        Assert.True(File.Exists(finished), "the finished recordings alone fit the size; the one being written is not counted");
        Assert.True(File.Exists(writing));
    }

    [Fact]
    public void A_missing_directory_prunes_nothing() =>
        Assert.Empty(RecordingRetention.Prune(Path.Combine(_directory, "none"), TimeSpan.Zero, 0, Now));
}
