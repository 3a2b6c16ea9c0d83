using NetArchTest.Rules;

namespace RadioGateway.Architecture.Tests;

/// <summary>Protocol code is pure: bytes in, values out. No I/O, clock, thread or logging (common brief, code rules).</summary>
public sealed class ProtocolsPurityTests
{
    /// <summary>Types whose mere use is I/O, a clock, a thread or logging (NetArchTest matches these as name prefixes).</summary>
    internal static readonly string[] ForbiddenTypes =
    [
        // I/O: streams, files, ports, sockets, the console
        "System.IO.Stream", "System.IO.MemoryStream", "System.IO.BinaryReader", "System.IO.BinaryWriter", "System.IO.TextReader", "System.IO.TextWriter",
        "System.IO.File", "System.IO.Directory", "System.IO.DriveInfo", "System.IO.Pipes", "System.IO.Pipelines", "System.IO.Ports",
        "System.Net.Sockets", "System.Net.Http", "System.Console",
        // clocks and timers
        "System.Diagnostics.Stopwatch", "System.Threading.Timer", "System.Threading.PeriodicTimer", "System.Timers",
        // threads and scheduling
        "System.Threading.Thread", "System.Threading.ThreadPool", "System.Threading.Tasks.TaskScheduler", "System.Threading.Tasks.Parallel",
        // logging
        "Microsoft.Extensions.Logging", "System.Diagnostics.Trace", "System.Diagnostics.Debug", "System.Diagnostics.Tracing",
    ];

    /// <summary>Members of otherwise harmless types that read a clock or start work elsewhere.</summary>
    internal static readonly string[] ForbiddenMembers =
    [
        "System.DateTime::get_Now", "System.DateTime::get_UtcNow", "System.DateTime::get_Today",
        "System.DateTimeOffset::get_Now", "System.DateTimeOffset::get_UtcNow",
        "System.TimeProvider::get_System", "System.TimeProvider::GetUtcNow", "System.TimeProvider::GetTimestamp", "System.TimeProvider::CreateTimer",
        "System.Environment::get_TickCount", "System.Environment::get_TickCount64",
        "System.Threading.Tasks.Task::Run", "System.Threading.Tasks.Task::Delay", "System.Threading.Tasks.TaskFactory::StartNew",
    ];

    [Fact]
    public void Protocols_uses_no_io_clock_thread_or_logging_type()
    {
        var result = Types.InAssembly(Assemblies.Protocols).Should().NotHaveDependencyOnAny(ForbiddenTypes).GetResult();

        Rules.AssertNone(result, "use I/O, a clock, a thread or logging");
    }

    [Fact]
    public void Protocols_reads_no_clock_and_starts_no_task()
    {
        Assert.Empty(Rules.MemberUses(Assemblies.Protocols, ForbiddenMembers));
    }
}
