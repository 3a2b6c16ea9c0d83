namespace RadioGateway.Audio.Recording;

/// <summary>
/// Keeps the recordings directory within an age and a total size: files older than the age go, then the oldest
/// until the rest fit; day directories left empty are removed. Ages count from each file's last write (its end).
/// A recording still being written (<c>.part</c>) is neither counted nor removed; one left by a crash goes by age.
/// </summary>
public static class RecordingRetention
{
    private static readonly string[] Extensions = [".opus", ".wav"];

    /// <returns>The files deleted, oldest first.</returns>
    public static IReadOnlyList<string> Prune(string directory, TimeSpan maxAge, long maxTotalBytes, DateTimeOffset now)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var all = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        var deleted = new List<string>();
        foreach (var partial in all.Where(f => f.Extension == RecordingFile.PartialExtension && now - new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero) > maxAge))
        {
            Delete(partial, deleted);
        }

        var files = all
            .Where(f => Extensions.Contains(f.Extension, StringComparer.OrdinalIgnoreCase))
            .OrderBy(f => f.LastWriteTimeUtc)
            .ThenBy(f => f.FullName, StringComparer.Ordinal)
            .ToList();
        var total = files.Sum(f => f.Length);
        foreach (var file in files)
        {
            if (now - new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero) <= maxAge && total <= maxTotalBytes)
            {
                break;
            }

            var length = file.Length;
            if (Delete(file, deleted))
            {
                total -= length;
            }
        }

        foreach (var day in Directory.EnumerateDirectories(directory).ToList())
        {
            if (!Directory.EnumerateFileSystemEntries(day).Any())
            {
                Directory.Delete(day);
            }
        }

        return deleted;
    }

    private static bool Delete(FileInfo file, List<string> deleted)
    {
        try
        {
            file.Delete();
        }
        catch (IOException)
        {
            return false; // open elsewhere (Windows): the next pass takes it
        }

        deleted.Add(file.FullName);
        return true;
    }
}
