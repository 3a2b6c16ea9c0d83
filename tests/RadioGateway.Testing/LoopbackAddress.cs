using System.Globalization;
using System.Net;

namespace RadioGateway.Testing;

/// <summary>
/// An extra IPv4 address on the loopback device, added with iproute2 and removed again: the PC's address on a
/// control station's network interface, which disappears when the station is unplugged (a USB MOTOTRBO radio's
/// interface goes away with it). The address is in 198.18.0.0/15 (RFC 2544: never routed) and never leaves lo.
/// </summary>
public sealed class LoopbackAddress : IDisposable
{
    private readonly string _ip = ExternalTool.Require("ip", "iproute2");

    private LoopbackAddress(IPAddress address) => Address = address;

    public IPAddress Address { get; }

    public bool IsPresent { get; private set; }

    /// <summary>An address unique to this test process (198.19.x.y from its id), added to lo.</summary>
    public static async Task<LoopbackAddress> AddAsync()
    {
        var id = Environment.ProcessId;
        var alias = new LoopbackAddress(new IPAddress([198, 19, (byte)(id >> 8), (byte)id]));
        await alias.PlugAsync();
        return alias;
    }

    /// <summary>Adds the address to lo (the interface comes back).</summary>
    public async Task PlugAsync()
    {
        await RunAsync("add");
        IsPresent = true;
    }

    /// <summary>Removes the address from lo (the interface is gone).</summary>
    public async Task UnplugAsync()
    {
        await RunAsync("del");
        IsPresent = false;
    }

    public void Dispose()
    {
        if (IsPresent)
        {
            RunAsync("del").GetAwaiter().GetResult();
            IsPresent = false;
        }
    }

    private async Task RunAsync(string verb)
    {
        using var ip = ExternalTool.Start(_ip, ["addr", verb, string.Create(CultureInfo.InvariantCulture, $"{Address}/32"), "dev", "lo"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ip.Process.WaitForExitAsync(timeout.Token);
        if (ip.Process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'ip addr {verb} {Address}/32 dev lo' failed ({ip.Output.Trim()}): this test needs root or CAP_NET_ADMIN to add and remove an address on the loopback device (test.sh and .ci/run run as root)");
        }
    }
}
