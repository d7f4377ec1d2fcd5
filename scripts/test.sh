#!/usr/bin/env bash
# The single test command for OutboundVault:
#
#   ./scripts/test.sh
#
# Installs what is missing (bootstrap.sh), builds the solution in Release, checks the house style and that the
# EF model has no changes without a migration, runs every .NET test against a throwaway PostgreSQL cluster
# (with-postgres.sh) and the SDK compatibility suite (tests/sdk-compat/run.sh), and exits non-zero when anything
# fails or any test was skipped: a skip here means missing setup, never a pass. README's "Tests" says how to
# run a part.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/common.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Leave no MSBuild worker nodes or compiler server running after the script (no measurable cost here).
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

START=$SECONDS
RESULTS_DIR="$ROOT/artifacts/test-results"

# counter FILE ATTRIBUTE: one attribute of a TRX file's <Counters> element, or 0.
counter() { grep -o '<Counters [^>]*>' "$1" | head -n1 | sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p" | grep . || echo 0; }
# tap_count FILE NAME: the number on the last "# NAME N" line of a TAP file, or 0.
tap_count() { sed -n "s/^# $2 \([0-9]*\)\$/\1/p" "$1" | tail -n1 | grep . || echo 0; }

log "Checking tools"
scripts/bootstrap.sh

log "Building OutboundVault.sln (Release)"
t=$SECONDS
dotnet build OutboundVault.sln -c Release -nodeReuse:false -p:UseSharedCompilation=false
echo "build: $((SECONDS - t)) s"

log "Checking the house style (dotnet format --verify-no-changes)"
dotnet format OutboundVault.sln --verify-no-changes --no-restore

log "Checking that the EF model has no changes without a migration (SQLite and PostgreSQL)"
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations has-pending-model-changes --project src/OutboundVault.Api --context "${provider}VaultDbContext" \
    --configuration Release --no-build
done

log "Running .NET tests (SQLite and a throwaway PostgreSQL cluster)"
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
t=$SECONDS
dotnet_rc=0
scripts/with-postgres.sh dotnet test OutboundVault.sln -c Release --no-build \
  --logger "console;verbosity=normal" --logger trx --results-directory "$RESULTS_DIR" || dotnet_rc=$?
dotnet_passed=0 dotnet_failed=0 dotnet_skipped=0
for trx in "$RESULTS_DIR"/*.trx; do
  [[ -f "$trx" ]] || continue
  dotnet_passed=$((dotnet_passed + $(counter "$trx" passed)))
  dotnet_skipped=$((dotnet_skipped + $(counter "$trx" notExecuted)))
  for attr in failed error timeout aborted; do dotnet_failed=$((dotnet_failed + $(counter "$trx" "$attr"))); done
done
echo ".NET tests: exit $dotnet_rc, $dotnet_passed passed, $dotnet_failed failed, $dotnet_skipped skipped [$((SECONDS - t)) s]"

log "Running the SDK compatibility suite (@descope/node-sdk and Chromium)"
t=$SECONDS
sdk_rc=0
SDK_COMPAT_TAP_OUT="$RESULTS_DIR/sdk-compat.tap" tests/sdk-compat/run.sh || sdk_rc=$?
tap="$RESULTS_DIR/sdk-compat.tap"
node_passed=0 node_failed=0 node_skipped=0
if [[ -f "$tap" ]]; then
  node_passed=$(tap_count "$tap" pass)
  node_failed=$(( $(tap_count "$tap" fail) + $(tap_count "$tap" cancelled) ))
  node_skipped=$(( $(tap_count "$tap" skipped) + $(tap_count "$tap" todo) ))
fi
echo "SDK compatibility: exit $sdk_rc, $node_passed passed, $node_failed failed, $node_skipped skipped [$((SECONDS - t)) s]"

skipped=$((dotnet_skipped + node_skipped))
echo
echo ".NET tests:        $([[ $dotnet_rc -eq 0 ]] && echo ok || echo "FAILED (exit $dotnet_rc)")"
echo "SDK compatibility: $([[ $sdk_rc -eq 0 ]] && echo ok || echo "FAILED (exit $sdk_rc)")"
echo "Time: $((SECONDS - START)) s"
echo "Total: $((dotnet_passed + node_passed)) passed, $((dotnet_failed + node_failed)) failed, $skipped skipped"
if [[ $dotnet_rc -ne 0 || $sdk_rc -ne 0 ]]; then
  echo "TESTS FAILED"
  exit 1
fi
if [[ $((dotnet_passed + node_passed)) -eq 0 ]]; then
  echo "TESTS FAILED: no test ran"
  exit 1
fi
if [[ $skipped -gt 0 ]]; then
  echo "TESTS SKIPPED: $skipped tests did not run, so this run proves nothing about them"
  exit 1
fi
echo "ALL TESTS PASSED"
