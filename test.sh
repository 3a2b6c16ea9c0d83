#!/usr/bin/env bash
# Runs every test. The tests drive real programs (mosquitto, mosquitto_pub/_sub, socat, openssl, headless chromium
# with chromedriver for the console); as root this
# installs whichever is missing from Debian first, otherwise it names what to install.
set -euo pipefail
cd "$(dirname "$0")"

packages=()
for pair in mosquitto:mosquitto mosquitto_sub:mosquitto-clients mosquitto_pub:mosquitto-clients socat:socat openssl:openssl chromium:chromium chromedriver:chromium-driver; do
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

dotnet test RadioGateway.sln "$@"
