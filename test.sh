#!/usr/bin/env bash
# Runs every test. The tests drive real programs: mosquitto, mosquitto_pub/_sub, socat, openssl, headless chromium
# with chromedriver (console), direwolf and gen_packets (APRS), rigctld (Hamlib CAT), espeak-ng, opusdec, sox (audio),
# systemd-analyze (the installed unit), qdmr's dmrconf and dmrconfig (codeplug exports), ip from iproute2 (a control
# station unplugged), clang (the Native AOT build), and PowerShell 7 as a local .NET tool (install.ps1). As root this installs whichever is missing
# from Debian first, otherwise it names what to install.
set -euo pipefail
cd "$(dirname "$0")"

packages=()
for pair in mosquitto:mosquitto mosquitto_sub:mosquitto-clients mosquitto_pub:mosquitto-clients socat:socat openssl:openssl chromium:chromium chromedriver:chromium-driver \
  direwolf:direwolf gen_packets:direwolf rigctld:libhamlib-utils espeak-ng:espeak-ng opusdec:opus-tools sox:sox \
  systemd-analyze:systemd dmrconf:qdmr dmrconfig:dmrconfig ip:iproute2 clang:clang; do
  tool=${pair%%:*}
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || packages+=("${pair#*:}")
done
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    echo "test.sh: missing programs; install them with: sudo apt-get install -y ${packages[*]}" >&2
    exit 1
  fi
fi

# PowerShell 7.6.9 (dotnet-tools.json) runs install.ps1 in the install tests.
dotnet tool restore >/dev/null

# The native build (Native AOT) that NativeBuildEndToEndTests drive, published once here (ILC reruns only when an
# input changed).
case "$(uname -m)" in aarch64) runtime=linux-arm64 ;; *) runtime=linux-x64 ;; esac
export RADIOGW_NATIVE_BUILD="$PWD/artifacts/native"
dotnet publish src/RadioGateway/RadioGateway.csproj -c Release -r "$runtime" -p:PublishAot=true -o "$RADIOGW_NATIVE_BUILD" --nologo -v quiet

dotnet test RadioGateway.sln "$@"
