#!/usr/bin/env bash
# The single test command for OutboundVault.
#
#   ./scripts/test.sh
#
# 1. Makes sure the tools exist: PostgreSQL server binaries (initdb, pg_ctl), Node.js >= 18 with npm,
#    and Chromium (/usr/bin/chromium, for the hosted-page browser tests). Missing ones are installed
#    with apt-get (as root, or through passwordless sudo).
# 2. Builds OutboundVault.sln in Release, and fails when the EF model has changes without a migration.
# 3. Starts a throwaway PostgreSQL cluster on 127.0.0.1 at a free port (trust auth, fsync off) and
#    exports OUTBOUNDVAULT_TEST_PG, the admin connection string the integration tests create their
#    own databases from. The cluster is stopped and its directory removed when this script exits,
#    whether it passed or failed.
# 4. Runs the .NET tests (unit + integration on SQLite and PostgreSQL).
# 5. Runs the SDK compatibility suite (tests/sdk-compat/run.sh): the official @descope/node-sdk
#    against the built server.
#
# Exits non-zero when anything fails. There are deliberately no switches to skip a part.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Leave no MSBuild worker nodes or compiler server running after the script (no measurable cost here).
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
export DEBIAN_FRONTEND=noninteractive

log() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

SCRIPT_START=$SECONDS
RESULTS_DIR="$ROOT/artifacts/test-results"
PG_TMP=""
PG_BIN=""
PG_RUN=()
SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo -n); fi

# ---------------------------------------------------------------------------------------------
# Cleanup: always stop the cluster and remove its directory.
# ---------------------------------------------------------------------------------------------
POLICY_GUARD=0

cleanup() {
  local rc=$? pid
  if [[ -n "$PG_TMP" && -d "$PG_TMP" ]]; then
    if [[ -f "$PG_TMP/data/postmaster.pid" ]]; then
      pid="$(head -n1 "$PG_TMP/data/postmaster.pid" 2>/dev/null || true)"
      if ! "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
        echo "warning: pg_ctl stop failed; killing postmaster $pid" >&2
        if [[ "$pid" =~ ^[0-9]+$ ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
      fi
    fi
    rm -rf "$PG_TMP"
  fi
  if [[ $POLICY_GUARD -eq 1 ]]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d || true; fi
  return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Installing with apt-get when something is missing.
# ---------------------------------------------------------------------------------------------
APT_UPDATED=0

apt_install() {
  command -v apt-get >/dev/null || die "need to install $*, but apt-get is not available"
  if [[ ${#SUDO[@]} -gt 0 ]] && ! sudo -n true 2>/dev/null; then
    die "need to install $* with apt-get, but not root and passwordless sudo is unavailable"
  fi
  # apt's output goes to a file, printed only when it fails (a Node install is ~2000 lines).
  local aptlog rc=0
  aptlog="$(mktemp "${TMPDIR:-/tmp}/outboundvault-apt.XXXXXX")"
  if [[ $APT_UPDATED -eq 0 ]]; then
    "${SUDO[@]}" apt-get update -q >"$aptlog" 2>&1 || { cat "$aptlog" >&2; rm -f "$aptlog"; die "apt-get update failed"; }
    APT_UPDATED=1
  fi
  # Keep package maintainer scripts from starting services (e.g. Debian's postgresql package
  # creating and starting a default cluster): this script starts what it needs and nothing else.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    POLICY_GUARD=1
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod 755 /usr/sbin/policy-rc.d
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
    >>"$aptlog" 2>&1 || rc=$?
  if [[ $POLICY_GUARD -eq 1 ]]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; POLICY_GUARD=0; fi
  if [[ $rc -ne 0 ]]; then
    cat "$aptlog" >&2
    rm -f "$aptlog"
    die "apt-get install $* failed (exit $rc)"
  fi
  echo "apt-get installed $* ($(grep -c '^Setting up ' "$aptlog" || true) packages set up)"
  rm -f "$aptlog"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL server binaries. pg_config may come from libpq-dev without the server, so look for
# initdb and pg_ctl themselves.
# ---------------------------------------------------------------------------------------------
has_pg_server() { [[ -n "$1" && -x "$1/initdb" && -x "$1/pg_ctl" ]]; }

find_pg_bin() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if has_pg_server "$dir"; then echo "$dir"; return 0; fi
  fi
  if command -v initdb >/dev/null 2>&1; then
    dir="$(dirname "$(readlink -f "$(command -v initdb)")")"
    if has_pg_server "$dir"; then echo "$dir"; return 0; fi
  fi
  # Newest installed major version first.
  while IFS= read -r dir; do
    if has_pg_server "$dir"; then echo "$dir"; return 0; fi
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -V -r)
  return 1
}

ensure_postgres() {
  local t=$SECONDS
  if ! PG_BIN="$(find_pg_bin)"; then
    log "PostgreSQL server binaries not found: installing with apt-get"
    apt_install postgresql
    PG_BIN="$(find_pg_bin)" || die "postgresql installed, but initdb/pg_ctl still not found"
  fi
  echo "PostgreSQL: $PG_BIN ($("$PG_BIN/initdb" --version)) [$((SECONDS - t)) s]"
}

# ---------------------------------------------------------------------------------------------
# Node.js >= 18 and npm (for the SDK compatibility suite).
# ---------------------------------------------------------------------------------------------
node_ok() {
  command -v node >/dev/null 2>&1 \
    && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' 2>/dev/null
}

ensure_node() {
  local t=$SECONDS pkgs=()
  node_ok || pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
  if [[ ${#pkgs[@]} -gt 0 ]]; then
    log "Installing ${pkgs[*]} with apt-get"
    apt_install "${pkgs[@]}"
    hash -r
  fi
  node_ok || die "Node.js >= 18 is required; found: $(node --version 2>/dev/null || echo none)"
  command -v npm >/dev/null 2>&1 || die "npm is required but was not found after installing"
  echo "Node.js: $(node --version), npm $(npm --version 2>/dev/null) [$((SECONDS - t)) s]"
}

# ---------------------------------------------------------------------------------------------
# Chromium for tests/sdk-compat/hosted-pages.test.mjs (driven by playwright-core, which downloads no
# browser of its own). Debian's package: about 124 MB to download, 25 packages.
# ---------------------------------------------------------------------------------------------
CHROMIUM=/usr/bin/chromium

ensure_chromium() {
  local t=$SECONDS
  if [[ ! -x "$CHROMIUM" ]]; then
    log "Chromium not found: installing with apt-get"
    apt_install chromium
  fi
  [[ -x "$CHROMIUM" ]] || die "chromium installed, but $CHROMIUM is missing"
  # The launcher script complains on stderr about its own memory check; the version is on stdout.
  echo "Chromium: $("$CHROMIUM" --version 2>/dev/null) [$((SECONDS - t)) s]"
}

# ---------------------------------------------------------------------------------------------
# The throwaway cluster.
# ---------------------------------------------------------------------------------------------
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

start_postgres() {
  local t=$SECONDS port
  PG_TMP="$(mktemp -d "${TMPDIR:-/tmp}/outboundvault-pg.XXXXXX")"
  mkdir "$PG_TMP/data"
  chmod 700 "$PG_TMP" "$PG_TMP/data"
  if [[ $(id -u) -eq 0 ]]; then
    # initdb and pg_ctl refuse to run as root.
    id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' user to run the cluster as"
    chown -R postgres:postgres "$PG_TMP"
    PG_RUN=(runuser -u postgres --)
  else
    PG_RUN=()
  fi
  port="$(free_port)"

  if ! "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres -A trust --no-sync \
      -E UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1; then
    cat "$PG_TMP/initdb.log" >&2
    die "initdb failed"
  fi
  if ! "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 30 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_TMP \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null; then
    cat "$PG_TMP/server.log" >&2 || true
    die "PostgreSQL did not start"
  fi
  export OUTBOUNDVAULT_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL cluster: 127.0.0.1:$port in $PG_TMP [$((SECONDS - t)) s]"
  echo "OUTBOUNDVAULT_TEST_PG=$OUTBOUNDVAULT_TEST_PG"
}

# ---------------------------------------------------------------------------------------------
# Counting results for the closing summary.
# ---------------------------------------------------------------------------------------------
DOTNET_PASSED=0 DOTNET_FAILED=0 DOTNET_SKIPPED=0
NODE_PASSED=0 NODE_FAILED=0 NODE_SKIPPED=0

count_trx() {
  local f counters attr v
  for f in "$RESULTS_DIR"/*.trx; do
    [[ -f "$f" ]] || continue
    counters="$(grep -o '<Counters [^>]*>' "$f" | head -n1 || true)"
    for attr in passed failed error timeout aborted notExecuted; do
      v="$(sed -n "s/.* $attr=\"\([0-9]*\)\".*/\1/p" <<<"$counters")"
      v="${v:-0}"
      case "$attr" in
        passed) DOTNET_PASSED=$((DOTNET_PASSED + v)) ;;
        notExecuted) DOTNET_SKIPPED=$((DOTNET_SKIPPED + v)) ;;
        *) DOTNET_FAILED=$((DOTNET_FAILED + v)) ;;
      esac
    done
  done
}

tap_count() { # FILE NAME -> the number on the last "# NAME N" line of a TAP file, or 0
  local v
  v="$(sed -n "s/^# $2 \([0-9]*\)\$/\1/p" "$1" | tail -n1)"
  echo "${v:-0}"
}

count_tap() {
  local f="$1"
  [[ -f "$f" ]] || return 0
  NODE_PASSED=$(tap_count "$f" pass)
  NODE_FAILED=$(( $(tap_count "$f" fail) + $(tap_count "$f" cancelled) ))
  NODE_SKIPPED=$(( $(tap_count "$f" skipped) + $(tap_count "$f" todo) ))
}

# ---------------------------------------------------------------------------------------------
# Run.
# ---------------------------------------------------------------------------------------------
log "Checking tools"
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"
echo ".NET SDK: $(dotnet --version)"
ensure_node
ensure_postgres
ensure_chromium

log "Building OutboundVault.sln (Release)"
t=$SECONDS
dotnet build OutboundVault.sln -c Release -nodeReuse:false -p:UseSharedCompilation=false
echo "build: $((SECONDS - t)) s"

log "Checking that the EF model has no changes without a migration (SQLite and PostgreSQL)"
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations has-pending-model-changes --project src/OutboundVault.Api --context "${provider}VaultDbContext" \
    --configuration Release --no-build
done

log "Starting a throwaway PostgreSQL cluster"
start_postgres

log "Running .NET tests"
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
t=$SECONDS
dotnet_rc=0
dotnet test OutboundVault.sln -c Release --no-build \
  --logger "console;verbosity=normal" --logger trx --results-directory "$RESULTS_DIR" || dotnet_rc=$?
count_trx
echo ".NET tests: exit $dotnet_rc, $DOTNET_PASSED passed, $DOTNET_FAILED failed, $DOTNET_SKIPPED skipped [$((SECONDS - t)) s]"

log "Running the SDK compatibility suite (@descope/node-sdk)"
t=$SECONDS
sdk_rc=0
SDK_COMPAT_TAP_OUT="$RESULTS_DIR/sdk-compat.tap" tests/sdk-compat/run.sh || sdk_rc=$?
count_tap "$RESULTS_DIR/sdk-compat.tap"
echo "SDK compatibility: exit $sdk_rc, $NODE_PASSED passed, $NODE_FAILED failed, $NODE_SKIPPED skipped [$((SECONDS - t)) s]"

passed=$((DOTNET_PASSED + NODE_PASSED))
failed=$((DOTNET_FAILED + NODE_FAILED))
skipped=$((DOTNET_SKIPPED + NODE_SKIPPED))
echo
echo ".NET tests:        $([[ $dotnet_rc -eq 0 ]] && echo ok || echo "FAILED (exit $dotnet_rc)")"
echo "SDK compatibility: $([[ $sdk_rc -eq 0 ]] && echo ok || echo "FAILED (exit $sdk_rc)")"
echo "Time: $((SECONDS - SCRIPT_START)) s"
echo "Total: $passed passed, $failed failed, $skipped skipped"
if [[ $dotnet_rc -ne 0 || $sdk_rc -ne 0 ]]; then
  echo "TESTS FAILED"
  exit 1
fi
if [[ $passed -eq 0 ]]; then
  echo "TESTS FAILED: no test ran"
  exit 1
fi
echo "ALL TESTS PASSED"
