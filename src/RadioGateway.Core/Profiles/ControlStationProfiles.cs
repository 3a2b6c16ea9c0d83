using System.Net;
using System.Net.Sockets;

namespace RadioGateway.Core.Profiles;

/// <summary>Where a control-station radio is reached over IP, and the ports of its data services.</summary>
/// <param name="LocalAddress">The PC's address on the radio's interface (USB: the address the radio's DHCP gives, 192.168.10.2).</param>
/// <param name="RadioAddress">The radio's own address (USB: 192.168.10.1); documentation and the route check.</param>
public sealed record ControlStationNetwork(IPAddress LocalAddress, IPAddress? RadioAddress);

/// <summary>MOTOTRBO control station: CAI networks and the ARS, LRRP and TMS ports.</summary>
public sealed record MotorolaStationProfile(byte CaiNetwork, byte GroupNetwork, int ArsPort, int LrrpPort, int TmsPort, int ArsRefreshMinutes);

/// <summary>Hytera control station: the HRNP port on the radio and its radio-IP subnet octet.</summary>
public sealed record HyteraStationProfile(int HrnpPort, byte RadioSubnet);

/// <summary>Kenwood base radio on a serial line emitting NMEA with FleetSync/NXDN sentences.</summary>
public sealed record KenwoodSerialProfile(SerialProfile Serial);

/// <summary>A control-station hardware profile: one of <see cref="Motorola"/>, <see cref="Hytera"/>, <see cref="Kenwood"/> is set, as <see cref="Kind"/> says.</summary>
public sealed record ControlStationProfile(string Id, string Kind, string Vendor, string Model, int TxTimeoutSeconds, ControlStationNetwork? Network, MotorolaStationProfile? Motorola, HyteraStationProfile? Hytera, KenwoodSerialProfile? Kenwood);

/// <summary>
/// Reads and checks the control-station profile kinds (<c>motorola-control-station</c>, <c>hytera-control-station</c>,
/// <c>kenwood-serial</c>) with the same file:line: key: message diagnostics as hardware and channel profiles.
/// </summary>
public static class ControlStationProfiles
{
    public const string MotorolaKind = "motorola-control-station";
    public const string HyteraKind = "hytera-control-station";
    public const string KenwoodKind = "kenwood-serial";

    public static IReadOnlyList<string> Kinds { get; } = [MotorolaKind, HyteraKind, KenwoodKind];

    /// <summary>The profile's kind when it is a control-station profile; null for anything else (including unreadable files).</summary>
    public static string? KindOf(string path)
    {
        var reader = ProfileLoader.Open(path, out _);
        return reader?.String("kind") is { } kind && Kinds.Contains(kind) ? kind : null;
    }

    public static ControlStationProfile? Load(string path, out IReadOnlyList<ProfileDiagnostic> diagnostics)
    {
        var reader = ProfileLoader.Open(path, out diagnostics);
        if (reader is null)
        {
            return null;
        }

        var kind = reader.String("kind", required: true);
        if (kind is null || !Kinds.Contains(kind))
        {
            reader.Problem("kind", $"is '{kind}' but a control-station profile ({string.Join(", ", Kinds)}) is expected here");
            diagnostics = reader.Diagnostics;
            return null;
        }

        var profile = Read(reader, kind);
        diagnostics = reader.Diagnostics;
        return diagnostics.Count == 0 ? profile : null;
    }

    internal static ControlStationProfile Read(ProfileLoader.ProfileReader reader, string kind)
    {
        reader.AllowOnly("", "$schema", "kind", "id", "vendor", "model", "description", "network", "services", "transport", "capabilities");
        reader.AllowOnly("capabilities", "txTimeoutSeconds", "dataProtocols");
        var id = reader.String("id", required: true) ?? "";
        var txTimeout = reader.Int("capabilities.txTimeoutSeconds", 1, 600, fallback: 60);
        ControlStationNetwork? network = null;
        MotorolaStationProfile? motorola = null;
        HyteraStationProfile? hytera = null;
        KenwoodSerialProfile? kenwood = null;
        switch (kind)
        {
            case MotorolaKind:
                reader.AllowOnly("network", "localAddress", "radioAddress", "caiNetwork", "groupNetwork");
                reader.AllowOnly("services", "arsPort", "lrrpPort", "tmsPort", "arsRefreshMinutes");
                network = ReadNetwork(reader);
                var cai = reader.Int("network.caiNetwork", 1, 255, fallback: 12);
                var groups = reader.Int("network.groupNetwork", 1, 255, fallback: 225);
                var ports = new[] { ("services.arsPort", 4005), ("services.lrrpPort", 4001), ("services.tmsPort", 4007) }
                    .Select(p => reader.Int(p.Item1, 1, 65535, fallback: p.Item2)).ToArray();
                if (ports.Distinct().Count() != ports.Length)
                {
                    reader.Problem("services", $"ARS, LRRP and TMS need three different ports, not {string.Join(", ", ports)}");
                }

                var refresh = reader.Int("services.arsRefreshMinutes", 0, 127 * 30, fallback: 0);
                if (refresh % 30 != 0)
                {
                    reader.Problem("services.arsRefreshMinutes", $"{refresh} is not a multiple of 30 (ARS counts the refresh time in 30-minute units)");
                }

                motorola = new MotorolaStationProfile((byte)cai, (byte)groups, ports[0], ports[1], ports[2], refresh);
                break;
            case HyteraKind:
                reader.AllowOnly("network", "localAddress", "radioAddress", "radioSubnet");
                reader.AllowOnly("services", "hrnpPort");
                network = ReadNetwork(reader);
                if (network is { RadioAddress: null })
                {
                    reader.Problem("network.radioAddress", "is required: the gateway connects to the radio's HRNP port");
                }

                hytera = new HyteraStationProfile(reader.Int("services.hrnpPort", 1, 65535, required: true), (byte)reader.Int("network.radioSubnet", 1, 255, fallback: 10));
                break;
            default:
                reader.AllowOnly("transport", "kind", "baudRate", "dataBits", "parity", "stopBits", "handshake", "dtrIdle", "rtsIdle");
                var transport = reader.String("transport.kind", required: true);
                if (transport is not null and not "serial")
                {
                    reader.Problem("transport.kind", $"'{transport}' is not 'serial' (a Kenwood base radio's data port is a serial line)");
                }

                var parity = reader.String("transport.parity") ?? "none";
                if (parity is not ("none" or "odd" or "even" or "mark" or "space"))
                {
                    reader.Problem("transport.parity", $"'{parity}' is not one of none, odd, even, mark, space");
                }

                var handshake = reader.String("transport.handshake") ?? "none";
                if (handshake is not ("none" or "rts-cts"))
                {
                    reader.Problem("transport.handshake", $"'{handshake}' is not one of none, rts-cts");
                }

                kenwood = new KenwoodSerialProfile(new SerialProfile(
                    reader.Int("transport.baudRate", 50, 4_000_000, required: true),
                    reader.Int("transport.dataBits", 5, 8, fallback: 8),
                    parity,
                    reader.Int("transport.stopBits", 1, 2, fallback: 1),
                    handshake,
                    reader.Bool("transport.dtrIdle", true),
                    reader.Bool("transport.rtsIdle", false)));
                break;
        }

        return new ControlStationProfile(id, kind, reader.String("vendor") ?? "", reader.String("model") ?? "", txTimeout, network, motorola, hytera, kenwood);
    }

    private static ControlStationNetwork? ReadNetwork(ProfileLoader.ProfileReader reader)
    {
        var local = Address(reader, "network.localAddress", required: true);
        var radio = Address(reader, "network.radioAddress", required: false);
        return local is null ? null : new ControlStationNetwork(local, radio);
    }

    private static IPAddress? Address(ProfileLoader.ProfileReader reader, string key, bool required)
    {
        var text = reader.String(key, required);
        if (text is null)
        {
            return null;
        }

        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
        {
            reader.Problem(key, $"'{text}' is not an IPv4 address such as 192.168.10.2");
            return null;
        }

        return address;
    }
}
