using System.Text.RegularExpressions;
using RadioGateway.Tests.EndToEnd;

namespace RadioGateway.Tests.Cli;

public sealed partial class ProfileCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-profile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_channel_outside_the_hardware_band_fails_validate_of_the_pair_as_it_fails_run()
    {
        var hardware = GatewayProcess.Repository("hardware-profiles", "simulator.json");
        var channel = Path.Combine(_directory, "vhf.json");
        var json = File.ReadAllText(GatewayProcess.Repository("hardware-profiles", "channel-plans", "simulator.json"));
        File.WriteAllText(channel, FrequencyPattern().Replace(json, "${1}145500000"));

        using var validate = GatewayProcess.Start("profile", "validate", hardware, channel);
        await validate.Process.WaitForExitAsync();

        Assert.Equal(1, validate.Process.ExitCode);
        Assert.Contains($"{channel}:0: rxFrequencyHz: 145500000 Hz is outside the band", validate.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex("(\"(?:rx|tx)FrequencyHz\"\\s*:\\s*)\\d+")]
    private static partial Regex FrequencyPattern();
}
