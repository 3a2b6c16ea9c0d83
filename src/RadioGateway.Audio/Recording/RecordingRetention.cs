namespace RadioGateway.Audio.Recording;

/// <summary>
/// Keeps the recordings directory within an age and a total size: files older than the age go, then the oldest
/// until the rest fit; day directories left empty are removed. Ages count from each file's last write (its end).
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

        var files = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(f.Extension, StringComparer.OrdinalIgnoreCase))
            .OrderBy(f => f.LastWriteTimeUtc)
            .ThenBy(f => f.FullName, StringComparer.Ordinal)
            .ToList();
        var total = files.Sum(f => f.Length);
        var deleted = new List<string>();
        foreach (var file in files)
        {
            if (now - new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero) <= maxAge && total <= maxTotalBytes)
            {
                break;
            }

            var length = file.Length;
            try
            {
                file.Delete();
            }
            catch (IOException)
            {
                continue; // still being written (Windows): the next pass takes it
            }

            total -= length;
            deleted.Add(file.FullName);
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
}
