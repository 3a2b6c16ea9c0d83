using NetArchTest.Rules;

namespace RadioGateway.Architecture.Tests;

/// <summary>The rules would catch what they are for: a use hidden in a method body is found, by both checks.</summary>
public sealed class RuleSelfTests
{
    [Fact]
    public void A_type_used_only_inside_a_method_body_is_a_dependency()
    {
        var result = Types.InAssembly(typeof(RuleSelfTests).Assembly)
            .That().HaveNameStartingWith(nameof(Canaries.TimesInsideABody))
            .Should().NotHaveDependencyOnAny(ProtocolsPurityTests.ForbiddenTypes)
            .GetResult();

        Assert.False(result.IsSuccessful);
        Assert.Contains(typeof(Canaries.TimesInsideABody).FullName!.Replace('+', '/'), result.FailingTypeNames);
    }

    [Fact]
    public void A_clock_read_inside_a_method_body_is_found()
    {
        var uses = Rules.MemberUses(typeof(RuleSelfTests).Assembly, ProtocolsPurityTests.ForbiddenMembers);

        Assert.Contains(uses, use => use.Contains("ReadsTheClock", StringComparison.Ordinal) && use.EndsWith("System.DateTime::get_UtcNow", StringComparison.Ordinal));
        Assert.Contains(uses, use => use.Contains("ReadsTheClock", StringComparison.Ordinal) && use.EndsWith("System.Threading.Tasks.Task::Delay", StringComparison.Ordinal));
    }
}

/// <summary>Code the rules must reject; nothing calls it.</summary>
internal static class Canaries
{
    public static class TimesInsideABody
    {
        public static long Measure()
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            return watch.ElapsedTicks;
        }
    }

    public static async Task<long> ReadsTheClock()
    {
        await Task.Delay(1).ConfigureAwait(false);
        return DateTime.UtcNow.Ticks;
    }
}
