using System.Globalization;
using System.Runtime.InteropServices;

namespace RadioGateway.Hosting;

/// <summary>
/// The data directory of one running gateway: created owner-and-group only, and held by an exclusive lock so a
/// second gateway on the same journal refuses to start instead of knocking the first one off the broker.
/// </summary>
public sealed partial class DataDirectoryLock : IDisposable
{
    public const string LockFileName = "radiogw.lock";
    public const string ProcessFileName = "radiogw.pid";

    // rwxr-x---: the journal holds positions and texts of a crisis service.
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private readonly FileStream _lock;
    private readonly string _processFile;

    private DataDirectoryLock(FileStream lockFile, string processFile)
    {
        _lock = lockFile;
        _processFile = processFile;
    }

    /// <summary>Creates the directory if needed and takes the lock.</summary>
    /// <exception cref="ConfigurationProblemException">The directory cannot be created or written, or another process holds it.</exception>
    public static DataDirectoryLock Acquire(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        RestrictNewFiles();
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, DirectoryMode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Problem(directory, $"cannot be created: {e.Message}");
        }

        var lockPath = Path.Combine(directory, LockFileName);
        var processFile = Path.Combine(directory, ProcessFileName);
        FileStream lockFile;
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix and a share-mode lock on Windows; either ends with the process.
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Problem(directory, $"cannot be written: {e.Message}");
        }
        catch (IOException)
        {
            var holder = File.Exists(processFile) ? File.ReadAllText(processFile).Trim() : "unknown";
            throw Problem(directory, $"is in use by another gateway (process {holder}); stop it, or give this one its own Gateway:DataDirectory");
        }

        File.WriteAllText(processFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new DataDirectoryLock(lockFile, processFile);
    }

    public void Dispose()
    {
        File.Delete(_processFile);
        _lock.Dispose();
    }

    private static ConfigurationProblemException Problem(string directory, string message) =>
        new([new ConfigurationProblem("Gateway:DataDirectory", $"'{directory}' {message}")]);

    /// <summary>New files (journal, logs) become rw-r----- : umask 027. .NET has no API for the umask.</summary>
    private static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = SetUmask(Convert.ToUInt32("027", 8));
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint SetUmask(uint mask);
}
