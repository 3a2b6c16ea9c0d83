<#
.SYNOPSIS
  Installs RadioGateway as a service on the base-station PC (Windows service, or systemd unit on Linux).

.DESCRIPTION
  Publishes src/RadioGateway (self-contained is not required: the .NET 10 runtime must be installed),
  copies it to the install folder, creates the data folder, writes a settings file if none exists, and
  registers the service. Run from the repository root in an elevated PowerShell (Windows) or as root
  with PowerShell 7 (Linux).

.EXAMPLE
  ./install.ps1 -GatewayId tehran-1 -SerialPort COM3 -HardwareProfile hardware-profiles/mmdvm-hotspot-simplex.json -ChannelProfile hardware-profiles/channel-plans/hotspot-simplex.json
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [ValidatePattern('^[A-Za-z0-9._-]{1,64}$')] [string] $GatewayId,
    [string] $SerialPort = '',
    [string] $HardwareProfile = 'hardware-profiles/simulator.json',
    [string] $ChannelProfile = '',
    [string] $Broker = '',
    [string] $InstallDir = $(if ($IsWindows -or $env:OS -eq 'Windows_NT') { Join-Path $env:ProgramFiles 'RadioGateway' } else { '/opt/radiogw' }),
    [string] $DataDir = $(if ($IsWindows -or $env:OS -eq 'Windows_NT') { Join-Path $env:ProgramData 'RadioGateway' } else { '/var/lib/radiogw' }),
    [string] $ServiceName = 'RadioGateway'
)
$ErrorActionPreference = 'Stop'
$onWindows = $IsWindows -or $env:OS -eq 'Windows_NT'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { throw 'The .NET 10 SDK is needed to publish (dotnet not found on PATH).' }

Write-Host "Publishing RadioGateway to $InstallDir"
dotnet publish (Join-Path $PSScriptRoot 'src/RadioGateway/RadioGateway.csproj') -c Release -o $InstallDir
if ($LASTEXITCODE -ne 0) { throw "dotnet publish failed ($LASTEXITCODE)" }

New-Item -ItemType Directory -Force -Path $DataDir | Out-Null
$profiles = Join-Path $InstallDir 'hardware-profiles'
Copy-Item -Recurse -Force (Join-Path $PSScriptRoot 'hardware-profiles') $InstallDir

$settingsFile = Join-Path $DataDir 'radiogw.json'
if (-not (Test-Path $settingsFile)) {
    $radio = @{ Profile = (Join-Path $profiles (Split-Path -Leaf $HardwareProfile)) }
    if ($SerialPort) { $radio.Port = $SerialPort }
    if ($ChannelProfile) { $radio.ChannelProfile = (Join-Path $InstallDir $ChannelProfile) }
    $settings = @{
        Gateway = @{ Id = $GatewayId; DataDirectory = $DataDir }
        Mqtt    = @{ Broker = $Broker }
        Radios  = @(, $radio)
    }
    $settings | ConvertTo-Json -Depth 5 | Set-Content -Encoding utf8 $settingsFile
    Write-Host "Wrote $settingsFile (edit it, then restart the service)"
}

$exe = if ($onWindows) { Join-Path $InstallDir 'radiogw.exe' } else { Join-Path $InstallDir 'radiogw' }

# Validate before registering: invalid profiles stop here, before any transmitter could be keyed.
$toValidate = @(Join-Path $profiles (Split-Path -Leaf $HardwareProfile))
if ($ChannelProfile) { $toValidate += (Join-Path $InstallDir $ChannelProfile) }
& $exe profile validate @toValidate
if ($LASTEXITCODE -ne 0) { throw 'A profile is invalid; nothing was installed as a service.' }

if ($onWindows) {
    if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
        Stop-Service -Name $ServiceName -ErrorAction SilentlyContinue
        sc.exe delete $ServiceName | Out-Null
    }
    New-Service -Name $ServiceName -DisplayName 'RadioGateway (DMR to MQTT)' -StartupType Automatic `
        -BinaryPathName "`"$exe`" run --config `"$settingsFile`"" | Out-Null
    sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/5000/restart/30000 | Out-Null
    Start-Service -Name $ServiceName
} else {
    $unit = @"
[Unit]
Description=RadioGateway (DMR to MQTT)
After=network-online.target

[Service]
Type=notify
ExecStart=$exe run --config $settingsFile
Restart=always
RestartSec=5
KillSignal=SIGTERM
TimeoutStopSec=20
SupplementaryGroups=dialout

[Install]
WantedBy=multi-user.target
"@
    Set-Content -Path "/etc/systemd/system/$ServiceName.service" -Value $unit
    systemctl daemon-reload
    systemctl enable --now $ServiceName
}
Write-Host "Installed. Journal: & '$exe' journal calls --config '$settingsFile'"
