using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Mmdvm;
using RadioGateway.Simulator.Modem;
using RadioGateway.Simulator.Scenarios;

namespace RadioGateway.Benchmarks.Dmr;

/// <summary>One burst as the modem handed it over: slot, MMDVM control octet (sync kind, data type or voice position), 33 octets.</summary>
public sealed record RecordedBurst(int Slot, byte Control, byte[] Burst, Protocols.Dmr.Air.SlotBurst AsSlotBurst)
{
    public bool IsDataSync => (Control & MmdvmDmrFrame.DataSync) != 0;

    public bool IsVoiceSync => (Control & MmdvmDmrFrame.VoiceSync) != 0;

    /// <summary>Data type of a data burst; voice position (1–5 for B–F) of a voice burst without sync.</summary>
    public int LowNibble => Control & 0x0F;
}

/// <summary>
/// The bursts the simulated modem sends for the default scenario (voice calls with LC headers, embedded LC,
/// talker alias, terminators; CSBKs; data calls with preambles, headers and rate ½ blocks), in air order,
/// recorded from the simulator's own <see cref="BurstFactory"/> as the modem emits them. Lost frames carry no burst
/// and are left out. Kept apart from any decoder so the same mix can be fed to whichever decoder is measured.
/// </summary>
public static class SimulatorBurstMix
{
    public const byte ColourCode = 1;

    public static IReadOnlyList<RecordedBurst> Record(int calls, int seed = 1)
    {
        var scenario = Scenario.Default(seed, calls);
        var factory = new BurstFactory(ColourCode, seed);
        var planned = scenario.Calls
            .SelectMany(call => CallPlayout.Plan(call, call.Alias is null ? 0 : TalkerAlias.BlocksFor(call.Alias))
                .Select(burst => (burst.At, burst.Slot, Frames: (Func<IEnumerable<MmdvmFrame>>)(() => [factory.Build(call, burst)]))))
            .Concat((scenario.Signals ?? []).Select(signal => (signal.At, signal.Slot, Frames: (Func<IEnumerable<MmdvmFrame>>)(() => [factory.BuildCsbk(signal)]))))
            .Concat((scenario.Data ?? []).Select(data => (data.At, data.Slot, Frames: (Func<IEnumerable<MmdvmFrame>>)(() => factory.BuildDataCall(data, DateTimeOffset.UnixEpoch + data.At)))))
            .OrderBy(b => b.At)
            .ThenBy(b => b.Slot);
        var bursts = new List<RecordedBurst>();
        foreach (var (_, _, frames) in planned)
        {
            foreach (var frame in frames())
            {
                if (MmdvmDmrFrame.TryReadBurst(frame, out var burst, out _))
                {
                    bursts.Add(new RecordedBurst(burst.Slot, frame.Payload.Span[0], burst.Bytes.ToArray(), burst));
                }
            }
        }

        return bursts;
    }

    /// <summary>Counts per kind, for the benchmark's description of its input.</summary>
    public static string Describe(IReadOnlyList<RecordedBurst> bursts)
    {
        ArgumentNullException.ThrowIfNull(bursts);
        var kinds = bursts.GroupBy(b => b.IsDataSync ? ((DmrDataType)b.LowNibble).ToString() : b.IsVoiceSync ? "VoiceA" : "VoiceB-F")
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key} {g.Count()}");
        return $"{bursts.Count} bursts: {string.Join(", ", kinds)}";
    }
}
