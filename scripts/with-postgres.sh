#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster:
#
#   ./scripts/with-postgres.sh dotnet test tests/OutboundVault.Tests --filter TokenFetchTests_Postgres
#
# Starts a cluster on 127.0.0.1 at a free port (trust authentication, fsync off; installs the server binaries
# first when they are missing), exports OUTBOUNDVAULT_TEST_PG (the admin connection string the tests create
# their databases from), runs the command, then stops the cluster and removes its directory, whether the
# command passed or failed. Exits with the command's status.
#
# WITH_POSTGRES_SETTINGS adds server settings ("shared_buffers=256MB shared_preload_libraries=pg_stat_statements");
# the command also gets OUTBOUNDVAULT_PG_BIN (the server binaries) and OUTBOUNDVAULT_PG_DATA (the cluster's
# data directory), for benchmarks that run pgbench or count the cluster's CPU time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -gt 0 ]] || die "usage: $0 COMMAND [ARGS...]"
"$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" postgres >&2
PG_BIN="$(find_pg_bin)"
PG_TMP="$(mktemp -d "${TMPDIR:-/tmp}/outboundvault-pg.XXXXXX")"
PG_RUN=()

cleanup() {
  local rc=$? pid
  if [[ -f "$PG_TMP/data/postmaster.pid" ]]; then
    pid="$(head -n1 "$PG_TMP/data/postmaster.pid" 2>/dev/null || true)"
    if ! "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      echo "warning: pg_ctl stop failed; killing postmaster $pid" >&2
      if [[ "$pid" =~ ^[0-9]+$ ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
  fi
  rm -rf "$PG_TMP"
  return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port nobody listens on, from the ephemeral range's lower neighbour (bash's /dev/tcp tells who listens).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  die "no free port found for PostgreSQL"
}

mkdir "$PG_TMP/data"
chmod 700 "$PG_TMP" "$PG_TMP/data"
if [[ $(id -u) -eq 0 ]]; then
  # initdb and pg_ctl refuse to run as root.
  id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' user to run the cluster as"
  chown -R postgres:postgres "$PG_TMP"
  PG_RUN=(runuser -u postgres --)
fi
if ! "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1; then
  cat "$PG_TMP/initdb.log" >&2
  die "initdb failed"
fi
port="$(free_port)"
extra=""
for setting in ${WITH_POSTGRES_SETTINGS:-}; do extra+=" -c $setting"; done
if ! "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 30 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_TMP \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300$extra" \
    start >/dev/null; then
  cat "$PG_TMP/server.log" >&2 || true
  die "PostgreSQL did not start"
fi
export OUTBOUNDVAULT_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
export OUTBOUNDVAULT_PG_BIN="$PG_BIN" OUTBOUNDVAULT_PG_DATA="$PG_TMP/data"
echo "PostgreSQL cluster: 127.0.0.1:$port in $PG_TMP" >&2

rc=0
"$@" || rc=$?
exit "$rc"
