using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.CloudEvents;

namespace RadioGateway.Hosting;

/// <summary>What <c>status.json</c> in the data directory says about the running gateway.</summary>
/// <param name="Running">False once the gateway has stopped cleanly.</param>
/// <param name="Time">When it was written; a file much older than <see cref="GatewayStatusFile.Interval"/> means the gateway is gone or hung.</param>
public sealed record GatewayStatusDocument(
    bool Running,
    int ProcessId,
    string GatewayId,
    DateTimeOffset Time,
    DateTimeOffset StartedAt,
    string LogDirectory,
    bool Ready,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<RadioLinkHealth> Radios,
    UplinkHealth Uplink);

/// <summary>
/// Writes <see cref="FileName"/> in the data directory every <see cref="Interval"/> (to a temporary file, then renamed
/// over the old one, so a reader never sees half of it), and a last one with <c>running: false</c> on stop.
/// <c>radiogw status</c> reads it, so health is known without the web console.
/// </summary>
public sealed partial class GatewayStatusFile(GatewaySettings settings, GatewayHealth health, TimeProvider time, ILogger<GatewayStatusFile> logger) : BackgroundService
{
    public const string FileName = "status.json";

    /// <summary>How often the file is rewritten.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                Write(running: true);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Write(running: false);
    }

    private void Write(bool running)
    {
        var report = health.Evaluate();
        var document = new GatewayStatusDocument(running, Environment.ProcessId, settings.Gateway.Id, time.GetUtcNow(), _startedAt,
            Path.Combine(settings.DataDirectory, "logs"), report.Ready, report.Reasons, report.Radios, report.Uplink);
        var path = Path.Combine(settings.DataDirectory, FileName);
        var temporary = path + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(document, GatewayJson.Files.TypeInfo<GatewayStatusDocument>()));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogNotWritten(path, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status file {Path} not written: {Reason}")]
    private partial void LogNotWritten(string path, string reason);
}
