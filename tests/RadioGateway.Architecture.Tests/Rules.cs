using System.Reflection;
using Mono.Cecil;
using NetArchTest.Rules;

namespace RadioGateway.Architecture.Tests;

internal static class Rules
{
    /// <summary>Asserts a NetArchTest result, naming every type that broke the rule.</summary>
    public static void AssertNone(TestResult result, string what)
    {
        var failing = result.FailingTypeNames ?? [];
        Assert.True(result.IsSuccessful, $"{failing.Count} type(s) {what}: {string.Join(", ", failing.Order(StringComparer.Ordinal))}");
    }

    /// <summary>
    /// Every call or field access to one of <paramref name="members"/> ("Namespace.Type::member", as IL names them) in
    /// the method bodies of <paramref name="assembly"/>, as "caller → member". NetArchTest sees types only; this
    /// separates <c>DateTime.UtcNow</c> (a clock) from <c>DateTime</c> (a value).
    /// </summary>
    public static IReadOnlyList<string> MemberUses(Assembly assembly, IReadOnlyCollection<string> members)
    {
        using var module = ModuleDefinition.ReadModule(assembly.Location);
        var found = new List<string>();
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                foreach (var instruction in method.Body.Instructions)
                {
                    if (instruction.Operand is MethodReference or FieldReference
                        && instruction.Operand is MemberReference { DeclaringType: { } declaring } member
                        && members.Contains(declaring.FullName + "::" + member.Name))
                    {
                        found.Add($"{type.FullName}::{method.Name} → {member.DeclaringType.FullName}::{member.Name}");
                    }
                }
            }
        }

        return found;
    }
}
