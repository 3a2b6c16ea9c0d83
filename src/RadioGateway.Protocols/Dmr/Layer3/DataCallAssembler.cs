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

    /// <summary>Confirmed blocks: the CRC-9 bit order every block matched; null when unconfirmed or none did.</summary>
    public Crc9BitOrder? Crc9Order { get; init; }
}

/// <summary>
/// Rebuilds one slot's data packet from its header and rate ½ (12-octet), rate ¾ (18-octet) or rate 1 (24-octet)
/// blocks (TS 102 361-1 §9.2.2–9.2.16, B.3.9/B.3.10): unconfirmed blocks are all data (the last ending in the
/// CRC-32); confirmed ones start with a 7-bit serial number and a CRC-9 over the block, accepted in either bit
/// order (<see cref="Crc9BitOrder"/>) and counted by the order that matched. Short data (DD_HEAD, R_HEAD) appends
/// blocks like unconfirmed data — confirmed ones when the header asks for a response — and counts its pad in bits;
/// UDT (UDT_HEAD) appends 1–4 rate ½ blocks whose last two octets are a CRC-CCITT over the others (§9.2.14).
/// Damaged blocks are reported with the packet, never silently accepted. Preamble CSBKs before the header need
/// no handling: the header starts the packet.
/// </summary>
public sealed class DataCallAssembler
{
    /// <summary>Most blocks a header may announce (7-bit field).</summary>
    public const int MaxBlocks = 127;

    private const int UdtCrcLength = 2;
    private const int PacketCrcLength = 4;

    private readonly List<byte[]> _blocks = [];
    private DataHeader? _header;
    private int _damagedBlocks;

    /// <summary>True while a header waits for its blocks.</summary>
    public bool InProgress => _header is not null;

    /// <summary>Confirmed packets whose CRC-9s all matched with the most significant bit first.</summary>
    public long MsbFirstCrc9Packets { get; private set; }

    /// <summary>Confirmed packets whose CRC-9s all matched with the least significant bit first.</summary>
    public long LsbFirstCrc9Packets { get; private set; }

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

    /// <summary>Adds a rate 1 block (24 octets, uncoded: see <see cref="Rate1Block.Read"/>); only its CRCs protect it.</summary>
    public DataPacket? OnRate1Block(ReadOnlySpan<byte> block) => OnBlock(block[..Rate1Block.Length], fecFailed: false);

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
        var confirmed = header.Format == DataPacketFormat.Confirmed
            || (header.Format is DataPacketFormat.ShortDataDefined or DataPacketFormat.ShortDataRaw && header.ResponseRequested);
        var problems = new List<string>();
        if (_damagedBlocks > 0)
        {
            problems.Add($"{_damagedBlocks} block(s) beyond FEC repair");
        }

        var all = new byte[_blocks.Sum(b => b.Length - (confirmed ? 2 : 0))];
        var offset = 0;
        foreach (var block in _blocks)
        {
            block.AsSpan(confirmed ? 2 : 0).CopyTo(all.AsSpan(offset));
            offset += block.Length - (confirmed ? 2 : 0);
        }

        var crc9Order = confirmed ? CheckCrc9(problems) : null;
        byte[]? data = header.Format == DataPacketFormat.UnifiedDataTransport ? CheckUdtCrc(all, problems) : CheckPacketCrc(all, problems);
        if (data is not null)
        {
            var pad = header.Format switch
            {
                DataPacketFormat.ShortDataDefined or DataPacketFormat.ShortDataRaw => header.PadBits / 8, // a partial pad octet still holds data bits
                DataPacketFormat.UnifiedDataTransport => 0, // pad nibbles: the UDT format decoder reads bits
                _ => header.PadOctets,
            };
            if (pad > data.Length)
            {
                problems.Add($"{pad} pad octets announced for {data.Length} octets of data");
            }
            else
            {
                data = data[..^pad];
            }
        }

        return problems.Count > 0
            ? new DataPacket(header, null, string.Join("; ", problems)) { Crc9Order = crc9Order }
            : new DataPacket(header, data, null) { Crc9Order = crc9Order };
    }

    /// <summary>
    /// Checks every confirmed block's CRC-9 in both bit orders; the packet takes the order all blocks matched
    /// (most significant first when both do). Blocks that fail are named in the order closer to matching.
    /// </summary>
    private Crc9BitOrder? CheckCrc9(List<string> problems)
    {
        var msbFailures = new List<string>();
        var lsbFailures = new List<string>();
        for (var i = 0; i < _blocks.Count; i++)
        {
            var block = _blocks[i];
            var serial = (byte)(block[0] >> 1);
            var mask = block.Length switch
            {
                18 => DataCrc.Rate34Mask,
                Rate1Block.Length => DataCrc.Rate1Mask,
                _ => DataCrc.Rate12Mask,
            };
            var expected = DataCrc.Crc9(block.AsSpan(2), serial, mask);
            var msbFirst = Crc9Field.Read(block, Crc9BitOrder.MsbFirst);
            var lsbFirst = Crc9Field.Read(block, Crc9BitOrder.LsbFirst);
            if (msbFirst != expected)
            {
                msbFailures.Add($"block {i} (serial {serial}) CRC-9 0x{msbFirst:X3}, expected 0x{expected:X3}");
            }

            if (lsbFirst != expected)
            {
                lsbFailures.Add($"block {i} (serial {serial}) CRC-9 0x{lsbFirst:X3} read least significant bit first, expected 0x{expected:X3}");
            }
        }

        if (msbFailures.Count == 0)
        {
            MsbFirstCrc9Packets++;
            return Crc9BitOrder.MsbFirst;
        }

        if (lsbFailures.Count == 0)
        {
            LsbFirstCrc9Packets++;
            return Crc9BitOrder.LsbFirst;
        }

        problems.AddRange(msbFailures.Count <= lsbFailures.Count ? msbFailures : lsbFailures);
        return null;
    }

    /// <summary>Packet data and short data: the last four octets are the CRC-32 (B.3.9), least significant first.</summary>
    private static byte[]? CheckPacketCrc(byte[] all, List<string> problems)
    {
        if (all.Length < PacketCrcLength)
        {
            problems.Add($"{all.Length} octets cannot hold the CRC-32");
            return null;
        }

        var data = all[..^PacketCrcLength];
        var received = BinaryPrimitives.ReadUInt32LittleEndian(all.AsSpan(all.Length - PacketCrcLength));
        var computed = DataCrc.Crc32(data);
        if (received != computed)
        {
            problems.Add($"CRC-32 0x{received:X8}, expected 0x{computed:X8}");
        }

        return data;
    }

    /// <summary>UDT: the last block ends in a CRC-CCITT (no mask) over the appended blocks before it (§9.2.14, UDT_LDATA).</summary>
    private static byte[]? CheckUdtCrc(byte[] all, List<string> problems)
    {
        var data = all[..^UdtCrcLength];
        var received = BinaryPrimitives.ReadUInt16BigEndian(all.AsSpan(all.Length - UdtCrcLength));
        var computed = Crc16Ccitt.Compute(data, 0);
        if (received != computed)
        {
            problems.Add($"UDT CRC-16 0x{received:X4}, expected 0x{computed:X4}");
        }

        return data;
    }

    private void Reset()
    {
        _header = null;
        _blocks.Clear();
        _damagedBlocks = 0;
    }
}
