using System.Globalization;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.Events;

namespace RadioGateway.Core.Outbox;

/// <summary>
/// Free space on the data drive against a threshold, checked on its own timer whatever the uplink does (with
/// no uplink configured too): on crossing it logs loudly and records a <see cref="GatewayAlarmRaised"/> (raised,
/// or cleared when space is back). Nothing stops either way; the outbox keeps every event.
/// </summary>
public sealed partial class DiskSpaceWatch
{
    /// <summary>Alarm name raised when the data drive is nearly full.</summary>
    public const string Alarm = "disk-space-low";

    private readonly IOutboxStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _minFreeBytes;
    private readonly Func<long?> _freeBytes;
    private readonly Lock _gate = new();
    private volatile bool _low;

    /// <param name="freeBytes">Free bytes on the data drive (null = unknown); defaults to the drive holding the store.</param>
    public DiskSpaceWatch(IOutboxStore store, ILogger logger, TimeProvider time, long minFreeBytes, Func<long?>? freeBytes = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _minFreeBytes = minFreeBytes;
        var directory = Path.GetDirectoryName(store.DatabasePath)!;
        _freeBytes = freeBytes ?? (() => FreeBytesOn(directory));
    }

    /// <summary>True while free space was under the threshold at the last check.</summary>
    public bool IsLow => _low;

    /// <summary>Raised after the alarm was recorded, with true when space ran low and false when it came back.</summary>
    public event Action<bool>? Changed;

    /// <summary>Checks now, then every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        Check();
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Check();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Compares free space with the threshold; records the alarm when the state changes.</summary>
    /// <returns>True while space is low.</returns>
    public bool Check()
    {
        bool low;
        lock (_gate)
        {
            if (_freeBytes() is not { } bytes)
            {
                return _low;
            }

            low = bytes < _minFreeBytes;
            if (low == _low)
            {
                return low;
            }

            _low = low;
            if (low)
            {
                LogDiskSpaceLow(bytes, _minFreeBytes, _store.DatabasePath);
            }
            else
            {
                LogDiskSpaceRecovered(bytes);
            }

            Record(low, bytes);
        }

        Changed?.Invoke(low);
        return low;
    }

    private void Record(bool low, long bytes)
    {
        var now = _time.GetUtcNow();
        try
        {
            _store.Append(
            [
                new GatewayAlarmRaised
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"alarm-{Alarm}-{(low ? "raised" : "cleared")}-{now.UtcTicks}"),
                    Time = now,
                    Alarm = Alarm,
                    Active = low,
                    FreeBytes = bytes,
                    Message = low
                        ? string.Create(CultureInfo.InvariantCulture, $"Data drive nearly full: {bytes / (1024 * 1024)} MiB free, threshold {_minFreeBytes / (1024 * 1024)} MiB.")
                        : string.Create(CultureInfo.InvariantCulture, $"Data drive has space again: {bytes / (1024 * 1024)} MiB free."),
                },
            ]);
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            LogAlarmNotStored(exception);
        }
    }

    private static long? FreeBytesOn(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "DISK NEARLY FULL: {FreeBytes} bytes free under threshold {ThresholdBytes} for {DatabasePath}; the outbox keeps every event but cannot grow much longer")]
    private partial void LogDiskSpaceLow(long freeBytes, long thresholdBytes, string databasePath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disk space recovered: {FreeBytes} bytes free")]
    private partial void LogDiskSpaceRecovered(long freeBytes);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The disk-space alarm could not be recorded")]
    private partial void LogAlarmNotStored(Exception exception);
}
