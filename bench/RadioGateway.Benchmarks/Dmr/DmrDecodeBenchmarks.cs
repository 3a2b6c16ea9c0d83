using BenchmarkDotNet.Attributes;
using RadioGateway.Protocols.Dmr.Air;

namespace RadioGateway.Benchmarks.Dmr;

/// <summary>
/// Receive-side decode cost per DMR burst over a recorded simulator mix (about 10,000 bursts of voice, LC,
/// CSBK and data). One operation is one burst: the mean is nanoseconds per burst, Allocated is bytes per burst.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MaxColumn]
public class DmrDecodeBenchmarks
{
    /// <summary>Default-scenario calls to record: 170 give 11,096 bursts, of which the first <see cref="Bursts"/> are decoded.</summary>
    private const int Calls = 170;

    private const int Bursts = 10_000;

    private RecordedBurst[] _mix = [];

    [GlobalSetup]
    public void Setup()
    {
        _mix = [.. SimulatorBurstMix.Record(Calls).Take(Bursts)];
        if (_mix.Length != Bursts)
        {
            throw new InvalidOperationException($"the recorded mix has only {SimulatorBurstMix.Describe(_mix)}; record more calls");
        }

        Console.WriteLine($"// mix: {SimulatorBurstMix.Describe(_mix)}");
    }

    /// <summary>Through the object-returning entry points the gateway calls today (runs on the baseline too).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Bursts)]
    public int DecodeGatewayLayer2()
    {
        // The decoder under test; a per-slot receiver replaces this one line.
        var decoder = new Layer2BurstDecoder(SimulatorBurstMix.ColourCode);
        var sum = 0;
        foreach (var burst in _mix)
        {
            sum += decoder.Decode(burst);
        }

        return sum;
    }

    /// <summary>Through the span entry points: no allocation on the voice path.</summary>
    [Benchmark(OperationsPerInvoke = Bursts)]
    public int DecodeIntoBuffers()
    {
        // The decoder under test; a per-slot receiver replaces this one line.
        var decoder = new Layer2SpanDecoder(SimulatorBurstMix.ColourCode);
        var sum = 0;
        foreach (var burst in _mix)
        {
            sum += decoder.Decode(burst);
        }

        return sum;
    }

    /// <summary>Through the per-slot receivers the gateway, <c>radiogw decode</c> and the simulated radios use.</summary>
    [Benchmark(OperationsPerInvoke = Bursts)]
    public int ReceiveThroughSlotReceivers()
    {
        DmrSlotReceiver[] receivers = [new(1, SimulatorBurstMix.ColourCode), new(2, SimulatorBurstMix.ColourCode)];
        var sum = 0;
        foreach (var burst in _mix)
        {
            sum += receivers[burst.Slot - 1].Receive(burst.AsSlotBurst).Length;
        }

        return sum;
    }
}
