using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Air;

namespace RadioGateway.Protocols.Dmr.Layer3;

/// <summary>
/// The bursts of one data call on a slot, as any radio link sends them: preamble CSBKs announcing the blocks (so a
/// radio in power save wakes up), the data header, then the rate ½ blocks of an unconfirmed IPv4/UDP packet.
/// Used by the gateway's transmit path and by the simulated radios.
/// </summary>
public static class DataCallBursts
{
    /// <summary>
    /// IPv4/UDP of <paramref name="payload"/> in a rate ½ packet, behind <paramref name="preambles"/> preamble CSBKs.
    /// Confirmed packets (individual targets only) ask the receiver for a response packet (TS 102 361-1 §9.2.7).
    /// </summary>
    public static IReadOnlyList<SlotBurst> Udp(int slot, byte colourCode, DmrSyncPattern sync, uint source, uint target, bool groupTarget, int port, ReadOnlySpan<byte> payload, ushort identification, int preambles = 2, bool confirmed = false, Crc9BitOrder crc9Order = Crc9BitOrder.MsbFirst)
    {
        var ip = UdpOverDmr.EncodeIpv4(source, target, port, port, payload, identification);
        var (header, blocks) = DataPacketEncoder.Rate12(ip, ServiceAccessPoint.IpPacketData, source, target, groupTarget, confirmed: confirmed && !groupTarget, sendSequence: identification & 0x07, crc9Order: crc9Order);
        var bursts = new List<SlotBurst>(blocks.Count + preambles + 1);
        for (var remaining = preambles; remaining >= 1; remaining--)
        {
            // Preamble CSBK (TS 102 361-2 §7.1.2.1): octet 2 = data follows (bit 7), group target (bit 6); octet 3 = blocks to follow.
            var preamble = Csbk.Addressed(Csbk.Preamble, 0x00, target, source, octet2: (byte)(0x80 | (groupTarget ? 0x40 : 0)), octet3: (byte)(remaining + blocks.Count));
            bursts.Add(Burst(slot, colourCode, sync, DmrDataType.Csbk, preamble.Bytes));
        }

        bursts.Add(Burst(slot, colourCode, sync, DmrDataType.DataHeader, header));
        bursts.AddRange(blocks.Select(block => Burst(slot, colourCode, sync, DmrDataType.Rate12Data, block)));
        return bursts;
    }

    /// <summary>
    /// The response packet to a confirmed data packet: a lone header, class 0 type 1 = ACK, every block received
    /// (TS 102 361-1 §9.3.23, Table 9.50).
    /// </summary>
    public static SlotBurst Acknowledgement(int slot, byte colourCode, DmrSyncPattern sync, uint source, uint target, int sendSequence)
    {
        var header = new byte[DataHeader.Length];
        new DataHeader
        {
            Format = DataPacketFormat.Response,
            Sap = ServiceAccessPoint.IpPacketData,
            Source = source,
            Destination = target,
            ResponseClass = 0,
            ResponseType = 1,
            ResponseStatus = sendSequence & 0x07,
        }.Encode(header);
        return Burst(slot, colourCode, sync, DmrDataType.DataHeader, header);
    }

    /// <summary>A single CSBK burst (radio check, its answer, call alert, …).</summary>
    public static SlotBurst ControlBlock(int slot, byte colourCode, DmrSyncPattern sync, Csbk csbk)
    {
        ArgumentNullException.ThrowIfNull(csbk);
        return Burst(slot, colourCode, sync, DmrDataType.Csbk, csbk.Bytes);
    }

    private static SlotBurst Burst(int slot, byte colourCode, DmrSyncPattern sync, DmrDataType type, ReadOnlySpan<byte> info)
    {
        var burst = new byte[DmrBurst.Length];
        DmrBurst.WriteBptcInfo(burst, info);
        DmrBurst.WriteSlotType(burst, colourCode, type);
        DmrBurst.WriteSync(burst, sync);
        return SlotBurst.Data(slot, burst, type);
    }
}
