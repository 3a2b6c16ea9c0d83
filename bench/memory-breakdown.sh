#!/usr/bin/env bash
# Where resident memory goes (issue 13 #6): runs `radiogw run --simulate` relaying to its own mosquitto, with the
# console on (CONSOLE=off turns it off), as the JIT build (BUILD=native: the Native AOT build), for SECONDS, then prints VmRSS sampled every 30 s and a breakdown of
# /proc/PID/smaps: managed assemblies, native libraries, the W^X double mapping (JIT code, loader heaps), other
# anonymous memory (GC heap, stacks), malloc, and the 25 largest files.
#
# Usage: bench/memory-breakdown.sh [SECONDS] [ENV=VALUE...]   (default 300; ENV is passed to the gateway, e.g.
#        DOTNET_EnableWriteXorExecute=0 or DOTNET_TieredCompilation=0 to see what a runtime knob changes)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
work=$(mktemp -d /tmp/radiogw-memory.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

source bench/programs.sh
require_programs mosquitto:mosquitto python3:python3
if [[ "${BUILD:-jit}" == native ]]; then
  require_programs clang:clang
  dotnet publish -c Release -r linux-x64 -p:PublishAot=true src/RadioGateway -v quiet -nologo -o "$work/bin" >/dev/null
else
  dotnet build -c Release src/RadioGateway -v quiet -nologo >/dev/null
  cp -r src/RadioGateway/bin/Release/net10.0 "$work/bin"
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
broker_port=$(free_port)
console_url=""
[[ "${CONSOLE:-on}" == off ]] || console_url="http://127.0.0.1:$(free_port)"
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$broker_port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
sleep 1
env "$@" "$work/bin/radiogw" run --simulate --Mqtt:Broker="mqtt://127.0.0.1:$broker_port" --Gateway:Id=memory \
  --Gateway:DataDirectory="$work/data" --Console:Urls="$console_url" > "$work/gateway.log" 2>&1 &
gateway=$!
printf 'VmRSS MB every 30 s:'
for ((t = 30; t <= seconds; t += 30)); do
  sleep 30
  printf ' %s' "$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$gateway/status")"
done
echo
cp "/proc/$gateway/smaps" "$work/smaps"
kill -TERM "$gateway"
python3 - "$work/smaps" <<'PY'
import collections, re, sys
by_kind, by_file, current = collections.Counter(), collections.Counter(), None
for line in open(sys.argv[1]):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        fields = line.split()
        path = fields[5] if len(fields) > 5 else ""
        if path.endswith(".dll"): kind = "managed assemblies"
        elif path.endswith("/radiogw"): kind = "the native program (Native AOT code and data)"
        elif ".so" in path: kind = "native libraries"
        elif "doublemapper" in path: kind = "W^X double mapping (JIT code, loader heaps)"
        elif path == "[heap]": kind = "malloc heap"
        elif path == "": kind = "other anonymous (GC heap, stacks, arenas)"
        else: kind = "other"
        current = (kind, path)
    elif line.startswith("Rss:") and current:
        kb = int(line.split()[1])
        by_kind[current[0]] += kb
        by_file[current[1]] += kb
print(f"resident {sum(by_kind.values()) / 1024:.1f} MB at the end:")
for kind, kb in by_kind.most_common():
    print(f"  {kb / 1024:6.1f} MB  {kind}")
print("largest files:")
for path, kb in [(p, kb) for p, kb in by_file.most_common() if p.startswith("/")][:25]:
    print(f"  {kb / 1024:6.1f} MB  {path}")
PY
echo "(gateway log and smaps in $work)"
