using System.Buffers.Binary;
using RadioGateway.Protocols.Dmr.Crc;
using RadioGateway.Protocols.Dmr.Layer2;

namespace RadioGateway.Protocols.Dmr.Layer3;

/// <summary>
/// Builds a data packet (TS 102 361-1 §9.2.6): the header and the blocks — 12 octets for rate ½ (BPTC(196,96)),
/// 18 for rate ¾ (trellis), 24 for rate 1 (uncoded) — with pad octets, CRC-32 and, when confirmed, serial numbers and CRC-9.
/// </summary>
public static class DataPacketEncoder
{
    /// <summary>Most significant bit of the fragment sequence number: the packet's last fragment.</summary>
    private const int LastFragmentFlag = 0b1000;

    private const int PacketCrcLength = 4;

    /// <summary>Largest user data a packet can carry (127 blocks, minus the CRC-32).</summary>
    public static int MaxUserData(bool confirmed, int blockLength = 12) => (DataCallAssembler.MaxBlocks * (blockLength - (confirmed ? 2 : 0))) - 4;

    /// <summary>
    /// A UDT packet (TS 102 361-1 §9.2.13/§9.2.14): header and 1–4 rate ½ blocks, user data padded with zero
    /// nibbles, the last block ending in a CRC-CCITT over the blocks before it.
    /// </summary>
    public static (byte[] Header, IReadOnlyList<byte[]> Blocks) UnifiedDataTransport(ReadOnlySpan<byte> userData, int udtFormat, int udtOpcode, uint source, uint destination, bool isGroup)
    {
        var blockCount = Math.Max(1, (userData.Length + 2 + 11) / 12);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockCount, 4, nameof(userData));
        var all = new byte[blockCount * 12];
        userData.CopyTo(all);
        BinaryPrimitives.WriteUInt16BigEndian(all.AsSpan(all.Length - 2), Crc16Ccitt.Compute(all.AsSpan(0, all.Length - 2), 0));
        var header = new byte[DataHeader.Length];
        new DataHeader
        {
            Format = DataPacketFormat.UnifiedDataTransport,
            Sap = ServiceAccessPoint.UnifiedDataTransport,
            IsGroup = isGroup,
            Source = source,
            Destination = destination,
            UdtFormat = udtFormat,
            PadNibbles = (all.Length - 2 - userData.Length) * 2,
            BlocksToFollow = blockCount,
            UdtOpcode = udtOpcode,
        }.Encode(header);
        return (header, Rate12Blocks(all));
    }

    /// <summary>Defined short data (DD_HEAD, §9.2.12) in unconfirmed rate ½ blocks ending in the CRC-32.</summary>
    public static (byte[] Header, IReadOnlyList<byte[]> Blocks) ShortDataDefined(ReadOnlySpan<byte> userData, int definedDataFormat, uint source, uint destination, bool isGroup)
    {
        var (all, pad) = PaddedWithCrc32(userData, 12);
        var header = new byte[DataHeader.Length];
        new DataHeader
        {
            Format = DataPacketFormat.ShortDataDefined,
            Sap = ServiceAccessPoint.ShortData,
            IsGroup = isGroup,
            Source = source,
            Destination = destination,
            BlocksToFollow = all.Length / 12,
            DefinedDataFormat = definedDataFormat,
            FullMessage = true,
            PadBits = pad * 8,
        }.Encode(header);
        return (header, Rate12Blocks(all));
    }

    /// <summary>Returns the header (12 octets) and the rate ½ blocks (12 octets each, for BPTC) for <paramref name="userData"/>.</summary>
    public static (byte[] Header, IReadOnlyList<byte[]> Blocks) Rate12(
        ReadOnlySpan<byte> userData,
        ServiceAccessPoint sap,
        uint source,
        uint destination,
        bool isGroup,
        bool confirmed,
        int sendSequence = 0,
        Crc9BitOrder crc9Order = Crc9BitOrder.MsbFirst) => Build(userData, 12, sap, source, destination, isGroup, confirmed, sendSequence, crc9Order);

    /// <summary>Returns the header and the rate 1 blocks (24 octets each, uncoded: see <see cref="Rate1Block"/>).</summary>
    public static (byte[] Header, IReadOnlyList<byte[]> Blocks) Rate1(
        ReadOnlySpan<byte> userData,
        ServiceAccessPoint sap,
        uint source,
        uint destination,
        bool isGroup,
        bool confirmed,
        int sendSequence = 0,
        Crc9BitOrder crc9Order = Crc9BitOrder.MsbFirst) => Build(userData, Rate1Block.Length, sap, source, destination, isGroup, confirmed, sendSequence, crc9Order);

    /// <summary>Returns the header and the rate ¾ blocks (18 octets each, for the trellis encoder).</summary>
    public static (byte[] Header, IReadOnlyList<byte[]> Blocks) Rate34(
        ReadOnlySpan<byte> userData,
        ServiceAccessPoint sap,
        uint source,
        uint destination,
        bool isGroup,
        bool confirmed,
        int sendSequence = 0,
        Crc9BitOrder crc9Order = Crc9BitOrder.MsbFirst) => Build(userData, 18, sap, source, destination, isGroup, confirmed, sendSequence, crc9Order);

    /// <summary>
    /// User data padded with zero octets to whole blocks of <paramref name="perBlock"/> data octets, the packet CRC-32
    /// (little-endian, over data and pad) in the last four (TS 102 361-1 Annex B.3.7); and the pad length.
    /// </summary>
    private static (byte[] Data, int Pad) PaddedWithCrc32(ReadOnlySpan<byte> userData, int perBlock)
    {
        var blockCount = (userData.Length + PacketCrcLength + perBlock - 1) / perBlock;
        var data = new byte[blockCount * perBlock];
        userData.CopyTo(data);
        var covered = data.Length - PacketCrcLength;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(covered), DataCrc.Crc32(data.AsSpan(0, covered)));
        return (data, covered - userData.Length);
    }

    /// <summary>Consecutive 12-octet rate ½ blocks of <paramref name="all"/> (a whole number of them).</summary>
    private static List<byte[]> Rate12Blocks(byte[] all) => [.. all.Chunk(12)];

    private static (byte[] Header, IReadOnlyList<byte[]> Blocks) Build(
        ReadOnlySpan<byte> userData,
        int blockLength,
        ServiceAccessPoint sap,
        uint source,
        uint destination,
        bool isGroup,
        bool confirmed,
        int sendSequence,
        Crc9BitOrder crc9Order)
    {
        if (userData.Length > MaxUserData(confirmed, blockLength))
        {
            throw new ArgumentOutOfRangeException(nameof(userData), userData.Length, $"at most {MaxUserData(confirmed, blockLength)} octets fit one packet");
        }

        var perBlock = blockLength - (confirmed ? 2 : 0);
        var (data, pad) = PaddedWithCrc32(userData, perBlock);
        var blockCount = data.Length / perBlock;
        var header = new byte[DataHeader.Length];
        new DataHeader
        {
            Format = confirmed ? DataPacketFormat.Confirmed : DataPacketFormat.Unconfirmed,
            Sap = sap,
            IsGroup = isGroup,
            ResponseRequested = confirmed && !isGroup,
            PadOctets = pad,
            Source = source,
            Destination = destination,
            FullMessage = true,
            BlocksToFollow = blockCount,
            SendSequence = sendSequence,
            // One fragment is the last one: FSN 1000 when confirmed (last-fragment flag, TS 102 361-1 §9.3 FSN, as
            // the confirmed header in ok-dmrlib's test_data_header.py carries it); 0000 unconfirmed, as the radio in
            // ok-dmrlib's captured SMS sends it.
            FragmentSequence = confirmed ? LastFragmentFlag : 0,
        }.Encode(header);

        var blocks = new List<byte[]>(blockCount);
        for (var i = 0; i < blockCount; i++)
        {
            var block = new byte[blockLength];
            var payload = confirmed ? block.AsSpan(2) : block.AsSpan();
            data.AsSpan(i * perBlock, perBlock).CopyTo(payload);
            if (confirmed)
            {
                var serial = (byte)(i & 0x7F);
                var crc9 = DataCrc.Crc9(payload, serial, blockLength switch { 18 => DataCrc.Rate34Mask, 24 => DataCrc.Rate1Mask, _ => DataCrc.Rate12Mask });
                Crc9Field.Write(block, serial, crc9, crc9Order);
            }

            blocks.Add(block);
        }

        return (header, blocks);
    }
}
