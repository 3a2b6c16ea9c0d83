namespace RadioGateway.Hosting.ControlStations;

/// <summary><c>Tracking:*</c> — the control stations' tracking policy.</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>Triggered location reporting asked of every radio that registers (stopped when it deregisters); 0: off.</summary>
    public int IntervalSeconds { get; set; }

    /// <summary>Checks the bound options; an interval is 0 or 30–3600 s, as <c>locate</c> commands allow.</summary>
    public static TrackingOptions Load(TrackingOptions options, List<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        if (options.IntervalSeconds != 0 && options.IntervalSeconds is < 30 or > 3600)
        {
            problems.Add(new($"{Section}:IntervalSeconds", $"{options.IntervalSeconds} is neither 0 (off) nor 30–3600 seconds"));
        }

        return options;
    }
}
