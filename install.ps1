<#
.SYNOPSIS
  Installs, upgrades or removes RadioGateway as a service (systemd unit on Linux, Windows service on Windows).

.DESCRIPTION
  Install and upgrade are the same command: binaries are replaced (published from src/RadioGateway, or taken from
  -BinariesFrom), the settings file is written only when there is none, the data folder (journal, logs, console
  accounts) is never touched, and the service is (re)started. -Uninstall removes the service and the binaries and
  keeps settings and data unless -RemoveData is given.

  Linux: a system user 'radiogw' (groups dialout and audio) owns only the data folder; the unit is Type=notify with
  a watchdog and runs with no capabilities, a read-only system, no access to /home, and only serial and sound devices.
  Windows: the service runs as the virtual account 'NT SERVICE\<ServiceName>' with modify rights on the data folder
  only, restarts on failure, and has an event log source.

  -Root DIR stages everything under DIR (a test or a package build): files are written there, and the commands that
  would change the machine (useradd, chown, systemctl, sc.exe, icacls) are not run but written to
  DIR/install-commands.txt and printed. -TargetOS picks which system's plan is made (default: this one).
  -WhatIf writes nothing and runs nothing.
  -NativeAot publishes the gateway as a native program (Native AOT: no JIT, about half the resident memory, see README
  "Memory"); it needs clang on Linux (apt-get install clang) or the Visual Studio C++ build tools on Windows.
  Run as root (Linux, PowerShell 7: `dotnet tool run pwsh ./install.ps1 ...`) or in an elevated PowerShell (Windows).

.EXAMPLE
  ./install.ps1 -GatewayId tehran-1 -SerialPort /dev/ttyACM0 -HardwareProfile hardware-profiles/mmdvm-hotspot-simplex.json -ChannelProfile hardware-profiles/channel-plans/hotspot-simplex.json

.EXAMPLE
  ./install.ps1 -GatewayId mashhad-1 -NativeAot -SerialPort /dev/ttyACM0 -HardwareProfile hardware-profiles/mmdvm-hotspot-simplex.json

.EXAMPLE
  ./install.ps1 -Uninstall
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidatePattern('^[A-Za-z0-9._-]{1,64}$')] [string] $GatewayId,
    [string] $SerialPort = '',
    [string] $HardwareProfile = 'hardware-profiles/simulator.json',
    [string] $ChannelProfile = '',
    [string] $Broker = '',
    [ValidateSet('Linux', 'Windows')] [string] $TargetOS = $(if ($IsWindows -or $env:OS -eq 'Windows_NT') { 'Windows' } else { 'Linux' }),
    [string] $InstallDir = '',
    [string] $DataDir = '',
    [string] $SettingsFile = '',
    [ValidatePattern('^[A-Za-z0-9_-]{1,64}$')] [string] $ServiceName = 'RadioGateway',
    [ValidatePattern('^[a-z_][a-z0-9_-]{0,31}$')] [string] $ServiceUser = 'radiogw',
    [ValidateRange(10, 3600)] [int] $WatchdogSeconds = 60,
    [string] $Root = '',
    [string] $BinariesFrom = '',
    [switch] $SelfContained,
    [ValidateSet('linux-x64', 'linux-arm64', 'win-x64')] [string] $Runtime = '',
    [switch] $NativeAot,
    [switch] $Uninstall,
    [switch] $RemoveData
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$onWindows = $TargetOS -eq 'Windows'

# Defaults per target system (the real paths; -Root only changes where files land).
if (-not $InstallDir) { $InstallDir = if ($onWindows) { 'C:\Program Files\RadioGateway' } else { '/opt/radiogw' } }
if (-not $DataDir) { $DataDir = if ($onWindows) { 'C:\ProgramData\RadioGateway' } else { '/var/lib/radiogw' } }
if (-not $SettingsFile) {
    # Linux: root-owned in /etc, readable by the service's group, so the service cannot rewrite its own settings.
    $SettingsFile = if ($onWindows) { "$DataDir\radiogw.json" } else { '/etc/radiogw/radiogw.json' }
}
$separator = if ($onWindows) { '\' } else { '/' }
function Join-Target([string] $Parent, [string] $Child) { $Parent.TrimEnd('\', '/') + $separator + $Child }
$exe = if ($onWindows) { Join-Target $InstallDir 'radiogw.exe' } else { Join-Target $InstallDir 'radiogw' }
$unitPath = "/etc/systemd/system/$ServiceName.service"
$windowsAccount = "NT SERVICE\$ServiceName"
$staging = $Root -ne ''
$commandLog = if ($staging) { Join-Path $Root 'install-commands.txt' } else { '' }

if ($SelfContained -and -not $Runtime) { throw '-SelfContained needs -Runtime linux-x64, linux-arm64 or win-x64.' }
if ($SelfContained -and $NativeAot) { throw '-NativeAot is already self-contained: give one of the two.' }
if ($Runtime -and -not ($SelfContained -or $NativeAot)) { throw "-Runtime $Runtime is only used with -SelfContained or -NativeAot." }

if ($Runtime -and (($Runtime -eq 'win-x64') -ne $onWindows)) { throw "-Runtime $Runtime does not run on $TargetOS." }

# Where a path of the target system lands on this machine: itself, or under -Root.
function Get-StagedPath([string] $Path) {
    if (-not $staging) { return $Path }
    $relative = $Path -replace '^[A-Za-z]:', '' -replace '\\', '/'
    return Join-Path $Root $relative.TrimStart('/')
}

# A command that changes the machine: run it, or under -Root write it down; -WhatIf only says it.
function Invoke-SystemCommand([string[]] $Command, [switch] $MayFail) {
    $text = ($Command | ForEach-Object { if ($_ -match '[\s"]') { '"' + ($_ -replace '"', '\"') + '"' } else { $_ } }) -join ' '
    if (-not $PSCmdlet.ShouldProcess($text, 'Run')) { return }
    if ($staging) {
        Add-Content -Path $commandLog -Value $text -Encoding utf8
        Write-Host "would run: $text"
        return
    }
    & $Command[0] @($Command | Select-Object -Skip 1)
    if ($LASTEXITCODE -ne 0 -and -not $MayFail) { throw "'$text' failed (exit $LASTEXITCODE)" }
}

function Write-TargetFile([string] $Path, [string] $Text) {
    $staged = Get-StagedPath $Path
    if (-not $PSCmdlet.ShouldProcess($staged, 'Write file')) { return }
    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $staged) | Out-Null
    # LF line ends for systemd and JSON readers alike; UTF-8 without a byte order mark.
    [System.IO.File]::WriteAllText($staged, ($Text -replace "`r`n", "`n"), [System.Text.UTF8Encoding]::new($false))
    Write-Host "wrote $staged"
}

function New-TargetDirectory([string] $Path) {
    $staged = Get-StagedPath $Path
    if ((Test-Path $staged) -or -not $PSCmdlet.ShouldProcess($staged, 'Create directory')) { return }
    New-Item -ItemType Directory -Force -Path $staged | Out-Null
}

function Remove-TargetPath([string] $Path) {
    $staged = Get-StagedPath $Path
    if (-not (Test-Path $staged) -or -not $PSCmdlet.ShouldProcess($staged, 'Remove')) { return }
    Remove-Item -Recurse -Force -Path $staged
    Write-Host "removed $staged"
}

# A profile named relative to the repository is installed under InstallDir; an absolute one is used where it is.
function Resolve-ProfilePath([string] $Path) {
    if ([System.IO.Path]::IsPathRooted($Path) -or $Path -match '^[A-Za-z]:[\\/]') { return $Path }
    return Join-Target $InstallDir (($Path -replace '[\\/]', $separator).TrimStart('.', '\', '/'))
}

function Get-LinuxUnit {
    @"
[Unit]
Description=RadioGateway (DMR to MQTT)
Documentation=file://$InstallDir/README.md
Wants=network-online.target
After=network-online.target

[Service]
Type=notify
NotifyAccess=main
ExecStart=$exe run --config $SettingsFile
User=$ServiceUser
Group=$ServiceUser
SupplementaryGroups=dialout audio
WorkingDirectory=$DataDir
# The gateway pings the watchdog while its radio and journal loops run; silence means restart.
WatchdogSec=$($WatchdogSeconds)s
Restart=always
RestartSec=5
TimeoutStopSec=20
KillSignal=SIGTERM
# Least privilege: no capabilities, nothing to gain, the system read-only except the data directory.
NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
ProtectSystem=strict
ReadWritePaths=$DataDir
PrivateTmp=yes
ProtectHome=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
LockPersonality=yes
UMask=0027
# Devices: serial ports (modems) and sound cards only.
DevicePolicy=closed
DeviceAllow=char-ttyS rw
DeviceAllow=char-ttyUSB rw
DeviceAllow=char-ttyACM rw
DeviceAllow=char-alsa rw

[Install]
WantedBy=multi-user.target
"@
}

function Get-Settings {
    $radio = [ordered]@{ Profile = (Resolve-ProfilePath $HardwareProfile) }
    if ($SerialPort) { $radio.Port = $SerialPort }
    if ($ChannelProfile) { $radio.ChannelProfile = (Resolve-ProfilePath $ChannelProfile) }
    [ordered]@{
        Gateway = [ordered]@{ Id = $GatewayId; DataDirectory = $DataDir }
        Mqtt    = [ordered]@{ Broker = $Broker }
        Radios  = @(, $radio)
    } | ConvertTo-Json -Depth 5
}

function Install-Binaries {
    $target = Get-StagedPath $InstallDir
    if (-not $PSCmdlet.ShouldProcess($target, 'Install binaries')) { return }
    $source = $BinariesFrom
    $published = $null
    if (-not $source) {
        if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { throw 'The .NET 10 SDK is needed to publish (dotnet not found on PATH); or pass -BinariesFrom a published folder.' }
        $published = Join-Path ([System.IO.Path]::GetTempPath()) ("radiogw-publish-" + [Guid]::NewGuid().ToString('N'))
        $arguments = @('publish', (Join-Path $PSScriptRoot 'src/RadioGateway/RadioGateway.csproj'), '-c', 'Release', '-o', $published, '--nologo')
        if ($SelfContained) { $arguments += @('-r', $Runtime, '--self-contained', 'true') }
        if ($NativeAot) { $arguments += @('-r', $Runtime, '-p:PublishAot=true') }
        Write-Host "Publishing RadioGateway$(if ($SelfContained) { " self-contained for $Runtime" } elseif ($NativeAot) { " as a native program for $Runtime (Native AOT)" })"
        & dotnet @arguments
        if ($LASTEXITCODE -ne 0) { throw "dotnet publish failed ($LASTEXITCODE)" }
        $source = $published
    }
    # radiogw.dll beside a framework-dependent or self-contained build; a native build is the program alone.
    if (-not (Test-Path (Join-Path $source 'radiogw.dll')) -and -not (Test-Path (Join-Path $source $(Split-Path -Leaf $exe)))) { throw "No radiogw.dll or $(Split-Path -Leaf $exe) in '$source': not a RadioGateway build." }
    # The old binaries go first, so nothing stale stays beside the new ones.
    if (Test-Path $target) { Get-ChildItem -Force $target | Where-Object Name -ne 'hardware-profiles' | Remove-Item -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $target | Out-Null
    Copy-Item -Recurse -Force -Path (Join-Path $source '*') -Destination $target
    Copy-Item -Recurse -Force -Path (Join-Path $PSScriptRoot 'hardware-profiles') -Destination $target
    Copy-Item -Force -Path (Join-Path $PSScriptRoot 'README.md') -Destination $target
    if ($published) { Remove-Item -Recurse -Force $published }
    Write-Host "installed binaries in $target"
}

$installed = Test-Path (Get-StagedPath $(if ($onWindows) { $exe } else { $unitPath }))
# An upgrade keeps the kind of build installed: a native program (no radiogw.dll beside it) is published native again.
if ($installed -and -not ($Uninstall -or $SelfContained -or $NativeAot -or $BinariesFrom) -and (Test-Path (Get-StagedPath $exe)) -and
    -not (Test-Path (Get-StagedPath (Join-Target $InstallDir 'radiogw.dll')))) {
    $NativeAot = $true
    Write-Host 'the installed gateway is a native build: publishing native again (-NativeAot)'
}
# Native AOT compiles for the system it runs on (no cross-compilation), with its C toolchain (clang on Linux).
if ($NativeAot) {
    $hostRuntime = if ($IsWindows -or $env:OS -eq 'Windows_NT') { 'win-x64' } elseif ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'linux-arm64' } else { 'linux-x64' }
    if (-not $Runtime) { $Runtime = $hostRuntime }
    if ($Runtime -ne $hostRuntime -or (($Runtime -eq 'win-x64') -ne $onWindows)) { throw "-NativeAot compiles for the system it runs on ($hostRuntime): a $TargetOS $Runtime install needs a build made there." }
}

if ($Uninstall) {
    Write-Host "Removing $ServiceName ($TargetOS)"
    if ($onWindows) {
        Invoke-SystemCommand @('sc.exe', 'stop', $ServiceName) -MayFail
        Invoke-SystemCommand @('sc.exe', 'delete', $ServiceName) -MayFail
    } else {
        Invoke-SystemCommand @('systemctl', 'disable', '--now', "$ServiceName.service") -MayFail
        Remove-TargetPath $unitPath
        Invoke-SystemCommand @('systemctl', 'daemon-reload')
    }
    Remove-TargetPath $InstallDir
    if ($RemoveData) {
        Remove-TargetPath $DataDir
        Remove-TargetPath $SettingsFile
        if (-not $onWindows) {
            Remove-TargetPath (Split-Path -Parent $SettingsFile)
            Invoke-SystemCommand @('userdel', $ServiceUser) -MayFail
        }
        Write-Host 'Settings and data removed.'
    } else {
        Write-Host "Kept settings ($SettingsFile) and data ($DataDir): remove them with -Uninstall -RemoveData."
    }
    return
}

if (-not $GatewayId -and -not (Test-Path (Get-StagedPath $SettingsFile))) { throw '-GatewayId is needed for a first install (there is no settings file yet).' }
Write-Host "$(if ($installed) { 'Upgrading' } else { 'Installing' }) $ServiceName ($TargetOS): binaries $InstallDir, settings $SettingsFile, data $DataDir"
if ($installed) {
    # Upgrade in place: stop, replace the binaries, keep settings and data, start again.
    if ($onWindows) { Invoke-SystemCommand @('sc.exe', 'stop', $ServiceName) -MayFail }
    else { Invoke-SystemCommand @('systemctl', 'stop', "$ServiceName.service") -MayFail }
}

Install-Binaries
New-TargetDirectory $DataDir
if (Test-Path (Get-StagedPath $SettingsFile)) {
    Write-Host "kept $(Get-StagedPath $SettingsFile)"
} else {
    Write-TargetFile $SettingsFile (Get-Settings)
}

# Profiles are checked before the service is registered: invalid ones stop here, before any transmitter is keyed.
$toValidate = @(Resolve-ProfilePath $HardwareProfile)
if ($ChannelProfile) { $toValidate += Resolve-ProfilePath $ChannelProfile }
Invoke-SystemCommand (@($exe, 'profile', 'validate') + $toValidate)

if ($onWindows) {
    if (-not $installed) {
        Invoke-SystemCommand @('sc.exe', 'create', $ServiceName, 'binPath=', "`"$exe`" run --config `"$SettingsFile`"", 'start=', 'delayed-auto', 'obj=', $windowsAccount, 'DisplayName=', 'RadioGateway (DMR to MQTT)')
        Invoke-SystemCommand @('sc.exe', 'description', $ServiceName, 'Bridges DMR base stations to the central system over MQTT')
    }
    # Restart after 5 s, 5 s, then 30 s; the failure count resets after a day without failures.
    Invoke-SystemCommand @('sc.exe', 'failure', $ServiceName, 'reset=', '86400', 'actions=', 'restart/5000/restart/5000/restart/30000')
    Invoke-SystemCommand @('sc.exe', 'failureflag', $ServiceName, '1')
    # The virtual account may change the data folder and nothing else of ours; settings stay read-only to it.
    Invoke-SystemCommand @('icacls', $DataDir, '/grant', "${windowsAccount}:(OI)(CI)M", '/T')
    Invoke-SystemCommand @('icacls', $SettingsFile, '/grant', "${windowsAccount}:R")
    $sourceCommand = "if (-not [System.Diagnostics.EventLog]::SourceExists('$ServiceName')) { [System.Diagnostics.EventLog]::CreateEventSource('$ServiceName', 'Application') }"
    Invoke-SystemCommand @('powershell.exe', '-NoProfile', '-Command', $sourceCommand)
    Invoke-SystemCommand @('sc.exe', 'start', $ServiceName)
} else {
    Invoke-SystemCommand @('sh', '-c', "id -u $ServiceUser >/dev/null 2>&1 || useradd --system --user-group --home-dir $DataDir --no-create-home --shell /usr/sbin/nologin $ServiceUser")
    Invoke-SystemCommand @('usermod', '--append', '--groups', 'dialout,audio', $ServiceUser)
    # The service owns its data directory and nothing else; it can read its settings but not change them.
    Invoke-SystemCommand @('chown', '-R', "${ServiceUser}:${ServiceUser}", $DataDir)
    Invoke-SystemCommand @('chmod', '0750', $DataDir)
    Invoke-SystemCommand @('chown', "root:$ServiceUser", $SettingsFile)
    Invoke-SystemCommand @('chmod', '0640', $SettingsFile)
    Write-TargetFile $unitPath (Get-LinuxUnit)
    Invoke-SystemCommand @('systemctl', 'daemon-reload')
    Invoke-SystemCommand @('systemctl', 'enable', "$ServiceName.service")
    Invoke-SystemCommand @('systemctl', 'restart', "$ServiceName.service")
}

Write-Host "Done. Health: $exe status --config $SettingsFile   Journal: $exe journal calls --config $SettingsFile"
