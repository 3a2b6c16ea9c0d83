using System.Net;
using RadioGateway.Protocols.Hytera;

namespace RadioGateway.Core.ControlStations.Hytera;

/// <summary>How the gateway reaches a Hytera control station over its IP link and serves its radios.</summary>
public sealed record HyteraStationSettings
{
    /// <summary>The gateway's name for this radio (<c>Radios:N:Name</c>), in events and logs.</summary>
    public required string RadioId { get; init; }

    /// <summary>The control station's own address (USB: 192.168.10.1), where its HRNP port listens.</summary>
    public required IPAddress RadioAddress { get; init; }

    /// <summary>The radio's HRNP port, as programmed in its CPS.</summary>
    public required int HrnpPort { get; init; }

    /// <summary>First octet of radio IPs (subnet, then the 24-bit radio id: 10.47.155.229 is radio 3120101).</summary>
    public byte RadioSubnet { get; init; } = 10;

    /// <summary>The dispatcher's radio id (<c>Gateway:RadioId</c>): the source of texts the gateway sends.</summary>
    public uint DispatcherId { get; init; }

    /// <summary>Renew time the RRS answer gives registering radios, in seconds.</summary>
    public int RegistrationRenewSeconds { get; init; } = 3600;

    /// <summary>Triggered location reporting asked of every radio that registers; zero: none.</summary>
    public TimeSpan TrackingInterval { get; init; }

    /// <summary>Longest the radio may take to acknowledge (HRNP DATA_ACK) a frame the gateway sends (the profile's TX time-out).</summary>
    public TimeSpan TxTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long connecting and the CONNECT → ACCEPT exchange may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Idle time after which the gateway sends a keepalive (an RCP radio id query).</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest the radio may take to acknowledge a keepalive before the link is declared down.</summary>
    public TimeSpan KeepaliveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The radio IP of a unit (subnet, id).</summary>
    public IPAddress UnitAddress(uint unit) => new([RadioSubnet, (byte)(unit >> 16), (byte)(unit >> 8), (byte)unit]);

    /// <summary>The address a group's TMP message carries (subnet 0, as in the public group capture).</summary>
    public static IPAddress GroupAddress(uint group) => new([0, (byte)(group >> 16), (byte)(group >> 8), (byte)group]);

    /// <summary>HDAP service ports, used to label datagrams (LP 3003, TMP 3004).</summary>
    public static int PortOf(HdapService service) => service switch
    {
        HdapService.Location => HyteraPorts.Location,
        HdapService.TextMessage => HyteraPorts.TextMessage,
        _ => HyteraPorts.RadioRegistration,
    };
}
