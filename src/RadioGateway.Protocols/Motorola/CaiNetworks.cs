using System.Globalization;
using System.Net;

namespace RadioGateway.Protocols.Motorola;

/// <summary>
/// MOTOTRBO Common Air Interface addressing: a radio's IPv4 address is <c>network.(id&gt;&gt;16).(id&gt;&gt;8&amp;255).(id&amp;255)</c>
/// (CAI network 12 by default), a talk-group's the same on the group network (225 by default). Nothing is ever
/// sent outside these two networks: anything else would leave through the control station to a host that is
/// not a radio, or not through it at all.
/// </summary>
public sealed record CaiNetworks(byte UnitNetwork = CaiNetworks.DefaultUnitNetwork, byte GroupNetwork = CaiNetworks.DefaultGroupNetwork)
{
    public const byte DefaultUnitNetwork = 12;

    public const byte DefaultGroupNetwork = 225;

    /// <summary>Largest radio or group id (24 bits).</summary>
    public const uint MaxId = 0xFFFFFF;

    public IPAddress UnitAddress(uint id) => Address(UnitNetwork, id);

    public IPAddress GroupAddress(uint id) => Address(GroupNetwork, id);

    /// <summary>The radio id of an address on the unit network; false for any other address.</summary>
    public bool TryUnitId(IPAddress address, out uint id)
    {
        ArgumentNullException.ThrowIfNull(address);
        id = 0;
        Span<byte> octets = stackalloc byte[4];
        if (!address.MapToIPv4().TryWriteBytes(octets, out var written) || written != 4 || octets[0] != UnitNetwork)
        {
            return false;
        }

        id = (uint)((octets[1] << 16) | (octets[2] << 8) | octets[3]);
        return id != 0;
    }

    /// <summary>Whether <paramref name="address"/> lies on the unit or the group network.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> octets = stackalloc byte[4];
        return address.MapToIPv4().TryWriteBytes(octets, out var written) && written == 4 && (octets[0] == UnitNetwork || octets[0] == GroupNetwork);
    }

    /// <summary>Both networks, as an operator reads them (<c>12.0.0.0/8 and 225.0.0.0/8</c>).</summary>
    public override string ToString() => UnitNetwork == GroupNetwork
        ? string.Create(CultureInfo.InvariantCulture, $"{UnitNetwork}.0.0.0/8")
        : string.Create(CultureInfo.InvariantCulture, $"{UnitNetwork}.0.0.0/8 and {GroupNetwork}.0.0.0/8");

    private static IPAddress Address(byte network, uint id)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, MaxId);
        return new IPAddress([network, (byte)(id >> 16), (byte)(id >> 8), (byte)id]);
    }
}
