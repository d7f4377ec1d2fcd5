#!/usr/bin/env bash
# Start-up and idle memory on the embedded default: how long `dotnet OutboundVault.Api.dll` takes from exec to
# GET /health/ready answering 200 on SQLite, first on a new data directory (it migrates and generates its keys)
# and then on the same directory again, and the process's RSS after it has idled; for the published server
# (ReadyToRun, what the container runs) and for the plain build output. Method and results: ../README.md,
# "Start-up and idle memory".
#
#   bench/startup/run.sh            # BENCH_RUNS starts of each kind (5), BENCH_IDLE_SECONDS of idling (10)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${BENCH_RUNS:-5}"
IDLE="${BENCH_IDLE_SECONDS:-10}"
BUILD_DIR="$ROOT/src/OutboundVault.Api/bin/Release/net10.0"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
TMP="$(mktemp -d "${TMPDIR:-/tmp}/outboundvault-startup.XXXXXX")"
RESULTS="$TMP/results.jsonl"
PID=""
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

built="$(dotnet build "$ROOT/src/OutboundVault.Api" -c Release -nologo 2>&1)" || { tail -n 20 <<<"$built" >&2; exit 1; }
built="$(dotnet publish "$ROOT/src/OutboundVault.Api" -c Release -nologo -p:UseAppHost=false -o "$TMP/published" 2>&1)" || { tail -n 20 <<<"$built" >&2; exit 1; }
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')"
url="http://127.0.0.1:$port"

# start OUTPUT KIND DIRECTORY: one start from / (as a service manager starts it); prints its JSON line and leaves
# the process running as $PID (so not in a pipe).
start() {
  local output=$1 kind=$2 dir=$3 bin t0 t1
  bin="$( [[ $output == published ]] && echo "$TMP/published" || echo "$BUILD_DIR")"
  t0=$(date +%s%N)
  (cd /; exec env DataDirectory="$dir" dotnet "$bin/OutboundVault.Api.dll" --urls "$url") >"$TMP/server.log" 2>&1 &
  PID=$!
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready")" == 200 ]]; do
    kill -0 "$PID" 2>/dev/null || { cat "$TMP/server.log" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  echo "{\"output\":\"$output\",\"kind\":\"$kind\",\"ready_ms\":$(( (t1 - t0) / 1000000 )),\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}"
}
stop() { kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

for output in published build; do
  for i in $(seq 1 "$RUNS"); do
    dir="$TMP/data-$output-$i"
    start "$output" new "$dir" >>"$RESULTS"; tail -n1 "$RESULTS"; stop
    start "$output" existing "$dir" >>"$RESULTS"; tail -n1 "$RESULTS"
    if [[ $i -eq 1 ]]; then
      sleep "$IDLE"
      echo "{\"output\":\"$output\",\"kind\":\"idle\",\"seconds\":$IDLE,\"rss_mb\":$(awk '$1 == "VmRSS:" {printf "%.0f", $2 / 1024}' "/proc/$PID/status"),\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" | tee -a "$RESULTS"
    fi
    stop
  done
done
node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const output of ["published", "build"]) {
    for (const kind of ["new", "existing"]) {
      const ms = rows.filter((r) => r.output === output && r.kind === kind).map((r) => r.ready_ms);
      console.log(`${output}, ${kind} data directory: median ${median([...ms])} ms to ready (runs: ${ms.join(", ")} ms); target < 2000 ms`);
    }
    const idle = rows.find((r) => r.output === output && r.kind === "idle");
    console.log(`${output}: idle RSS after ${idle.seconds} s: ${idle.rss_mb} MB`);
  }' "$RESULTS"
OUT="${BENCH_RESULTS:-$ROOT/bench/startup/results/$(date -u +%Y%m%dT%H%M%SZ).jsonl}"
mkdir -p "$(dirname "$OUT")" && cp "$RESULTS" "$OUT"
echo "Raw results: $OUT"
