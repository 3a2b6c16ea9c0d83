#!/usr/bin/env bash
# Memory soak (issue 13 #6): resident memory (VmRSS) of `radiogw run --simulate` relaying to a real mosquitto, with
# the console on, sampled every 10 s. Two gateways of the same source run side by side on the same machine and broker:
#   measured  — the native build, as `install.ps1 -NativeAot` installs it (dotnet publish -p:PublishAot=true);
#   reference — the JIT build, as `dotnet run` and a framework-dependent install run it (same project settings).
# Both run with DOTNET_GCgen0size set as a CPU reporting a 300 MiB cache makes it (gen0 budget = 4/5 of the cache),
# the machine the issue was measured on; SOAK_GEN0SIZE= (empty) keeps this machine's own cache size.
# At the end it counts what each gateway journaled and what reached the broker, so both are shown to have done the work.
# Needs mosquitto and clang (for the native build); as root it installs them.
#
# Usage: bench/soak-memory.sh [MINUTES]        (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
gen0size=${SOAK_GEN0SIZE-0xF000000}
work=$(mktemp -d /tmp/radiogw-soak.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

source bench/programs.sh
require_programs mosquitto:mosquitto mosquitto_sub:mosquitto-clients python3:python3 clang:clang

# Both run from copies, so a rebuild during the soak does not change the files under a running gateway.
dotnet build -c Release src/RadioGateway -v quiet -nologo >/dev/null
cp -r src/RadioGateway/bin/Release/net10.0 "$work/reference-bin"
echo "publishing the native build (a few minutes)"
dotnet publish -c Release -r linux-x64 -p:PublishAot=true src/RadioGateway -v quiet -nologo -o "$work/measured-bin" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
broker_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$broker_port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
sleep 1
mosquitto_sub -h 127.0.0.1 -p "$broker_port" -q 1 -t 'radiogw/v1/+/events/#' -F '%t' > "$work/received.txt" &

start_gateway() { # name program...
  local name=$1 port
  shift
  port=$(free_port)
  env ${gen0size:+DOTNET_GCgen0size=$gen0size} "$@" run --simulate \
    --Mqtt:Broker="mqtt://127.0.0.1:$broker_port" --Gateway:Id="soak-$name" --Gateway:DataDirectory="$work/$name" \
    --Console:Urls="http://127.0.0.1:$port" > "$work/$name.log" 2>&1 &
  echo $!
}
measured=$(start_gateway measured "$work/measured-bin/radiogw")
reference=$(start_gateway reference dotnet "$work/reference-bin/radiogw.dll")
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

echo "minute  native MB    JIT MB         (samples every 10 s in $work/rss.csv)"
echo "seconds,measured_mb,reference_mb" > "$work/rss.csv"
for ((t = 10; t <= minutes * 60; t += 10)); do
  sleep 10
  echo "$t,$(rss "$measured"),$(rss "$reference")" >> "$work/rss.csv"
  if (( t % 300 == 0 || t == 60 )); then
    printf '%6d  %11s  %12s\n' $((t / 60)) "$(rss "$measured")" "$(rss "$reference")"
  fi
done
kill -TERM "$measured" "$reference"
while kill -0 "$measured" 2>/dev/null || kill -0 "$reference" 2>/dev/null; do sleep 1; done

python3 - "$work" <<'PY'
import csv, sqlite3, statistics, sys, os
work = sys.argv[1]
rows = list(csv.DictReader(open(f"{work}/rss.csv")))
half = rows[len(rows) // 2:]
received = open(f"{work}/received.txt").read().split()
print()
print(f"{'':10} {'min MB':>8} {'median MB':>10} {'max MB':>8} {'slope MB/h':>11} {'journaled':>10} {'at broker':>10}   (second half of the run)")
for name in ("measured", "reference"):
    values = [float(r[f"{name}_mb"]) for r in half]
    seconds = [int(r["seconds"]) for r in half]
    n = len(values)
    mean_t, mean_v = sum(seconds) / n, sum(values) / n
    slope = sum((t - mean_t) * (v - mean_v) for t, v in zip(seconds, values)) / max(1, sum((t - mean_t) ** 2 for t in seconds)) * 3600
    db = sqlite3.connect(f"file:{work}/{name}/radiogw.db?mode=ro", uri=True)
    journaled = db.execute("select count(*) from events").fetchone()[0]
    at_broker = sum(1 for topic in received if topic.split("/")[2] == f"soak-{name}")
    print(f"{name:10} {min(values):8.1f} {statistics.median(values):10.1f} {max(values):8.1f} {slope:11.1f} {journaled:10d} {at_broker:10d}")
m = statistics.median(float(r["measured_mb"]) for r in half)
r = statistics.median(float(r["reference_mb"]) for r in half)
print(f"\nmedian ratio native/JIT (measured/reference): {m / r:.2f}   (raw samples: {work}/rss.csv)")
PY
