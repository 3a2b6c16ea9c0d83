namespace RadioGateway.Core.Tests.FleetPlan;

/// <summary>
/// A copy of the shipped example fleet plan with its roster and base-station channel profiles in a temporary folder
/// (same relative layout), so a test can edit the plan and find the line of what it changed.
/// </summary>
public sealed class PlanFiles : IDisposable
{
    public PlanFiles()
    {
        Directory.CreateDirectory(Path.Combine(Root, "fleet-plans"));
        Directory.CreateDirectory(Path.Combine(Root, "channel-plans"));
        foreach (var name in new[] { "repeater-duplex.json", "hotspot-simplex.json" })
        {
            File.Copy(Path.Combine(RepositoryRoot, "hardware-profiles", "channel-plans", name), Path.Combine(Root, "channel-plans", name));
        }

        File.Copy(Path.Combine(RepositoryRoot, "hardware-profiles", "fleet-plans", "roster.json"), Path.Combine(Root, "fleet-plans", "roster.json"));
        Text = File.ReadAllText(ExamplePath);
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ExamplePath => Path.Combine(RepositoryRoot, "hardware-profiles", "fleet-plans", "example.json");

    public string Root { get; } = Directory.CreateTempSubdirectory("radiogw-fleet-").FullName;

    /// <summary>The plan's text; edit it, then <see cref="Write"/>.</summary>
    public string Text { get; set; }

    public string PlanPath => Path.Combine(Root, "fleet-plans", "plan.json");

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Replaces the one occurrence of <paramref name="old"/> (it must be there exactly once).</summary>
    public PlanFiles Edit(string old, string replacement)
    {
        var first = Text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(first >= 0 && Text.IndexOf(old, first + 1, StringComparison.Ordinal) < 0, $"'{old}' must occur exactly once in the plan");
        Text = Text.Replace(old, replacement, StringComparison.Ordinal);
        return this;
    }

    /// <summary>The 1-based line of the one occurrence of <paramref name="fragment"/> in the plan's text.</summary>
    public int LineOf(string fragment)
    {
        var index = Text.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{fragment}' is not in the plan");
        return Text[..index].Count(c => c == '\n') + 1;
    }

    public string Write()
    {
        File.WriteAllText(PlanPath, Text);
        return PlanPath;
    }

    public void WriteRoster(int units)
    {
        var lines = Enumerable.Range(1, units).Select(i => $$"""    { "id": {{3_000_000 + i}}, "name": "واحد {{i}}", "centre": "tehran" }""");
        File.WriteAllText(Path.Combine(Root, "fleet-plans", "roster.json"), "{ \"units\": [\n" + string.Join(",\n", lines) + "\n] }\n");
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RadioGateway.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("RadioGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
