using System.Net;
using RadioGateway.Protocols.Motorola;

namespace RadioGateway.Protocols.Tests.Motorola;

/// <summary>
/// CAI addressing: <c>network.(id&gt;&gt;16).(id&gt;&gt;8&amp;255).(id&amp;255)</c>. Own vectors, computed by hand from the
/// formula (3120101 = 0x2F9BE5 → 47.155.229); the 12/225 defaults are MOTOTRBO's CAI and group networks.
/// </summary>
public sealed class CaiNetworksTests
{
    [Theory]
    [InlineData(3120101u, "12.47.155.229")] // 0x2F9BE5
    [InlineData(1u, "12.0.0.1")]
    [InlineData(16777215u, "12.255.255.255")]
    public void A_unit_id_maps_to_its_address_on_the_cai_network_and_back(uint id, string address)
    {
        var networks = new CaiNetworks();

        Assert.Equal(IPAddress.Parse(address), networks.UnitAddress(id));
        Assert.True(networks.TryUnitId(IPAddress.Parse(address), out var back));
        Assert.Equal(id, back);
    }

    [Fact]
    public void Groups_live_on_the_group_network()
    {
        Assert.Equal(IPAddress.Parse("225.0.0.101"), new CaiNetworks().GroupAddress(101));
        Assert.Equal(IPAddress.Parse("226.0.7.209"), new CaiNetworks(GroupNetwork: 226).GroupAddress(2001));
    }

    [Theory]
    [InlineData("12.47.155.229", true)]
    [InlineData("225.0.0.101", true)]
    [InlineData("10.12.0.1", false)]
    [InlineData("13.0.0.1", false)]
    [InlineData("192.168.10.1", false)]
    [InlineData("::1", false)]
    public void Only_the_two_configured_networks_are_contained(string address, bool contained)
    {
        Assert.Equal(contained, new CaiNetworks().Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("225.0.0.101")] // a group address is no sender
    [InlineData("12.0.0.0")] // id 0 is no radio
    [InlineData("192.168.10.1")] // the control station itself
    public void Addresses_that_are_not_radios_give_no_unit_id(string address)
    {
        Assert.False(new CaiNetworks().TryUnitId(IPAddress.Parse(address), out _));
    }

    [Fact]
    public void Ids_beyond_24_bits_have_no_address()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CaiNetworks().UnitAddress(16777216));
    }
}
