using NetArchTest.Rules;

namespace RadioGateway.Architecture.Tests;

/// <summary>Which parts may know which (README "Layout"; issue 10 §6).</summary>
public sealed class LayeringTests
{
    [Theory]
    [MemberData(nameof(Assemblies.BelowTheHost), MemberType = typeof(Assemblies))]
    public void Nothing_below_the_host_references_the_host(string assemblyName)
    {
        var assembly = Assemblies.Load(assemblyName);

        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), reference => reference.Name == Assemblies.HostName);
        Rules.AssertNone(Types.InAssembly(assembly).Should().NotHaveDependencyOnAny(Assemblies.HostNamespaces).GetResult(), "uses the host");
    }

    [Fact]
    public void Protocols_references_no_other_project()
    {
        var references = Assemblies.Protocols.GetReferencedAssemblies().Select(r => r.Name!).ToList();

        // The framework only: no project, no package (no logging, no DI).
        Assert.All(references, name => Assert.True(name.StartsWith("System.", StringComparison.Ordinal), $"Protocols references {name}"));
    }

    [Fact]
    public void Adapters_do_not_reference_commands()
    {
        // Radio answers reach the dispatcher as events; the receive path knows nothing of commands.
        var result = Types.InAssembly(Assemblies.Core)
            .That().ResideInNamespace("RadioGateway.Core.Adapters")
            .ShouldNot().HaveDependencyOn("RadioGateway.Core.Commands")
            .GetResult();

        Rules.AssertNone(result, "uses RadioGateway.Core.Commands");
    }

    [Theory]
    [InlineData("RadioGateway.Core.Journal", new[] { "RadioGateway.Core.Outbox", "RadioGateway.Core.Commands", "RadioGateway.Core.Store" })]
    [InlineData("RadioGateway.Core.Outbox", new[] { "RadioGateway.Core.Journal", "RadioGateway.Core.Commands", "RadioGateway.Core.Store" })]
    [InlineData("RadioGateway.Core.Commands", new[] { "RadioGateway.Core.Journal", "RadioGateway.Core.Outbox", "RadioGateway.Core.Store" })]
    public void Journal_outbox_and_commands_each_own_their_store_interface_and_know_nothing_of_each_other(string owner, string[] others)
    {
        var result = Types.InAssembly(Assemblies.Core)
            .That().ResideInNamespace(owner)
            .ShouldNot().HaveDependencyOnAny(others)
            .GetResult();

        Rules.AssertNone(result, "crosses to " + string.Join(" or ", others));
    }
}
