using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RadioGateway.Core.DataServices;
using RadioGateway.Core.Events;
using RadioGateway.Core.Roster;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Nmea;

namespace RadioGateway.Core.ControlStations.Kenwood;

/// <summary>
/// A Kenwood NX/TK base radio's data port: NMEA sentences, among them the FleetSync and NXDN position sentences
/// (<c>$PKLSH</c>/<c>$PKNSH</c> short, <c>$PKLDS</c>/<c>$PKNDS</c> long) the radio emits for every unit it hears.
/// Positions with a sender become <see cref="PositionReported"/> (via <c>kenwood-nmea</c>); sentences without a
/// valid fix are logged, never turned into positions. Receive-only: the serial texts are not documented publicly.
/// </summary>
public sealed partial class KenwoodSerialSession(string radioId, UnitRoster roster, IEventSink sink, TimeProvider time, ILogger<KenwoodSerialSession> logger)
{
    private readonly DataServiceMapper _positions = new(radioId, roster);

    /// <summary>
    /// The unit id of a Kenwood sender: NXDN <c>U00002</c> → 2; FleetSync fleet-id <c>100-1001</c> → fleet × 10000 + id
    /// (1001001), so FleetSync units stay distinct 24-bit ids. False for anything else.
    /// </summary>
    public static bool TryUnitId(string? sender, out uint unit)
    {
        unit = 0;
        if (string.IsNullOrEmpty(sender))
        {
            return false;
        }

        if (sender[0] == 'U' && uint.TryParse(sender.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out unit))
        {
            return unit is > 0 and <= 0xFFFFFF;
        }

        var dash = sender.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && uint.TryParse(sender.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var fleet) && fleet <= 999
            && uint.TryParse(sender.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id <= 9999)
        {
            unit = (fleet * 10_000) + id;
            return unit > 0;
        }

        return false;
    }

    /// <summary>Reads sentences until the line closes or fails.</summary>
    /// <exception cref="IOException">The serial line ended (radio unplugged) or failed.</exception>
    public async Task RunAsync(Stream link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        PublishLinkUp();
        var reader = new NmeaLineReader();
        var buffer = new byte[4096];
        var pending = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await link.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the radio's serial line closed: radio unplugged or switched off?");
            }

            pending.Write(buffer.AsSpan(0, read));
            var sequence = new ReadOnlySequence<byte>(pending.WrittenMemory);
            while (reader.TryRead(ref sequence, out var sentence, out var skipped) != DecodeStatus.NeedMoreData)
            {
                if (sentence is null)
                {
                    LogSkipped(radioId, skipped.ToString());
                    continue;
                }

                OnSentence(sentence);
            }

            var rest = sequence.ToArray();
            pending.Clear();
            pending.Write(rest);
        }
    }

    private void OnSentence(NmeaSentence sentence)
    {
        var now = time.GetUtcNow();
        if (NmeaPositions.Read(sentence, DateOnly.FromDateTime(now.UtcDateTime)) is not { } position)
        {
            return;
        }

        if (!TryUnitId(position.SenderId, out var unit))
        {
            LogNoSender(sentence.Address, position.SenderId ?? "");
            return;
        }

        if (position.Fix is not { } fix)
        {
            LogNoFix(unit, sentence.Address, position.NoFixReason ?? "");
            return;
        }

        sink.Publish(_positions.Position(roster.Unit(unit), fix, now, "kenwood-nmea"));
    }

    private void PublishLinkUp()
    {
        var now = time.GetUtcNow();
        sink.Publish(new ModemStatusChanged
        {
            Id = $"{radioId}.link.{EventIdTime.Of(now)}.up",
            Time = now,
            RadioId = radioId,
            LinkUp = true,
            Description = "Kenwood base radio on serial",
            Detail = "NMEA with FleetSync/NXDN position sentences",
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Radio}: skipped serial input: {Reason}")]
    private partial void LogSkipped(string radio, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Address} without a Kenwood sender ('{Sender}'): not a unit's position")]
    private partial void LogNoSender(string address, string sender);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {Unit} sent {Address} without a valid fix: {Reason}")]
    private partial void LogNoFix(uint unit, string address, string reason);
}
