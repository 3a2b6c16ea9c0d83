using System.Reflection;

namespace RadioGateway.Architecture.Tests;

/// <summary>The gateway's assemblies, loaded by name (the test project references every one of them).</summary>
internal static class Assemblies
{
    /// <summary>File name of the host and CLI assembly (<c>src/RadioGateway</c>).</summary>
    public const string HostName = "radiogw";

    /// <summary>Namespaces that exist only in the host.</summary>
    public static readonly string[] HostNamespaces = ["RadioGateway.Hosting", "RadioGateway.Cli"];

    /// <summary>Everything the host is built on; none of it may know the host.</summary>
    public static TheoryData<string> BelowTheHost { get; } = new()
    {
        "RadioGateway.Protocols", "RadioGateway.Core", "RadioGateway.Uplink", "RadioGateway.Transport", "RadioGateway.Simulator", "RadioGateway.Resilience",
    };

    public static Assembly Protocols => Load("RadioGateway.Protocols");

    public static Assembly Core => Load("RadioGateway.Core");

    public static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));
}
