using System.Buffers;
using RadioGateway.Protocols.Common;
using RadioGateway.Protocols.Dmr.Layer2;
using RadioGateway.Protocols.Dmr.Layer3;
using RadioGateway.Protocols.Hytera;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Protocols.Dmr.Air;

/// <summary>Which application service a data packet carries, as the UDP port names it.</summary>
public enum DataServiceKind : byte
{
    /// <summary>Not IP data (another SAP), damaged, or a response packet.</summary>
    None,

    /// <summary>UDP to a port no service decoder here knows.</summary>
    Udp,

    /// <summary>MOTOTRBO location (LRRP, port 4001).</summary>
    Lrrp,

    /// <summary>MOTOTRBO text messaging (TMS, port 4007).</summary>
    Tms,

    /// <summary>MOTOTRBO registration (ARS, port 4005).</summary>
    Ars,

    /// <summary>Hytera HDAP services (RRS, LP, TMP, …) on ports 3002–3009.</summary>
    Hytera,

    /// <summary>NMEA sentences sent as UDP text.</summary>
    NmeaText,
}

/// <summary>
/// The application content of a rebuilt data packet, decoded once: the UDP datagram and the service its port
/// names, with the typed message or why it did not decode. The UDP port picks the service, as MOTOTRBO radios
/// address them (the radio addresses the gateway's service port; the gateway's answers come from it); Hytera
/// radios use ports 3002–3009, where the HDAP service octet picks it.
/// </summary>
public sealed record DataServiceContent(
    DataServiceKind Kind,
    UdpDatagram? Datagram,
    int? Port,
    LrrpMessage? Lrrp = null,
    TmsMessage? Tms = null,
    ArsMessage? Ars = null,
    HdapMessage? Hdap = null,
    string? Problem = null)
{
    /// <summary>UDP ports Hytera radios use for their HDAP services.</summary>
    public const int FirstHyteraPort = 3002;

    public const int LastHyteraPort = 3009;

    private static readonly DataServiceContent NoService = new(DataServiceKind.None, null, null);

    /// <summary>Decodes the service of an intact IP packet; other packets have <see cref="DataServiceKind.None"/>.</summary>
    public static DataServiceContent Decode(DataPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var header = packet.Header;
        if (!packet.IsIntact || header.Sap is not (ServiceAccessPoint.IpPacketData or ServiceAccessPoint.UdpIpCompressed))
        {
            return NoService;
        }

        var datagram = UdpOverDmr.Decode(header, packet.UserData, out var udpError);
        if (datagram is null)
        {
            return NoService with { Problem = udpError };
        }

        var port = datagram.DestinationPort is Motorola.Lrrp.Port or Motorola.Ars.Port or Motorola.Tms.Port or (>= FirstHyteraPort and <= LastHyteraPort)
            ? datagram.DestinationPort
            : datagram.SourcePort;
        var payload = new ReadOnlySequence<byte>(datagram.Payload);
        switch (port)
        {
            case Motorola.Lrrp.Port:
                return Motorola.Lrrp.TryDecode(payload, out var lrrp, out _, out var lrrpError) == DecodeStatus.Done
                    ? new DataServiceContent(DataServiceKind.Lrrp, datagram, port, Lrrp: lrrp)
                    : new DataServiceContent(DataServiceKind.Lrrp, datagram, port, Problem: Describe(lrrpError, "LRRP"));
            case Motorola.Tms.Port:
                return Motorola.Tms.TryDecode(payload, out var tms, out _, out var tmsError) == DecodeStatus.Done
                    ? new DataServiceContent(DataServiceKind.Tms, datagram, port, Tms: tms)
                    : new DataServiceContent(DataServiceKind.Tms, datagram, port, Problem: Describe(tmsError, "TMS"));
            case Motorola.Ars.Port:
                return Motorola.Ars.TryDecode(payload, out var ars, out _, out var arsError) == DecodeStatus.Done
                    ? new DataServiceContent(DataServiceKind.Ars, datagram, port, Ars: ars)
                    : new DataServiceContent(DataServiceKind.Ars, datagram, port, Problem: Describe(arsError, "ARS"));
            case >= FirstHyteraPort and <= LastHyteraPort:
                return Hytera.Hdap.TryDecode(payload, out var hdap, out _, out var hdapError) == DecodeStatus.Done
                    ? new DataServiceContent(DataServiceKind.Hytera, datagram, port, Hdap: hdap)
                    : new DataServiceContent(DataServiceKind.Hytera, datagram, port, Problem: Describe(hdapError, "HDAP"));
            case var _ when datagram.Payload is [(byte)'$', ..]:
                return new DataServiceContent(DataServiceKind.NmeaText, datagram, port);
            default:
                return new DataServiceContent(DataServiceKind.Udp, datagram, datagram.DestinationPort);
        }
    }

    private static string Describe(DecodeError error, string what) => error.Message is null ? $"{what} ends early" : $"{what} {error}";
}
