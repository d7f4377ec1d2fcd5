#!/usr/bin/env bash
# Refresh storm benchmark (results: bench/README.md, "Refresh storm").
#
#   bench/refresh/run.sh [--set Refresh__MaxConcurrency=16 ...]
#
# Environment: TOKENS (10000), LATENCY_MS (50), INSTANCES (1: vault server processes over one database),
# KILL_AFTER_SECONDS (none: with INSTANCES >= 2, kill -9 the first instance that far into the storm),
# OUTBOUNDVAULT_BENCH_PG (admin connection string of a PostgreSQL server to use; without it the run happens
# inside a throwaway cluster from scripts/with-postgres.sh).
#
# 1. Builds the solution and the driver in Release.
# 2. Starts the fake provider as its own process on 127.0.0.1 with --latency-ms, seeding TOKENS live
#    refresh tokens (rotating: each refresh kills the old one, so a double refresh shows as invalid_grant).
# 3. The driver (RefreshStorm) creates a database, starts INSTANCES built servers with the worker sweeping
#    every second, seeds TOKENS rows expiring 60-300 s ahead (all inside the 5-minute margin) in one
#    transaction, and waits until every row has been refreshed. It prints and writes result.json, and
#    fails unless provider calls == TOKENS, nothing expired before its refresh, and no invalid_grant.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [[ -z "${OUTBOUNDVAULT_BENCH_PG:-}" && -z "${OUTBOUNDVAULT_PG_DATA:-}" ]]; then exec scripts/with-postgres.sh "$0" "$@"; fi
OUTBOUNDVAULT_BENCH_PG="${OUTBOUNDVAULT_BENCH_PG:-$OUTBOUNDVAULT_TEST_PG}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
TOKENS="${TOKENS:-10000}" LATENCY_MS="${LATENCY_MS:-50}" INSTANCES="${INSTANCES:-1}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/refresh-storm.XXXXXX")"
FAKE_PID=""

cleanup() {
  local rc=$?
  if [[ -n "$FAKE_PID" ]]; then kill "$FAKE_PID" 2>/dev/null || true; wait "$FAKE_PID" 2>/dev/null || true; fi
  echo "work directory (vault logs, result.json): $WORK"
  return "$rc"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(free -g | awk '/Mem:/{print $2}') GB"
echo "load before: $(uptime)"

dotnet build OutboundVault.sln -c Release -nologo -v q -nodeReuse:false   # includes the RefreshStorm driver


FAKE_PORT="$(free_port)"
dotnet tests/OutboundVault.FakeProvider/bin/Release/net10.0/OutboundVault.FakeProvider.dll \
  --urls "http://127.0.0.1:$FAKE_PORT" --latency-ms "$LATENCY_MS" \
  --seed-refresh-tokens "$TOKENS" --seed-file "$WORK/refresh-tokens.txt" >"$WORK/fake.out" 2>&1 &
FAKE_PID=$!
for _ in $(seq 1 300); do [[ -s "$WORK/fake.out" ]] && break; sleep 0.1; done
FAKE_URL="$(head -n1 "$WORK/fake.out")"
[[ "$FAKE_URL" == http://127.0.0.1:* ]] || { cat "$WORK/fake.out" >&2; exit 1; }
echo "fake provider: $FAKE_URL, latency ${LATENCY_MS} ms, $TOKENS refresh tokens; vault instances: $INSTANCES"

rc=0
dotnet bench/refresh/RefreshStorm/bin/Release/net10.0/RefreshStorm.dll \
  --pg-admin "$OUTBOUNDVAULT_BENCH_PG" --api-dll "$ROOT/src/OutboundVault.Api/bin/Release/net10.0/OutboundVault.Api.dll" \
  --fake-url "$FAKE_URL" --tokens-file "$WORK/refresh-tokens.txt" --work-dir "$WORK" --instances "$INSTANCES" \
  ${KILL_AFTER_SECONDS:+--kill-after-seconds "$KILL_AFTER_SECONDS"} \
  --set Refresh__Interval=00:00:01 --set Refresh__Jitter=00:00:00 "$@" || rc=$?
echo "load after: $(uptime)"
exit "$rc"
