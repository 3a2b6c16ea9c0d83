using System.Buffers.Binary;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Layer2;

namespace RadioGateway.Protocols.Dmr.Layer3;

/// <summary>A UDP datagram carried by a DMR data packet, with the radio ids at both ends.</summary>
/// <param name="SourceId">Radio id of the sender (from the IP address or the data header's LLID).</param>
/// <param name="DestinationId">Radio or group id of the receiver.</param>
/// <param name="SourcePort">UDP source port.</param>
/// <param name="DestinationPort">UDP destination port (selects the service: 4001 LRRP, 4005 ARS, 4007 TMS, …).</param>
/// <param name="Payload">The UDP payload.</param>
public sealed record UdpDatagram(uint SourceId, uint DestinationId, int SourcePort, int DestinationPort, byte[] Payload);

/// <summary>
/// UDP over DMR packet data: full IPv4/UDP (SAP 4, RFC 791/768) and the compressed UDP/IPv4 header (SAP 3,
/// TS 102 361-3 §7.2). Radio IPs follow the MOTOTRBO convention: the low 24 bits are the radio id.
/// </summary>
public static class UdpOverDmr
{
    /// <summary>Port carried in the compressed header's extended header (id 0).</summary>
    private const int PortInExtendedHeader = 0;

    public static UdpDatagram? Decode(DataHeader header, ReadOnlySpan<byte> userData, out string? error)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Sap switch
        {
            ServiceAccessPoint.IpPacketData => DecodeIpv4(userData, out error),
            ServiceAccessPoint.UdpIpCompressed => DecodeCompressed(header, userData, out error),
            _ => Fail($"SAP {header.Sap} does not carry UDP", out error),
        };
    }

    /// <summary>Full IPv4 + UDP: checks version, header length, total length, protocol and header checksum.</summary>
    public static UdpDatagram? DecodeIpv4(ReadOnlySpan<byte> packet, out string? error)
    {
        if (packet.Length < 28)
        {
            return Fail($"{packet.Length} octets cannot hold IPv4 and UDP headers (28)", out error);
        }

        if (packet[0] >> 4 != 4)
        {
            return Fail($"IP version {packet[0] >> 4} at byte 0, expected 4", out error);
        }

        var headerLength = (packet[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (headerLength < 20 || totalLength > packet.Length || totalLength < headerLength + 8)
        {
            return Fail($"IPv4 header length {headerLength} / total length {totalLength} at byte 0..3 do not fit {packet.Length} octets", out error);
        }

        if (packet[9] != 17)
        {
            return Fail($"IP protocol {packet[9]} at byte 9 is not UDP (17)", out error);
        }

        if (InternetChecksum.Compute(packet[..headerLength]) != 0)
        {
            return Fail($"IPv4 header checksum at byte 10 (0x{BinaryPrimitives.ReadUInt16BigEndian(packet[10..]):X4}) does not verify", out error);
        }

        var source = BinaryPrimitives.ReadUInt32BigEndian(packet[12..]);
        var destination = BinaryPrimitives.ReadUInt32BigEndian(packet[16..]);
        var udp = packet[headerLength..totalLength];
        var udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (udpLength < 8 || udpLength > udp.Length)
        {
            return Fail($"UDP length {udpLength} at byte {headerLength + 4} does not fit {udp.Length} octets", out error);
        }

        error = null;
        return new UdpDatagram(
            source & 0xFFFFFF,
            destination & 0xFFFFFF,
            BinaryPrimitives.ReadUInt16BigEndian(udp),
            BinaryPrimitives.ReadUInt16BigEndian(udp[2..]),
            udp[8..udpLength].ToArray());
    }

    /// <summary>Compressed UDP/IPv4 (TS 102 361-3 §7.2.2): IPv4 identification, SAID/DAID, port ids, optional 16-bit ports.</summary>
    public static UdpDatagram? DecodeCompressed(DataHeader header, ReadOnlySpan<byte> packet, out string? error)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (packet.Length < 5)
        {
            return Fail($"{packet.Length} octets cannot hold a compressed UDP/IPv4 header (5)", out error);
        }

        var sourcePortId = packet[3] & 0x7F;
        var destinationPortId = packet[4] & 0x7F;
        var position = 5;
        int ReadPort(int id, ReadOnlySpan<byte> bytes, ref int at)
        {
            if (id != PortInExtendedHeader)
            {
                return CompressedPort(id);
            }

            var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
            at += 2;
            return port;
        }

        var needed = 5 + (sourcePortId == PortInExtendedHeader ? 2 : 0) + (destinationPortId == PortInExtendedHeader ? 2 : 0);
        if (packet.Length < needed)
        {
            return Fail($"compressed header with extended ports needs {needed} octets, got {packet.Length}", out error);
        }

        var sourcePort = ReadPort(sourcePortId, packet, ref position);
        var destinationPort = ReadPort(destinationPortId, packet, ref position);
        error = null;
        return new UdpDatagram(header.Source, header.Destination, sourcePort, destinationPort, packet[position..].ToArray());
    }

    /// <summary>
    /// Well-known port of a compressed port id: 1 = UTF-16BE text (5016) and 2 = location interface (5017) per
    /// TS 102 361-3; 0x62 from the manufacturer range carries MOTOTRBO TMS (4007) in ok-dmrlib's captured SMS.
    /// Other ids are returned as 0x10000 + id so they never collide with a real port.
    /// </summary>
    public static int CompressedPort(int id) => id switch
    {
        1 => 5016,
        2 => 5017,
        0x62 => 4007,
        _ => 0x10000 + id,
    };

    /// <summary>Writes IPv4 + UDP around <paramref name="payload"/> (radio network 12.0.0.0/8, no UDP checksum).</summary>
    public static byte[] EncodeIpv4(uint sourceId, uint destinationId, int sourcePort, int destinationPort, ReadOnlySpan<byte> payload, ushort identification, byte networkPrefix = 12)
    {
        var packet = new byte[28 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), identification);
        packet[8] = 64; // TTL
        packet[9] = 17; // UDP
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), ((uint)networkPrefix << 24) | (sourceId & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), ((uint)networkPrefix << 24) | (destinationId & 0xFFFFFF));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, 20)));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), (ushort)destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(packet.AsSpan(28));
        return packet;
    }


    private static UdpDatagram? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }
}
