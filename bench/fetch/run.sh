#!/usr/bin/env bash
# Fetch-latest benchmark: the Release server on a throwaway PostgreSQL cluster with 100,000 user tokens
# (loaded through the batch upload API), driven by wrk at a sweep of fixed concurrencies, against a
# baseline of raw reads by pgbench on the same cluster. Method and recorded results: ../README.md.
#
#   bench/fetch/run.sh                 # about 5 minutes; prints a summary table at the end
#
# Knobs (environment): BENCH_TOKENS (100000), BENCH_SECONDS per point (15), BENCH_CONNECTIONS
# ("1 2 4 8 16 32 64"), BENCH_PG_CLIENTS ("4 8 16 32 64"), BENCH_SERVER_ENV (extra KEY=VALUE settings
# for the server, space-separated, e.g. "Serilog__MinimumLevel__Override__OutboundVault.Requests=Warning"),
# BENCH_CONNECTION_OPTIONS (appended to the server's Npgsql connection string, e.g.
# "No Reset On Close=true;Max Auto Prepare=20"), BENCH_RESULTS (where the raw JSON lines go; default
# bench/fetch/results/<UTC time>.jsonl).
# Needs: dotnet, node, wrk (installed with apt-get when missing and root), PostgreSQL server binaries.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/fetch"
TOKENS="${BENCH_TOKENS:-100000}"
SECONDS_PER_POINT="${BENCH_SECONDS:-15}"
CONNECTIONS="${BENCH_CONNECTIONS:-1 2 4 8 16 32 64}"
PG_CLIENTS="${BENCH_PG_CLIENTS:-4 8 16 32 64}"
BIN_DIR="$ROOT/src/OutboundVault.Api/bin/Release/net10.0"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf '\n==> %s [load %s]\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/outboundvault-bench.XXXXXX")"
RESULTS="$TMP/results.jsonl"
PG_BIN="" PG_RUN=() SERVER_PID=""

cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -f "$TMP/pg/data/postmaster.pid" ]]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$TMP/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [[ $rc -ne 0 && -f "$TMP/server.log" ]]; then tail -n 40 "$TMP/server.log" >&2; fi
  rm -rf "$TMP"
  return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -----------------------------------------------------------------------------------------
has_pg_server() { [[ -n "$1" && -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/pgbench" ]]; }
find_pg_bin() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if has_pg_server "$dir"; then echo "$dir"; return 0; fi
  fi
  while IFS= read -r dir; do
    if has_pg_server "$dir"; then echo "$dir"; return 0; fi
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -V -r)
  return 1
}
PG_BIN="$(find_pg_bin)" || die "PostgreSQL server binaries (initdb, pg_ctl, pgbench) not found; see scripts/test.sh"
command -v node >/dev/null || die "node is required"
command -v dotnet >/dev/null || die "dotnet is required"
if ! command -v wrk >/dev/null; then
  [[ $(id -u) -eq 0 ]] || die "wrk is required (apt-get install -y wrk)"
  apt-get install -y -q wrk >/dev/null || die "apt-get install wrk failed"
fi
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'; }

log "Building the server (Release)"
dotnet build "$ROOT/src/OutboundVault.Api" -c Release -v quiet -nologo >/dev/null

# --- PostgreSQL ------------------------------------------------------------------------------------
log "Starting a throwaway PostgreSQL cluster ($("$PG_BIN/postgres" --version))"
chmod 711 "$TMP" # the cluster runs as postgres when we are root: it must reach its directory
mkdir -p "$TMP/pg/data" && chmod 700 "$TMP/pg" "$TMP/pg/data"
if [[ $(id -u) -eq 0 ]]; then chown -R postgres:postgres "$TMP/pg"; PG_RUN=(runuser -u postgres --); fi
PG_PORT="$(free_port)"
"${PG_RUN[@]}" "$PG_BIN/initdb" -D "$TMP/pg/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$TMP/initdb.log"
"${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$TMP/pg/data" -l "$TMP/pg/server.log" -w -t 30 \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$TMP/pg -c max_connections=300 \
      -c shared_buffers=256MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE vault" -c "CREATE DATABASE pgbench"

# --- server ----------------------------------------------------------------------------------------
PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"
PROJECT_ID="P2benchfetch0000000000000000"
MGMT_KEY="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
ENC_KEY="bench:$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')"
log "Starting the server on $BASE_URL"
(
  cd "$BIN_DIR"
  export DataDirectory="$TMP/data" Database__Provider=Postgres \
    Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=vault;${BENCH_CONNECTION_OPTIONS:-}" \
    Management__ProjectId="$PROJECT_ID" Management__Keys__0="$MGMT_KEY" Encryption__Keys__0="$ENC_KEY" \
    OAuth__AllowPrivateNetworkTargets=true
  # env, not export: configuration keys may contain '.', which shell variable names cannot.
  # shellcheck disable=SC2086
  exec env ${BENCH_SERVER_ENV:-} dotnet OutboundVault.Api.dll --urls "$BASE_URL"
) >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fsS "$BASE_URL/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited during start-up"
  sleep 0.5
done
curl -fsS "$BASE_URL/health/ready" >/dev/null || die "the server did not become ready"
rss_mb() { awk -v f="$1" '$1 == f":" { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
echo "{\"phase\":\"started\",\"rss_mb\":$(rss_mb VmRSS)}" >>"$RESULTS"

log "Loading $TOKENS tokens through the batch upload API"
line="$(node "$HERE/load-tokens.mjs" "$BASE_URL" "$PROJECT_ID:$MGMT_KEY" "$TOKENS" | sed -n 's/^JSON //p')"
echo "$line"
echo "{\"phase\":\"load\",\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"upload\":$line}" >>"$RESULTS"
"${PSQL[@]}" -d vault -c "VACUUM ANALYZE outbound_tokens" \
  -c "CREATE TABLE bench_ids AS SELECT (row_number() OVER (ORDER BY \"Id\") - 1)::int AS n, \"Id\" AS id FROM outbound_tokens" \
  -c "ALTER TABLE bench_ids ADD PRIMARY KEY (n)" -c "CREATE UNIQUE INDEX ON bench_ids (id)" -c "ANALYZE bench_ids"
[[ "$("${PSQL[@]}" -d vault -tAc 'SELECT count(*) FROM outbound_tokens')" == "$TOKENS" ]] || die "not every token was stored"
echo "{\"phase\":\"loaded\",\"rss_mb\":$(rss_mb VmRSS)}" >>"$RESULTS"

# --- service: wrk sweep ----------------------------------------------------------------------------
export BENCH_AUTH="$PROJECT_ID:$MGMT_KEY" BENCH_APP="bench-app" BENCH_USERS="$TOKENS"
PG_POSTMASTER="$(head -n1 "$TMP/pg/data/postmaster.pid")"
# CPU time (clock ticks) of a process, and of the PostgreSQL cluster (postmaster, live backends, exited ones).
ticks() { local t; t="$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null)"; echo "${t:-0}"; }
pg_ticks() {
  local total pid
  total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$PG_POSTMASTER/stat")
  for pid in $(pgrep -P "$PG_POSTMASTER"); do total=$((total + $(ticks "$pid" || echo 0))); done
  echo "$total"
}
machine_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $5 + $6}' /proc/stat; } # busy idle (ticks, all cores)
run_wrk() { # connections seconds [script] -> JSON line with the server's and the database's CPU per request
  local c=$1 d=$2 script=${3:-fetch-latest.lua} out s0 p0 m0 i0 s1 p1 m1 i1 hz
  hz=$(getconf CLK_TCK)
  s0=$(ticks "$SERVER_PID"); p0=$(pg_ticks); read -r m0 i0 < <(machine_busy)
  out="$(wrk -t"$(( c < 2 ? c : 2 ))" -c"$c" -d"${d}s" --timeout 10s -s "$HERE/$script" "$BASE_URL")"
  s1=$(ticks "$SERVER_PID"); p1=$(pg_ticks); read -r m1 i1 < <(machine_busy)
  sed -n 's/^JSON //p' <<<"$out" | node -e '
    const [hz, s, p, busy, idle] = process.argv.slice(1).map(Number); let t = "";
    process.stdin.on("data", (d) => (t += d)).on("end", () => {
      const r = JSON.parse(t), perRequest = (ticks) => Math.round((ticks / hz) * 1e6 / Math.max(r.requests, 1));
      console.log(JSON.stringify({ ...r, server_cpu_us: perRequest(s), db_cpu_us: perRequest(p), machine_busy_pct: Math.round(100 * busy / (busy + idle)) }));
    });' "$hz" "$((s1 - s0))" "$((p1 - p0))" "$((m1 - m0))" "$((i1 - i0))"
}
log "Warm-up (20 s at 16 connections: JIT tiering, connection pool)"
run_wrk 16 20 >/dev/null
for c in $CONNECTIONS; do
  log "wrk: $c connections for $SECONDS_PER_POINT s"
  line="$(run_wrk "$c" "$SECONDS_PER_POINT")"
  echo "$line"
  echo "{\"phase\":\"service\",\"connections\":$c,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"rss_mb\":$(rss_mb VmRSS),\"wrk\":$line}" >>"$RESULTS"
done
log "Reference: GET /v1/mgmt/license (authenticated, no database) at 16 connections"
line="$(run_wrk 16 "$SECONDS_PER_POINT" license.lua)"
echo "$line"
echo "{\"phase\":\"reference\",\"route\":\"GET /v1/mgmt/license\",\"connections\":16,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"wrk\":$line}" >>"$RESULTS"
echo "{\"phase\":\"after\",\"rss_mb\":$(rss_mb VmRSS),\"hwm_mb\":$(rss_mb VmHWM)}" >>"$RESULTS"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

# --- baseline: pgbench on the same cluster ---------------------------------------------------------
log "pgbench: initialising pgbench_accounts (scale 1 = 100,000 rows)"
"$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -s 1 -q pgbench >/dev/null 2>&1
run_pgbench() { # name clients database args... -> JSON line
  local name=$1 clients=$2 db=$3 out tps p50 p99 p0 p1 count; shift 3
  p0=$(pg_ticks)
  out="$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$clients" -j 2 -T "$SECONDS_PER_POINT" \
    -l --log-prefix="$TMP/pgb" "$@" "$db" 2>&1)"
  sleep 1 # let the postmaster reap the pgbench backends, so their CPU time is counted
  p1=$(pg_ticks)
  tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out" | head -n1)"
  count="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")"
  # Per-transaction latencies (µs, 3rd column) from the pgbench logs, for p50/p99.
  read -r p50 p99 < <(cat "$TMP"/pgb.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.5)+1], a[int(NR*0.99)+1]}')
  rm -f "$TMP"/pgb.*
  echo "{\"phase\":\"baseline\",\"name\":\"$name\",\"clients\":$clients,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"tps\":$tps,\"p50_us\":$p50,\"p99_us\":$p99,\"db_cpu_us\":$(( (p1 - p0) * 1000000 / $(getconf CLK_TCK) / count ))}"
}
for c in $PG_CLIENTS; do
  log "pgbench: $c clients"
  run_pgbench "token row by id" "$c" vault -D tokens="$TOKENS" -f "$HERE/token-by-id.sql" | tee -a "$RESULTS"
  run_pgbench "fetch query (owner index)" "$c" vault -D tokens="$TOKENS" -f "$HERE/token-by-owner.sql" | tee -a "$RESULTS"
  run_pgbench "pgbench -S (pgbench_accounts)" "$c" pgbench -S | tee -a "$RESULTS"
done

log "Summary"
node "$HERE/summary.mjs" "$RESULTS"
OUT="${BENCH_RESULTS:-$HERE/results/$(date -u +%Y%m%dT%H%M%SZ).jsonl}"
mkdir -p "$(dirname "$OUT")" && cp "$RESULTS" "$OUT"
echo "Raw results: $OUT (node bench/fetch/summary.mjs $OUT prints this summary again)"
