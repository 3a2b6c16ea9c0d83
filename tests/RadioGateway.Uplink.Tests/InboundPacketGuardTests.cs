using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using RadioGateway.Testing;

namespace RadioGateway.Uplink.Tests;

/// <summary>The inbound size guard, fed every way TCP can deliver the bytes: whole, split at every offset, one byte at a time.</summary>
public sealed class InboundPacketGuardTests
{
    // MQTT 3.1.1 §3.2 CONNACK (accepted), §3.4 PUBACK id 7, §3.3 PUBLISH QoS 1 "a/b" id 9 payload "hi", §3.13 PINGRESP.
    private static readonly byte[] Traffic = Hex.Parse("20020000" + "40020007" + "32090003612f620009" + "6869" + "d000");

    private static byte[] ReadAll(InboundPacketGuard guard, int readSize = 7)
    {
        var output = new List<byte>();
        var buffer = new byte[readSize];
        int read;
        while ((read = guard.ReadAsync(buffer, 0, buffer.Length, CancellationToken.None).GetAwaiter().GetResult()) > 0)
        {
            output.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        return [.. output];
    }

    private static InboundPacketGuard Guard(IReadOnlyList<byte[]> chunks, int limit, MqttProtocolVersion version = MqttProtocolVersion.V311, List<(string, long)>? oversized = null) =>
        new(new ScriptedChannel(chunks), limit, version, (topic, bytes) => oversized?.Add((topic, bytes)));

    [Fact]
    public void Packets_within_the_limit_pass_unchanged_however_they_arrive()
    {
        foreach (var (label, chunks) in SplitInput.Chunkings(Traffic))
        {
            Assert.True(Traffic.SequenceEqual(ReadAll(Guard(chunks, limit: 64))), label);
        }
    }

    [Fact]
    public void A_packet_other_than_publish_beyond_the_limit_fails_the_read_naming_type_and_size()
    {
        // SUBACK (type 9) announcing 268,435,455 bytes, the largest Remaining Length [MQTT-1.5.5].
        var hostile = Hex.Parse("90ffffff7f0001");
        foreach (var (label, chunks) in SplitInput.Chunkings(hostile))
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<MqttProtocolViolationException>(() => ReadAll(Guard(chunks, limit: 1024)));
            Assert.Contains("type 9 with 268435455 bytes, more than the 1024", error.Message, StringComparison.Ordinal);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20, label);
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, "3207" + "0003612f62" + "0009")]
    [InlineData(MqttProtocolVersion.V500, "3208" + "0003612f62" + "0009" + "00")]
    public void A_publish_beyond_the_limit_becomes_an_empty_publish_with_its_topic_and_packet_id(MqttProtocolVersion version, string stubHex)
    {
        // PUBLISH QoS 1 on "a/b", id 9, with a 200-byte payload; then a PINGRESP that must survive.
        var payload = Enumerable.Repeat((byte)'x', 200).ToArray();
        var large = Hex.Parse("32cf01" + "0003612f62" + "0009").Concat(payload).Concat(Hex.Parse("d000")).ToArray();
        foreach (var (label, chunks) in SplitInput.Chunkings(large))
        {
            var oversized = new List<(string, long)>();
            Assert.True(Hex.Parse(stubHex + "d000").SequenceEqual(ReadAll(Guard(chunks, limit: 100, version, oversized))), label);
            Assert.Equal([("a/b", 207L)], oversized);
        }
    }

    [Fact]
    public void A_publish_announcing_256_MB_that_never_comes_ends_as_a_closed_connection_without_allocating_it()
    {
        var hostile = Hex.Parse("30ffffff7f" + "0003612f62" + "7878");
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        Assert.Empty(ReadAll(Guard([hostile], limit: 256 * 1024)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20);
    }

    [Fact]
    public void Random_and_truncated_input_ends_the_read_or_fails_it_with_a_protocol_error_only()
    {
        var random = new Random(20261129);
        for (var i = 0; i < 2000; i++)
        {
            var input = new byte[random.Next(0, 64)];
            random.NextBytes(input);
            try
            {
                ReadAll(Guard([input], limit: 32), readSize: 1 + random.Next(8));
            }
            catch (MqttProtocolViolationException)
            {
                // a clear refusal is fine; anything else escaping is not
            }
        }

        for (var length = 0; length < Traffic.Length; length++)
        {
            // Whole packets pass; a cut fixed header is held back, a cut body passes up to the cut.
            Assert.True(Traffic.AsSpan().StartsWith(ReadAll(Guard([Traffic[..length]], limit: 64))), $"cut at {length}");
        }
    }

    /// <summary>Serves the chunks one read at a time (never more than asked), then end of stream.</summary>
    private sealed class ScriptedChannel(IReadOnlyList<byte[]> chunks) : IMqttChannel
    {
        private int _chunk;
        private int _offset;

        public X509Certificate2 ClientCertificate => null!;

        public EndPoint RemoteEndPoint => null!;

        public EndPoint LocalEndPoint => null!;

        public bool IsSecureConnection => false;

        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DisconnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            while (_chunk < chunks.Count && _offset == chunks[_chunk].Length)
            {
                _chunk++;
                _offset = 0;
            }

            if (_chunk == chunks.Count)
            {
                return Task.FromResult(0);
            }

            var n = Math.Min(count, chunks[_chunk].Length - _offset);
            chunks[_chunk].AsSpan(_offset, n).CopyTo(buffer.AsSpan(offset));
            _offset += n;
            return Task.FromResult(n);
        }

        public void Dispose()
        {
        }
    }
}
