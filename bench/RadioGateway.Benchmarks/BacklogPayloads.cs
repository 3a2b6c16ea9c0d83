using RadioGateway.Core.CloudEvents;

namespace RadioGateway.Benchmarks;

/// <summary>
/// The backlog's messages exactly as the outbox sends them after an outage (CloudEvents marked <c>replayed</c>),
/// in memory for the MQTT client alone and as line files for <c>mosquitto_pub -l</c>.
/// </summary>
public sealed class BacklogPayloads
{
    /// <summary>
    /// Most lines one <c>mosquitto_pub -l</c> gets: 2.0.11 disconnects early once its 16-bit packet ids wrap (beyond
    /// 65,535 lines), on the PUBACK of the first message whose id equals the last one's.
    /// </summary>
    public const int LinesPerMosquittoPub = 50_000;

    private BacklogPayloads(IReadOnlyList<byte[]> messages, IReadOnlyList<string> lineFiles)
    {
        Messages = messages;
        LineFiles = lineFiles;
        Bytes = messages.Sum(m => (long)m.Length);
    }

    public IReadOnlyList<byte[]> Messages { get; }

    /// <summary>The messages one per line, at most <see cref="LinesPerMosquittoPub"/> per file.</summary>
    public IReadOnlyList<string> LineFiles { get; }

    public long Bytes { get; }

    /// <summary>Writes the <paramref name="count"/> backlog events as CloudEvents of gateway <paramref name="gatewayId"/>.</summary>
    public static BacklogPayloads Build(int count, string gatewayId, string directory)
    {
        var writer = new CloudEventWriter(gatewayId);
        var messages = Enumerable.Range(0, count).Select(i => writer.Serialize(BenchEvents.CallEnded(i, BenchEvents.FixedTime), replayed: true)).ToArray();
        var lineFiles = new List<string>();
        foreach (var chunk in messages.Chunk(LinesPerMosquittoPub))
        {
            var path = Path.Combine(directory, $"payloads-{lineFiles.Count}.txt");
            using var file = File.Create(path);
            foreach (var message in chunk)
            {
                if (message.AsSpan().Contains((byte)'\n'))
                {
                    throw new InvalidOperationException("A payload contains a line break; mosquitto_pub -l would split it.");
                }

                file.Write(message);
                file.WriteByte((byte)'\n');
            }

            lineFiles.Add(path);
        }

        return new BacklogPayloads(messages, lineFiles);
    }
}
