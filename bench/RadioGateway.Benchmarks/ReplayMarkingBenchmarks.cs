using System.Buffers;
using BenchmarkDotNet.Attributes;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Events;

namespace RadioGateway.Benchmarks;

/// <summary>
/// What a backlog entry costs to send marked <c>replayed</c>: the outbox stores the ready CloudEvent bytes and
/// inserts the marker into them (<see cref="CloudEventWriter.MarkReplayed"/>), instead of writing the whole
/// CloudEvent again from its recorded parts. Positions are also marked inside <c>data</c>.
/// </summary>
[MemoryDiagnoser]
public class ReplayMarkingBenchmarks
{
    private readonly CloudEventWriter _writer = new("bench");
    private CloudEventParts _parts = null!;
    private byte[] _stored = [];
    private int _dataOffset;

    [Params("call", "position")]
    public string Kind { get; set; } = "call";

    [GlobalSetup]
    public void Setup()
    {
        DomainEvent recorded = Kind == CloudEventWriter.PositionKind ? BenchEvents.Position(7, BenchEvents.FixedTime) : BenchEvents.CallEnded(7, BenchEvents.FixedTime);
        _parts = CloudEventParts.From(recorded);
        var buffer = new ArrayBufferWriter<byte>();
        _dataOffset = _writer.Write(buffer, _parts);
        _stored = buffer.WrittenSpan.ToArray();
    }

    [Benchmark(Baseline = true)]
    public byte[] SerializeAgain() => _writer.Serialize(_parts, replayed: true);

    [Benchmark]
    public byte[] MarkStoredBytes() => CloudEventWriter.MarkReplayed(_stored, _dataOffset, inData: Kind == CloudEventWriter.PositionKind);
}
