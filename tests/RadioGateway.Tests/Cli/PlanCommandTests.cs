using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Core.Store;
using RadioGateway.Core.Tests.Journal;
using RadioGateway.Testing;
using RadioGateway.Tests.EndToEnd;

namespace RadioGateway.Tests.Cli;

/// <summary>
/// <c>radiogw plan</c> against the real programming tools: qdmr's <c>dmrconf</c> encodes our YAML for several radios
/// (no radio attached) and decodes it back, dmrconfig applies our configuration to a blank MD-380 image and prints it
/// back; <c>radiogw plan diff</c> finds nothing lost on the way, and finds an edited frequency.
/// </summary>
public sealed class PlanCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string Example = GatewayProcess.Repository("hardware-profiles", "fleet-plans", "example.json");
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-plan-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Validate_accepts_the_example_and_reports_a_broken_plan_as_file_line_key_message()
    {
        var (okExit, okOutput) = await RadiogwAsync("plan", "validate", Example);
        Assert.True(okExit == 0, okOutput);

        // The plan names its roster and base-station profiles relatively: copy them in the same layout.
        foreach (var (folder, name) in new[] { ("fleet-plans", "roster.json"), ("channel-plans", "repeater-duplex.json"), ("channel-plans", "hotspot-simplex.json") })
        {
            Directory.CreateDirectory(Path.Combine(_directory, folder));
            File.Copy(GatewayProcess.Repository("hardware-profiles", folder, name), Path.Combine(_directory, folder, name));
        }

        var broken = Path.Combine(_directory, "fleet-plans", "broken.json");
        var lines = File.ReadAllLines(Example);
        var index = Array.FindIndex(lines, l => l.Contains("\"id\": \"thr-relief\"", StringComparison.Ordinal));
        lines[index] = lines[index].Replace("\"slot\": 1, \"talkGroup\": 102", "\"slot\": 1, \"talkGroup\": 103", StringComparison.Ordinal);
        File.WriteAllLines(broken, lines);
        var (exit, output) = await RadiogwAsync("plan", "validate", broken);

        Assert.True(exit == 1, output);
        Assert.Contains($"{broken}:{index + 1}: centres[0].channels[1].talkGroup: talk-group 103 is used on slot 1 but the base station does not carry it there", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("d878uv")]
    [InlineData("gd77")]
    [InlineData("uv390")]
    public async Task Dmrconf_encodes_the_exported_yaml_and_the_decoded_codeplug_differs_from_the_plan_in_nothing(string radio)
    {
        var dmrconf = ExternalTool.Require("dmrconf", "qdmr");
        var yaml = Path.Combine(_directory, "plan.yaml");
        var (exportExit, exportOutput) = await RadiogwAsync("plan", "export", "--format", "qdmr", "--radio", radio, Example, yaml);
        Assert.True(exportExit == 0, exportOutput);

        var binary = Path.Combine(_directory, "plan.dfu");
        var encode = await RunAsync(dmrconf, ["encode", $"--radio={radio}", yaml, binary]);
        Assert.True(encode.ExitCode == 0 && File.Exists(binary), $"dmrconf encode --radio={radio}: exit {encode.ExitCode}\n{encode.Output}");

        var decoded = Path.Combine(_directory, "decoded.yaml");
        var decode = await RunAsync(dmrconf, ["decode", $"--radio={radio}", binary, decoded]);
        Assert.True(decode.ExitCode == 0, $"dmrconf decode: exit {decode.ExitCode}\n{decode.Output}");

        var (diffExit, diffOutput) = await RadiogwAsync("plan", "diff", "--radio", radio, Example, decoded);
        Assert.True(diffExit == 0, diffOutput);
        Assert.Contains("no differences from the plan", diffOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dmrconfig_applies_the_exported_configuration_to_a_blank_md380_image_and_prints_back_what_the_plan_says()
    {
        var dmrconfig = ExternalTool.Require("dmrconfig", "dmrconfig");
        var conf = Path.Combine(_directory, "plan.conf");
        var (exportExit, exportOutput) = await RadiogwAsync("plan", "export", "--format", "dmrconfig", "--radio", "md380", "--team", "tehran-1", Example, conf);
        Assert.True(exportExit == 0, exportOutput);

        // dmrconfig tells the radio by the image's size: 262144 bytes is a TYT MD-380 (radio.c, radio_read_image).
        var blank = Path.Combine(_directory, "blank.img");
        await File.WriteAllBytesAsync(blank, new byte[262_144]);
        var apply = await RunAsync(dmrconfig, ["-c", blank, conf]);
        Assert.True(apply.ExitCode == 0, $"dmrconfig -c: exit {apply.ExitCode}\n{apply.Output}");
        Assert.Contains("Total 5 channels, 2 zones, 0 scanlists, 10 contacts, 3 grouplists.", apply.Output, StringComparison.Ordinal);

        var print = await RunAsync(dmrconfig, [Path.Combine(_directory, "device.img")]);
        Assert.True(print.ExitCode == 0, print.Output);
        var back = Path.Combine(_directory, "back.conf");
        await File.WriteAllTextAsync(back, print.StandardOutput);

        var (diffExit, diffOutput) = await RadiogwAsync("plan", "diff", "--radio", "md380", "--team", "tehran-1", Example, back);
        Assert.True(diffExit == 0, diffOutput + "\n" + print.StandardOutput);
    }

    [Fact]
    public async Task Dmrconfig_refuses_a_configuration_that_breaks_its_rules()
    {
        var dmrconfig = ExternalTool.Require("dmrconfig", "dmrconfig");
        var conf = Path.Combine(_directory, "plan.conf");
        var (exportExit, exportOutput) = await RadiogwAsync("plan", "export", "--format", "dmrconfig", "--team", "tehran-1", Example, conf);
        Assert.True(exportExit == 0, exportOutput);
        await File.WriteAllTextAsync(conf, (await File.ReadAllTextAsync(conf)).Replace("437.975   430.375", "999.975   430.375", StringComparison.Ordinal));
        var blank = Path.Combine(_directory, "blank.img");
        await File.WriteAllBytesAsync(blank, new byte[262_144]);

        var apply = await RunAsync(dmrconfig, ["-c", blank, conf]);

        Assert.True(apply.ExitCode != 0, apply.Output);
        Assert.Contains("Bad receive frequency", apply.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_shows_an_edited_frequency_as_one_line_and_exits_1()
    {
        var yaml = Path.Combine(_directory, "plan.yaml");
        var (exportExit, exportOutput) = await RadiogwAsync("plan", "export", "--format", "qdmr", Example, yaml);
        Assert.True(exportExit == 0, exportOutput);
        await File.WriteAllTextAsync(yaml, (await File.ReadAllTextAsync(yaml)).Replace("rxFrequency: 433.500", "rxFrequency: 433.5125", StringComparison.Ordinal));

        var (exit, output) = await RadiogwAsync("plan", "diff", Example, yaml);

        Assert.True(exit == 1, output);
        Assert.Equal(["channel 'Thran Analug': rxFrequency: plan 433.500 MHz, codeplug 433.5125 MHz"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("channel ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Export_says_on_stderr_which_persian_names_were_transliterated_or_cut()
    {
        var (exit, output) = await RadiogwAsync("plan", "export", "--format", "anytone", Example, Path.Combine(_directory, "anytone"));

        Assert.True(exit == 0, output);
        Assert.Contains("radiogw: warning: channel 'thr-support': 'تهران پشتیبانی' is written 'Thran Pshtibani' (Persian→Latin, AnyTone AT-D878UV shows only ASCII)", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "anytone", "ReceiveGroupCallList.CSV")));
    }

    [Fact]
    public async Task Heard_lists_talk_groups_and_units_the_plan_lacks_and_planned_units_never_heard()
    {
        using (var store = GatewayStore.Open(_directory, new CloudEventWriter("gw"), new FakeTimeProvider(SampleEvents.Start)))
        {
            var planned = SampleEvents.OpenCall("call-1", source: 2001001, talkgroup: 101);
            var stranger = SampleEvents.OpenCall("call-2", source: 4242, talkgroup: 91) with { Start = SampleEvents.Start.AddSeconds(5) };
            store.Append([SampleEvents.Started(planned), SampleEvents.Started(stranger)]);
        }

        var (exit, output) = await RadiogwAsync("plan", "heard", Example, $"--Gateway:DataDirectory={_directory}");

        Assert.True(exit == 1, output);
        Assert.Contains("talk-group 91: heard 1 call(s)", output, StringComparison.Ordinal);
        Assert.Contains("unit 4242: heard 1 time(s)", output, StringComparison.Ordinal);
        Assert.Contains("unit 2002002 'خودرو ۷' (team isfahan-1): planned, never heard", output, StringComparison.Ordinal);
        Assert.DoesNotContain("unit 2001001 ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_that_cannot_be_written_is_one_line_and_exit_2()
    {
        var output = Path.Combine(_directory, "missing-folder", "plan.yaml");

        var (exit, text) = await RadiogwAsync("plan", "export", "--format", "qdmr", Example, output);

        Assert.True(exit == 2, text);
        Assert.Contains($"radiogw: cannot write {output}:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", text, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RadiogwAsync(params string[] arguments)
    {
        using var process = GatewayProcess.Start(arguments);
        using var timeout = new CancellationTokenSource(Patience);
        await process.Process.WaitForExitAsync(timeout.Token);
        return (process.Process.ExitCode, process.Output);
    }

    private async Task<(int ExitCode, string StandardOutput, string Output)> RunAsync(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        info.Environment["QT_QPA_PLATFORM"] = "offscreen";
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await standardOutput, await standardOutput + await standardError);
    }
}
