using System.Diagnostics;
using System.Text.Json;
using RadioGateway.Testing;
using RadioGateway.Tests.EndToEnd;

namespace RadioGateway.Tests.Install;

/// <summary>
/// install.ps1 under PowerShell 7 (the repository's local .NET tool, <c>dotnet tool run pwsh</c>) into a staging root:
/// every file it writes lands under the root, and the commands that would change the machine are written down, not run.
/// Binaries come from a small stand-in folder (-BinariesFrom), so no test publishes.
/// </summary>
public sealed class InstallScriptTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("radiogw-install-").FullName;

    public InstallScriptTests()
    {
        Binaries = Path.Combine(_directory, "build");
        Directory.CreateDirectory(Binaries);
        File.WriteAllText(Path.Combine(Binaries, "radiogw.dll"), "build 1");
        File.WriteAllText(Path.Combine(Binaries, "radiogw"), "#!/bin/sh\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(Binaries, "radiogw"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Root = Path.Combine(_directory, "root");
    }

    private string Binaries { get; }

    private string Root { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Staged(string path) => Path.Combine(Root, path.TrimStart('/'));

    private string[] Commands() => File.ReadAllLines(Path.Combine(Root, "install-commands.txt"));

    [Fact]
    public async Task Install_stages_binaries_settings_and_a_least_privilege_notify_unit_that_systemd_analyze_verifies()
    {
        var result = await RunAsync("-GatewayId", "tehran-1", "-SerialPort", "/dev/ttyACM0", "-ChannelProfile", "/srv/radiogw/plans/tehran.json", "-Broker", "mqtts://central.example:8883");

        Assert.True(result.ExitCode == 0, result.Output);
        var files = Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Select(f => "/" + Path.GetRelativePath(Root, f)).ToHashSet();
        Assert.Contains("/opt/radiogw/radiogw", files);
        Assert.Contains("/opt/radiogw/radiogw.dll", files);
        Assert.Contains("/opt/radiogw/hardware-profiles/simulator.json", files);
        Assert.Contains("/etc/radiogw/radiogw.json", files);
        Assert.Contains("/etc/systemd/system/RadioGateway.service", files);
        Assert.True(Directory.Exists(Staged("/var/lib/radiogw")));
        // Nothing outside the install folder, the settings, the unit and the command record.
        Assert.All(files, f => Assert.True(
            f.StartsWith("/opt/radiogw/", StringComparison.Ordinal) || f is "/etc/radiogw/radiogw.json" or "/etc/systemd/system/RadioGateway.service" or "/install-commands.txt", f));

        using (var settings = JsonDocument.Parse(File.ReadAllText(Staged("/etc/radiogw/radiogw.json"))))
        {
            var root = settings.RootElement;
            Assert.Equal("tehran-1", root.GetProperty("Gateway").GetProperty("Id").GetString());
            Assert.Equal("/var/lib/radiogw", root.GetProperty("Gateway").GetProperty("DataDirectory").GetString());
            Assert.Equal("mqtts://central.example:8883", root.GetProperty("Mqtt").GetProperty("Broker").GetString());
            var radio = root.GetProperty("Radios")[0];
            Assert.Equal("/opt/radiogw/hardware-profiles/simulator.json", radio.GetProperty("Profile").GetString());
            Assert.Equal("/dev/ttyACM0", radio.GetProperty("Port").GetString());
            // An absolute channel profile path is used as given (it used to be glued onto the install folder).
            Assert.Equal("/srv/radiogw/plans/tehran.json", radio.GetProperty("ChannelProfile").GetString());
        }

        var unit = File.ReadAllLines(Staged("/etc/systemd/system/RadioGateway.service"));
        string[] expected =
        [
            "Type=notify", "ExecStart=/opt/radiogw/radiogw run --config /etc/radiogw/radiogw.json",
            "User=radiogw", "Group=radiogw", "SupplementaryGroups=dialout audio", "WatchdogSec=60s",
            "NoNewPrivileges=yes", "CapabilityBoundingSet=", "AmbientCapabilities=", "ProtectSystem=strict", "ReadWritePaths=/var/lib/radiogw",
            "PrivateTmp=yes", "ProtectHome=yes", "DevicePolicy=closed",
            "DeviceAllow=char-ttyS rw", "DeviceAllow=char-ttyUSB rw", "DeviceAllow=char-ttyACM rw", "DeviceAllow=char-alsa rw",
        ];
        Assert.All(expected, line => Assert.Contains(line, unit));
        Assert.DoesNotContain(unit, l => l.StartsWith("User=root", StringComparison.Ordinal));

        Assert.Equal(
        [
            "/opt/radiogw/radiogw profile validate /opt/radiogw/hardware-profiles/simulator.json /srv/radiogw/plans/tehran.json",
            "sh -c \"id -u radiogw >/dev/null 2>&1 || useradd --system --user-group --home-dir /var/lib/radiogw --no-create-home --shell /usr/sbin/nologin radiogw\"",
            "usermod --append --groups dialout,audio radiogw",
            "chown -R radiogw:radiogw /var/lib/radiogw",
            "chmod 0750 /var/lib/radiogw",
            "chown root:radiogw /etc/radiogw/radiogw.json",
            "chmod 0640 /etc/radiogw/radiogw.json",
            "systemctl daemon-reload",
            "systemctl enable RadioGateway.service",
            "systemctl restart RadioGateway.service",
        ], Commands());

        // systemd checks the unit as written, with ExecStart pointing at the staged binary (the real path is not on this machine).
        var analyze = ExternalTool.Require("systemd-analyze", "systemd");
        var verifiable = Path.Combine(_directory, "RadioGateway.service");
        File.WriteAllLines(verifiable, unit.Select(l => l.Replace("ExecStart=/opt/radiogw/radiogw", $"ExecStart={Staged("/opt/radiogw/radiogw")}", StringComparison.Ordinal)));
        var verify = await RunProgramAsync(analyze, ["verify", verifiable]);
        Assert.True(verify.ExitCode == 0 && verify.Output.Trim().Length == 0, $"systemd-analyze verify: exit {verify.ExitCode}\n{verify.Output}");
    }

    [Fact]
    public async Task Upgrade_replaces_the_binaries_keeps_edited_settings_and_data_and_restarts_the_service()
    {
        Assert.Equal(0, (await RunAsync("-GatewayId", "tehran-1")).ExitCode);
        const string Edited = """{ "Gateway": { "Id": "tehran-1", "DataDirectory": "/var/lib/radiogw" }, "Mqtt": { "Broker": "mqtt://127.0.0.1:1883" } }""";
        File.WriteAllText(Staged("/etc/radiogw/radiogw.json"), Edited);
        File.WriteAllText(Staged("/var/lib/radiogw/radiogw.db"), "journal");
        File.WriteAllText(Path.Combine(Binaries, "radiogw.dll"), "build 2");
        File.Delete(Path.Combine(Root, "install-commands.txt"));

        var upgrade = await RunAsync(); // no -GatewayId: the settings are there

        Assert.True(upgrade.ExitCode == 0, upgrade.Output);
        Assert.Contains("Upgrading RadioGateway", upgrade.Output, StringComparison.Ordinal);
        Assert.Equal(Edited, File.ReadAllText(Staged("/etc/radiogw/radiogw.json")));
        Assert.Equal("journal", File.ReadAllText(Staged("/var/lib/radiogw/radiogw.db")));
        Assert.Equal("build 2", File.ReadAllText(Staged("/opt/radiogw/radiogw.dll")));
        var commands = Commands();
        Assert.Equal("systemctl stop RadioGateway.service", commands[0]);
        Assert.Equal("systemctl restart RadioGateway.service", commands[^1]);
    }

    [Fact]
    public async Task Uninstall_removes_the_service_and_binaries_and_keeps_settings_and_data_unless_asked()
    {
        Assert.Equal(0, (await RunAsync("-GatewayId", "tehran-1")).ExitCode);
        File.WriteAllText(Staged("/var/lib/radiogw/radiogw.db"), "journal");
        File.Delete(Path.Combine(Root, "install-commands.txt"));

        var uninstall = await RunAsync("-Uninstall");

        Assert.True(uninstall.ExitCode == 0, uninstall.Output);
        Assert.False(File.Exists(Staged("/etc/systemd/system/RadioGateway.service")));
        Assert.False(Directory.Exists(Staged("/opt/radiogw")));
        Assert.True(File.Exists(Staged("/etc/radiogw/radiogw.json")));
        Assert.Equal("journal", File.ReadAllText(Staged("/var/lib/radiogw/radiogw.db")));
        Assert.Equal(["systemctl disable --now RadioGateway.service", "systemctl daemon-reload"], Commands());

        var purge = await RunAsync("-Uninstall", "-RemoveData");

        Assert.True(purge.ExitCode == 0, purge.Output);
        Assert.False(Directory.Exists(Staged("/var/lib/radiogw")));
        Assert.False(Directory.Exists(Staged("/etc/radiogw")));
        Assert.Contains("userdel radiogw", Commands());
    }

    [Fact]
    public async Task WhatIf_writes_nothing_and_runs_nothing()
    {
        var result = await RunAsync("-GatewayId", "tehran-1", "-WhatIf");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("What if: Performing the operation \"Run\" on target \"systemctl restart RadioGateway.service\"", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Root), "-WhatIf created the staging root");
    }

    [Fact]
    public async Task The_Windows_plan_uses_a_virtual_account_with_rights_on_the_data_folder_recovery_actions_and_an_event_source()
    {
        var result = await RunAsync("-GatewayId", "mashhad-2", "-TargetOS", "Windows", "-SerialPort", "COM3");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(File.Exists(Path.Combine(Root, "Program Files", "RadioGateway", "radiogw.dll")));
        using (var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "ProgramData", "RadioGateway", "radiogw.json"))))
        {
            Assert.Equal(@"C:\Program Files\RadioGateway\hardware-profiles\simulator.json", settings.RootElement.GetProperty("Radios")[0].GetProperty("Profile").GetString());
        }

        var commands = Commands();
        Assert.Contains("""sc.exe create RadioGateway binPath= "\"C:\Program Files\RadioGateway\radiogw.exe\" run --config \"C:\ProgramData\RadioGateway\radiogw.json\"" start= delayed-auto obj= "NT SERVICE\RadioGateway" DisplayName= "RadioGateway (DMR to MQTT)" """.TrimEnd(), commands);
        Assert.Contains("sc.exe failure RadioGateway reset= 86400 actions= restart/5000/restart/5000/restart/30000", commands);
        Assert.Contains("""icacls C:\ProgramData\RadioGateway /grant "NT SERVICE\RadioGateway:(OI)(CI)M" /T""", commands);
        Assert.Contains(commands, c => c.Contains("CreateEventSource('RadioGateway', 'Application')", StringComparison.Ordinal));
        Assert.Equal("sc.exe start RadioGateway", commands[^1]);
    }

    [Fact]
    public async Task SelfContained_needs_a_runtime_that_runs_on_the_target()
    {
        var missing = await RunAsync("-GatewayId", "x", "-SelfContained");
        var wrong = await RunAsync("-GatewayId", "x", "-SelfContained", "-Runtime", "win-x64");

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("-SelfContained needs -Runtime", missing.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("-Runtime win-x64 does not run on Linux", wrong.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public async Task A_native_install_is_upgraded_native_and_NativeAot_compiles_only_for_this_system()
    {
        File.Delete(Path.Combine(Binaries, "radiogw.dll")); // a native build is the program alone
        Assert.Equal(0, (await RunAsync("-GatewayId", "tehran-1")).ExitCode);
        Assert.True(File.Exists(Staged("/opt/radiogw/radiogw")));

        // No -BinariesFrom: the upgrade would publish, and publishes native because native is installed (-WhatIf: only says so).
        var upgrade = await RunProgramAsync(Dotnet(), ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", GatewayProcess.Repository("install.ps1"), "-Root", Root, "-TargetOS", "Linux", "-WhatIf"]);
        Assert.True(upgrade.ExitCode == 0, upgrade.Output);
        Assert.Contains("publishing native again", upgrade.Output, StringComparison.Ordinal);

        var windows = await RunAsync("-GatewayId", "x", "-NativeAot", "-TargetOS", "Windows");
        Assert.NotEqual(0, windows.ExitCode);
        Assert.Contains("-NativeAot compiles for the system it runs on", windows.Output, StringComparison.Ordinal);
        var both = await RunAsync("-GatewayId", "x", "-NativeAot", "-SelfContained", "-Runtime", "linux-x64");
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("-NativeAot is already self-contained", both.Output, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) =>
        RunProgramAsync(Dotnet(), ["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", GatewayProcess.Repository("install.ps1"),
            "-Root", Root, "-BinariesFrom", Binaries, .. arguments.Contains("-TargetOS") ? arguments : ["-TargetOS", "Linux", .. arguments]]);

    private static async Task<(int ExitCode, string Output)> RunProgramAsync(string program, IEnumerable<string> arguments)
    {
        // The repository's dotnet-tools.json names PowerShell 7.6.9; `dotnet tool restore` installs it (.ci/run does).
        using var process = ExternalTool.Start(program, arguments, workingDirectory: GatewayProcess.Repository());
        using var timeout = new CancellationTokenSource(Patience);
        await process.Process.WaitForExitAsync(timeout.Token);
        var output = process.Output;
        if (program == Dotnet() && output.Contains("dotnet tool restore", StringComparison.Ordinal))
        {
            Assert.Fail($"PowerShell 7 (local .NET tool) is not installed: run `dotnet tool restore` in the repository.\n{output}");
        }

        return (process.Process.ExitCode, output);
    }

    private static string Dotnet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : Process.GetCurrentProcess().MainModule!.FileName;
}
