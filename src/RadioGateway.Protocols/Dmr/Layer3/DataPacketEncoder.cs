using System.Buffers.Binary;
using RadioGateway.Protocols.Dmr.Crc;
using RadioGateway.Protocols.Dmr.Layer2;

namespace RadioGateway.Protocols.Dmr.Layer3;

/// <summary>
/// Builds a data packet (TS 102 361-1 §9.2.6): the header and the blocks — 12 octets for rate ½ (BPTC(196,96)),
/// 18 for rate ¾ (trellis) — with pad octets, CRC-32 and, when confirmed, serial numbers and CRC-9.
/// </summary>
public static class DataPacketEncoder
{
    /// <summary>Most significant bit of the fragment sequence number: the packet's last fragment.</summary>
    private const int LastFragmentFlag = 0b1000;

    /// <summary>Largest user data a packet can carry (127 blocks, minus the CRC-32).</summary>
    public static int MaxUserData(bool confirmed, int blockLength = 12) => (DataCallAssembler.MaxBlocks * (blockLength - (confirmed ? 2 : 0))) - 4;

    /// <summary>Returns the header (12 octets) and the rate ½ blocks (12 octets each, for BPTC) for <paramref name="userData"/>.</summary>
    public static (byte[] Header, IReadOnlyList<byte[]> Blocks) Rate12(
        ReadOnlySpan<byte> userData,
        ServiceAccessPoint sap,
        uint source,
        uint destination,
        bool isGroup,
        bool confirmed,
        int sendSequence = 0) => Build(userData, 12, sap, source, destination, isGroup, confirmed, sendSequence);

    /// <summary>Returns the header and the rate ¾ blocks (18 octets each, for the trellis encoder).</summary>
    public static (byte[] Header, IReadOnlyList<byte[]> Blocks) Rate34(
        ReadOnlySpan<byte> userData,
        ServiceAccessPoint sap,
        uint source,
        uint destination,
        bool isGroup,
        bool confirmed,
        int sendSequence = 0) => Build(userData, 18, sap, source, destination, isGroup, confirmed, sendSequence);

    private static (byte[] Header, IReadOnlyList<byte[]> Blocks) Build(
        ReadOnlySpan<byte> userData,
        int blockLength,
        ServiceAccessPoint sap,
        uint source,
        uint destination,
        bool isGroup,
        bool confirmed,
        int sendSequence)
    {
        if (userData.Length > MaxUserData(confirmed, blockLength))
        {
            throw new ArgumentOutOfRangeException(nameof(userData), userData.Length, $"at most {MaxUserData(confirmed, blockLength)} octets fit one packet");
        }

        var perBlock = blockLength - (confirmed ? 2 : 0);
        var blockCount = (userData.Length + 4 + perBlock - 1) / perBlock;
        var padded = new byte[(blockCount * perBlock) - 4];
        userData.CopyTo(padded);
        var pad = padded.Length - userData.Length;
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

        var crc32 = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc32, DataCrc.Crc32(padded));
        var blocks = new List<byte[]>(blockCount);
        for (var i = 0; i < blockCount; i++)
        {
            var block = new byte[blockLength];
            var payload = confirmed ? block.AsSpan(2) : block.AsSpan();
            var start = i * perBlock;
            var isLast = i == blockCount - 1;
            var dataLength = isLast ? perBlock - 4 : perBlock;
            padded.AsSpan(start, dataLength).CopyTo(payload);
            if (isLast)
            {
                crc32.CopyTo(payload[dataLength..]);
            }

            if (confirmed)
            {
                var serial = (byte)(i & 0x7F);
                var crc9 = DataCrc.Crc9(payload, serial, blockLength == 18 ? DataCrc.Rate34Mask : DataCrc.Rate12Mask);
                block[0] = (byte)((serial << 1) | (crc9 >> 8));
                block[1] = (byte)crc9;
            }

            blocks.Add(block);
        }

        return (header, blocks);
    }
}
