using RadioGateway.Protocols.Motorola;
using System.Net;

namespace RadioGateway.Core.ControlStations.Motorola;

/// <summary>How the gateway serves a MOTOTRBO control station as its application server.</summary>
public sealed record MotorolaStationSettings
{
    /// <summary>The gateway's name for this radio (<c>Radios:N:Name</c>), in events and logs.</summary>
    public required string RadioId { get; init; }

    /// <summary>The PC's address on the control station's interface (USB: 192.168.10.2 by the radio's DHCP).</summary>
    public required IPAddress LocalAddress { get; init; }

    /// <summary>ARS (registration) service port, on the gateway and on the radios.</summary>
    public int ArsPort { get; init; } = Protocols.Motorola.Ars.Port;

    /// <summary>LRRP (location) service port.</summary>
    public int LrrpPort { get; init; } = Protocols.Motorola.Lrrp.Port;

    /// <summary>TMS (text) service port.</summary>
    public int TmsPort { get; init; } = Protocols.Motorola.Tms.Port;

    public CaiNetworks Networks { get; init; } = new();

    /// <summary>The dispatcher's radio id (<c>Gateway:RadioId</c>): where field radios address texts and positions.</summary>
    public uint DispatcherId { get; init; }

    /// <summary>Refresh interval the ARS answer gives radios, in 30-minute units (0: never refresh).</summary>
    public int ArsRefreshHalfHours { get; init; }

    /// <summary>Triggered location reporting asked of every radio that registers; zero: none.</summary>
    public TimeSpan TrackingInterval { get; init; }

    /// <summary>Longest the radio may take to accept a datagram (the profile's TX time-out).</summary>
    public TimeSpan TxTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the local address is checked (a USB control station's interface disappears when unplugged).</summary>
    public TimeSpan LinkCheckInterval { get; init; } = TimeSpan.FromSeconds(2);
}
