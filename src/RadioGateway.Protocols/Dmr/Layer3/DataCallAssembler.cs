using System.Buffers.Binary;
using RadioGateway.Protocols.Dmr.Crc;
using RadioGateway.Protocols.Dmr.Layer2;

namespace RadioGateway.Protocols.Dmr.Layer3;

/// <summary>A whole data packet: its header and user data (pad removed), or what was wrong with it.</summary>
/// <param name="Header">The data header that opened the packet.</param>
/// <param name="UserData">User data without pad octets; null when the packet could not be rebuilt.</param>
/// <param name="Problem">Why the packet is damaged (a block failed FEC or CRC-9, CRC-32 mismatch, blocks missing); null when whole.</param>
public sealed record DataPacket(DataHeader Header, byte[]? UserData, string? Problem)
{
    public bool IsIntact => Problem is null && UserData is not null;
}

/// <summary>
/// Rebuilds one slot's data packet from its header and rate ½ (12-octet) or rate ¾ (18-octet) blocks
/// (TS 102 361-1 §9.2.6, §B.3.9/B.3.10): unconfirmed blocks are all data (the last ending in the CRC-32);
/// confirmed ones start with a 7-bit serial number and a CRC-9 over the block. Damaged blocks are reported with the packet, never silently accepted.
/// Preamble CSBKs before the header need no handling: the header starts the packet.
/// </summary>
public sealed class DataCallAssembler
{
    /// <summary>Most blocks a header may announce (7-bit field).</summary>
    public const int MaxBlocks = 127;

    private readonly List<byte[]> _blocks = [];
    private DataHeader? _header;
    private int _damagedBlocks;

    /// <summary>True while a header waits for its blocks.</summary>
    public bool InProgress => _header is not null;

    /// <summary>
    /// Starts a packet. A header-only packet (short data with no blocks, a response) completes at once; a packet
    /// left unfinished by this header is returned as damaged.
    /// </summary>
    public IReadOnlyList<DataPacket> OnHeader(DataHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var results = new List<DataPacket>(2);
        if (_header is not null)
        {
            results.Add(new DataPacket(_header, null, $"only {_blocks.Count} of {_header.BlocksToFollow} blocks before the next header"));
        }

        Reset();
        if (header.Format is DataPacketFormat.Response || header.BlocksToFollow == 0)
        {
            results.Add(new DataPacket(header, [], null));
            return results;
        }

        _header = header;
        return results;
    }

    /// <summary>Adds a rate ½ block (12 octets after BPTC); <paramref name="fecFailed"/> marks one the FEC could not repair.</summary>
    public DataPacket? OnRate12Block(ReadOnlySpan<byte> block, bool fecFailed) => OnBlock(block[..12], fecFailed);

    /// <summary>Adds a rate ¾ block (18 octets after the trellis decoder).</summary>
    public DataPacket? OnRate34Block(ReadOnlySpan<byte> block, bool fecFailed) => OnBlock(block[..18], fecFailed);

    private DataPacket? OnBlock(ReadOnlySpan<byte> block, bool fecFailed)
    {
        if (_header is null)
        {
            return null; // a block without its header (we tuned in late): nothing to attach it to
        }

        if (fecFailed)
        {
            _damagedBlocks++;
        }

        _blocks.Add(block.ToArray());
        if (_blocks.Count < _header.BlocksToFollow)
        {
            return null;
        }

        var packet = Complete(_header);
        Reset();
        return packet;
    }

    /// <summary>Drops a packet in progress (link lost, call time-out) and returns it as damaged.</summary>
    public DataPacket? Abandon(string reason)
    {
        if (_header is null)
        {
            return null;
        }

        var packet = new DataPacket(_header, null, $"{reason} after {_blocks.Count} of {_header.BlocksToFollow} blocks");
        Reset();
        return packet;
    }

    private DataPacket Complete(DataHeader header)
    {
        var confirmed = header.Format == DataPacketFormat.Confirmed;
        var data = new byte[_blocks.Sum(b => b.Length - (confirmed ? 2 : 0)) - 4];
        var offset = 0;
        var problems = new List<string>();
        if (_damagedBlocks > 0)
        {
            problems.Add($"{_damagedBlocks} block(s) beyond FEC repair");
        }

        for (var i = 0; i < _blocks.Count; i++)
        {
            var block = _blocks[i];
            var payload = confirmed ? block.AsSpan(2) : block.AsSpan();
            if (confirmed)
            {
                var serial = (byte)(block[0] >> 1);
                var crc9 = (ushort)(((block[0] & 1) << 8) | block[1]);
                var expected = DataCrc.Crc9(payload, serial, block.Length == 18 ? DataCrc.Rate34Mask : DataCrc.Rate12Mask);
                if (crc9 != expected)
                {
                    problems.Add($"block {i} (serial {serial}) CRC-9 0x{crc9:X3}, expected 0x{expected:X3}");
                }
            }

            var take = Math.Min(payload.Length, data.Length - offset);
            payload[..take].CopyTo(data.AsSpan(offset));
            offset += take;
        }

        var last = _blocks[^1];
        var received = BinaryPrimitives.ReadUInt32LittleEndian(last.AsSpan(last.Length - 4));
        var computed = DataCrc.Crc32(data);
        if (received != computed)
        {
            problems.Add($"CRC-32 0x{received:X8}, expected 0x{computed:X8}");
        }

        if (header.PadOctets > data.Length)
        {
            problems.Add($"{header.PadOctets} pad octets announced for {data.Length} octets of data");
        }

        return problems.Count > 0
            ? new DataPacket(header, null, string.Join("; ", problems))
            : new DataPacket(header, data[..^header.PadOctets], null);
    }

    private void Reset()
    {
        _header = null;
        _blocks.Clear();
        _damagedBlocks = 0;
    }
}
