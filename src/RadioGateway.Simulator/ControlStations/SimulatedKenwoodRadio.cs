using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Nmea;
using RadioGateway.Simulator.Scenarios;

namespace RadioGateway.Simulator.ControlStations;

/// <summary>
/// A simulated Kenwood base radio's data port: for every position the scenario's units send (<c>lrrp-position</c>,
/// <c>hytera-lp-position</c>), the FleetSync short position sentence <c>$PKLSH</c> the radio puts on its serial line.
/// Unit 3120101 is FleetSync fleet 312, id 0101 (the gateway reads fleet × 10000 + id back).
/// </summary>
public sealed partial class SimulatedKenwoodRadio(Scenario scenario, bool loop, TimeProvider time, ILogger<SimulatedKenwoodRadio> logger)
{
    /// <summary>The <c>$PKLSH</c> sentence for <paramref name="unit"/> at <paramref name="fix"/>.</summary>
    public static void WritePosition(IBufferWriter<byte> output, uint unit, GeoFix fix)
    {
        ArgumentNullException.ThrowIfNull(fix);
        var time = (fix.FixTime ?? DateTimeOffset.UnixEpoch).UtcDateTime;
        Nmea.Write(output, "PKLSH",
            DegreesMinutes.Format(Math.Abs(fix.Latitude), 2), fix.Latitude < 0 ? "S" : "N",
            DegreesMinutes.Format(Math.Abs(fix.Longitude), 3), fix.Longitude < 0 ? "W" : "E",
            time.ToString("HHmmss", CultureInfo.InvariantCulture), "A",
            (unit / 10_000).ToString("D3", CultureInfo.InvariantCulture), (unit % 10_000).ToString("D4", CultureInfo.InvariantCulture));
    }

    /// <summary>Writes the scenario's positions on <paramref name="line"/> at their times until cancelled (or once).</summary>
    public async Task RunAsync(Stream line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        var positions = (scenario.Data ?? []).Where(d => d.Kind is "lrrp-position" or "hytera-lp-position").OrderBy(d => d.At).ToList();
        LogReady(positions.Count);
        do
        {
            var start = time.GetUtcNow();
            foreach (var item in positions)
            {
                var wait = start + item.At - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }

                var now = time.GetUtcNow();
                var sentence = new ArrayBufferWriter<byte>(96);
                WritePosition(sentence, item.Source, new GeoFix(item.Latitude, item.Longitude, FixTime: now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond))));
                await line.WriteAsync(sentence.WrittenMemory, cancellationToken).ConfigureAwait(false);
                await line.FlushAsync(cancellationToken).ConfigureAwait(false);
                LogSent(item.Source);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken).ConfigureAwait(false);
        }
        while (loop);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated Kenwood base radio: {Positions} positions to send")]
    private partial void LogReady(int positions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated radio {Unit} sent its position as $PKLSH")]
    private partial void LogSent(uint unit);
}
