#!/usr/bin/env bash
# Fetch-latest benchmark: the Release server with BENCH_TOKENS user tokens (loaded through the batch upload API),
# driven by wrk at a sweep of fixed concurrencies, beside the floors measured in the same run. On PostgreSQL
# (a throwaway cluster from scripts/with-postgres.sh, with pg_stat_statements): the floor app (bench/fetch/Floor,
# the same query and authentication with nothing else), the statements PostgreSQL ran per fetch, and pgbench's
# raw reads. On SQLite (BENCH_DATABASE=sqlite, the shipped settings): the authenticated no-database route.
# Method and recorded results: ../README.md.
#
#   bench/fetch/run.sh                          # PostgreSQL, about 7 minutes; prints a summary table at the end
#   BENCH_DATABASE=sqlite bench/fetch/run.sh    # SQLite, about 3 minutes
#
# Knobs (environment): BENCH_TOKENS (50000), BENCH_UPLOAD_CONCURRENCY (4 batch uploads at a time), BENCH_SECONDS per point (15), BENCH_CONNECTIONS
# ("1 2 4 8 16 32 64"), BENCH_PG_CLIENTS ("4 8 16 32 64"), BENCH_SERVER_ENV (extra KEY=VALUE settings
# for the server, space-separated, e.g. "Audit__Enabled=false"), BENCH_CONNECTION_OPTIONS (appended to the
# server's Npgsql connection string, e.g. "Multiplexing=true"), BENCH_RESULTS (where the raw JSON lines go;
# default bench/fetch/results/<UTC time>-<database>.jsonl).
# Needs: dotnet, node, wrk (installed with apt-get when missing and root), PostgreSQL server binaries.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/fetch"
DATABASE="${BENCH_DATABASE:-postgres}"
[[ "$DATABASE" == postgres || "$DATABASE" == sqlite ]] || { echo "BENCH_DATABASE is postgres or sqlite" >&2; exit 2; }
# On PostgreSQL the whole run happens inside a throwaway cluster.
if [[ "$DATABASE" == postgres && -z "${OUTBOUNDVAULT_PG_DATA:-}" ]]; then
  export WITH_POSTGRES_SETTINGS="shared_buffers=256MB shared_preload_libraries=pg_stat_statements pg_stat_statements.track=all"
  exec "$ROOT/scripts/with-postgres.sh" "$0" "$@"
fi
TOKENS="${BENCH_TOKENS:-50000}"
SECONDS_PER_POINT="${BENCH_SECONDS:-15}"
CONNECTIONS="${BENCH_CONNECTIONS:-1 2 4 8 16 32 64}"
PG_CLIENTS="${BENCH_PG_CLIENTS:-4 8 16 32 64}"
BIN_DIR="$ROOT/src/OutboundVault.Api/bin/Release/net10.0"
FLOOR_DIR="$ROOT/bench/fetch/Floor/bin/Release/net10.0"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf '\n==> %s [load %s]\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/outboundvault-bench.XXXXXX")"
RESULTS="$TMP/results.jsonl"
SERVER_PID="" FLOOR_PID=""

cleanup() {
  local rc=$?
  local pid
  for pid in "$SERVER_PID" "$FLOOR_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  if [[ $rc -ne 0 && -f "$TMP/server.log" ]]; then tail -n 40 "$TMP/server.log" >&2; fi
  rm -rf "$TMP"
  return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -----------------------------------------------------------------------------------------
command -v node >/dev/null || die "node is required"
command -v dotnet >/dev/null || die "dotnet is required"
if ! command -v wrk >/dev/null; then
  [[ $(id -u) -eq 0 ]] || die "wrk is required (apt-get install -y wrk)"
  { apt-get install -y -q wrk || { apt-get update -q && apt-get install -y -q wrk; }; } >/dev/null || die "apt-get install wrk failed"
fi
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'; }

log "Building the server and the floor (Release)"
for project in src/OutboundVault.Api bench/fetch/Floor; do
  built="$(dotnet build "$ROOT/$project" -c Release -nologo 2>&1)" || { tail -n 20 <<<"$built" >&2; die "building $project failed"; }
done

# --- database --------------------------------------------------------------------------------------
if [[ "$DATABASE" == postgres ]]; then
  PG_BIN="$OUTBOUNDVAULT_PG_BIN"
  PG_PORT="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$OUTBOUNDVAULT_TEST_PG")"
  PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE vault" -c "CREATE DATABASE pgbench"
  "${PSQL[@]}" -d vault -c "CREATE EXTENSION pg_stat_statements"
  VAULT_DB="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=vault"
  DATABASE_ENV=(Database__Provider=Postgres "Database__ConnectionString=$VAULT_DB;${BENCH_CONNECTION_OPTIONS:-}")
else
  DATABASE_ENV=()
fi

# --- server ----------------------------------------------------------------------------------------
PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"
PROJECT_ID="P2benchfetch0000000000000000"
MGMT_KEY="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
ENC_KEY="bench:$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')"
log "Starting the server on $BASE_URL"
(
  cd "$BIN_DIR"
  export DataDirectory="$TMP/data" Management__ProjectId="$PROJECT_ID" Management__Keys__0="$MGMT_KEY" \
    Encryption__Keys__0="$ENC_KEY" OAuth__AllowPrivateNetworkTargets=true
  # env, not export: configuration keys may contain '.', which shell variable names cannot.
  # shellcheck disable=SC2086
  exec env "${DATABASE_ENV[@]}" ${BENCH_SERVER_ENV:-} dotnet OutboundVault.Api.dll --urls "$BASE_URL"
) >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fsS "$BASE_URL/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited during start-up"
  sleep 0.5
done
curl -fsS "$BASE_URL/health/ready" >/dev/null || die "the server did not become ready"
rss_mb() { awk -v f="$1" '$1 == f":" { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
echo "{\"phase\":\"started\",\"database\":\"$DATABASE\",\"rss_mb\":$(rss_mb VmRSS)}" >>"$RESULTS"

log "Loading $TOKENS tokens through the batch upload API"
line="$(node "$HERE/load-tokens.mjs" "$BASE_URL" "$PROJECT_ID:$MGMT_KEY" "$TOKENS" | sed -n 's/^JSON //p')"
echo "$line"
echo "{\"phase\":\"load\",\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"upload\":$line}" >>"$RESULTS"
if [[ "$DATABASE" == postgres ]]; then
  "${PSQL[@]}" -d vault -c "VACUUM ANALYZE outbound_tokens" \
    -c "CREATE TABLE bench_ids AS SELECT (row_number() OVER (ORDER BY \"Id\") - 1)::int AS n, \"Id\" AS id FROM outbound_tokens" \
    -c "ALTER TABLE bench_ids ADD PRIMARY KEY (n)" -c "CREATE UNIQUE INDEX ON bench_ids (id)" -c "ANALYZE bench_ids"
  [[ "$("${PSQL[@]}" -d vault -tAc 'SELECT count(*) FROM outbound_tokens')" == "$TOKENS" ]] || die "not every token was stored"
fi
echo "{\"phase\":\"loaded\",\"rss_mb\":$(rss_mb VmRSS)}" >>"$RESULTS"

# --- service: wrk sweep ----------------------------------------------------------------------------
export BENCH_AUTH="$PROJECT_ID:$MGMT_KEY" BENCH_APP="bench-app" BENCH_USERS="$TOKENS"
PG_POSTMASTER="$( [[ "$DATABASE" == postgres ]] && head -n1 "$OUTBOUNDVAULT_PG_DATA/postmaster.pid" || true)"
# CPU time (clock ticks) of a process, and of the PostgreSQL cluster (postmaster, live backends, exited ones).
ticks() { local t; t="$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null)"; echo "${t:-0}"; }
pg_ticks() {
  local total pid
  [[ -n "$PG_POSTMASTER" ]] || { echo 0; return; }
  total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$PG_POSTMASTER/stat")
  for pid in $(pgrep -P "$PG_POSTMASTER"); do total=$((total + $(ticks "$pid" || echo 0))); done
  echo "$total"
}
machine_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $5 + $6}' /proc/stat; } # busy idle (ticks, all cores)
run_wrk() { # connections seconds [script] [pid url] -> JSON line with the server's and the database's CPU per request
  local c=$1 d=$2 script=${3:-fetch-latest.lua} pid=${4:-$SERVER_PID} url=${5:-$BASE_URL} out s0 p0 m0 i0 s1 p1 m1 i1 hz
  hz=$(getconf CLK_TCK)
  s0=$(ticks "$pid"); p0=$(pg_ticks); read -r m0 i0 < <(machine_busy)
  out="$(wrk -t"$(( c < 2 ? c : 2 ))" -c"$c" -d"${d}s" --timeout 10s -s "$HERE/$script" "$url")"
  s1=$(ticks "$pid"); p1=$(pg_ticks); read -r m1 i1 < <(machine_busy)
  sed -n 's/^JSON //p' <<<"$out" | node -e '
    const [hz, s, p, busy, idle] = process.argv.slice(1).map(Number); let t = "";
    process.stdin.on("data", (d) => (t += d)).on("end", () => {
      const r = JSON.parse(t), perRequest = (ticks) => Math.round((ticks / hz) * 1e6 / Math.max(r.requests, 1));
      console.log(JSON.stringify({ ...r, server_cpu_us: perRequest(s), db_cpu_us: perRequest(p), machine_busy_pct: Math.round(100 * busy / (busy + idle)) }));
    });' "$hz" "$((s1 - s0))" "$((p1 - p0))" "$((m1 - m0))" "$((i1 - i0))"
}
log "Warm-up (20 s at 16 connections: JIT tiering, connection pool)"
run_wrk 16 20 >/dev/null
[[ "$DATABASE" == postgres ]] && "${PSQL[@]}" -d vault -c "SELECT pg_stat_statements_reset()" >/dev/null
FETCHES=0
for c in $CONNECTIONS; do
  log "wrk: $c connections for $SECONDS_PER_POINT s"
  line="$(run_wrk "$c" "$SECONDS_PER_POINT")"
  echo "$line"
  FETCHES=$((FETCHES + $(node -e 'console.log(JSON.parse(process.argv[1]).requests)' "$line")))
  echo "{\"phase\":\"service\",\"connections\":$c,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"rss_mb\":$(rss_mb VmRSS),\"wrk\":$line}" >>"$RESULTS"
done
if [[ "$DATABASE" == postgres ]]; then
  log "What PostgreSQL ran for those $FETCHES fetches (pg_stat_statements)"
  "${PSQL[@]}" -d vault -tAc "SELECT coalesce(json_agg(s), '[]') FROM (SELECT calls, round(calls::numeric / $FETCHES, 3) AS per_fetch,
      round(mean_exec_time::numeric * 1000, 1) AS mean_us, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 200) AS query
      FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'vault') ORDER BY calls DESC LIMIT 12) s" \
    | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>console.log(JSON.stringify({phase:"statements",fetches:Number(process.argv[1]),statements:JSON.parse(t)})))' "$FETCHES" \
    | tee -a "$RESULTS"
fi
log "Reference: GET /v1/mgmt/license (authenticated, no database) at 16 connections"
line="$(run_wrk 16 "$SECONDS_PER_POINT" license.lua)"
echo "$line"
echo "{\"phase\":\"reference\",\"route\":\"GET /v1/mgmt/license\",\"connections\":16,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"wrk\":$line}" >>"$RESULTS"
echo "{\"phase\":\"after\",\"rss_mb\":$(rss_mb VmRSS),\"hwm_mb\":$(rss_mb VmHWM)}" >>"$RESULTS"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

if [[ "$DATABASE" == sqlite ]]; then
  log "Summary"
  node "$HERE/summary.mjs" "$RESULTS"
  OUT="${BENCH_RESULTS:-$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)-sqlite.jsonl}"
  mkdir -p "$(dirname "$OUT")" && cp "$RESULTS" "$OUT"
  echo "Raw results: $OUT (node bench/fetch/summary.mjs $OUT prints this summary again)"
  exit 0
fi

# --- the refresh worker's sweep query when 1 % of the tokens fall due -------------------------------------
log "EXPLAIN ANALYZE of the worker's sweep query with 1 % of the tokens due"
"${PSQL[@]}" -d vault -c "UPDATE outbound_tokens SET \"AccessTokenExpiresAt\" = now() + interval '1 minute'
    WHERE \"Id\" IN (SELECT id FROM bench_ids WHERE n % 100 = 0)" -c "ANALYZE outbound_tokens" >/dev/null
# The statement RefreshSweep.DueAsync sends (pg_stat_statements shows its parameterized form), one batch of 100.
plan="$("${PSQL[@]}" -d vault -tA -c "EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT)
  SELECT o.\"Id\" FROM outbound_tokens AS o
  WHERE o.\"Status\" = 'valid' AND o.\"Kind\" = 'oauth' AND o.\"RefreshTokenCipher\" IS NOT NULL
    AND o.\"AccessTokenExpiresAt\" IS NOT NULL AND o.\"AccessTokenExpiresAt\" <= now() + interval '5 minutes'
    AND (o.\"RefreshNotBefore\" IS NULL OR o.\"RefreshNotBefore\" <= now()) AND o.\"RefreshAttempts\" < 10
    AND (o.\"LastRefreshAt\" IS NULL OR o.\"LastRefreshAt\" <= now() - interval '150 seconds')
    AND (o.\"LeaseExpiresAt\" IS NULL OR o.\"LeaseExpiresAt\" <= now())
  ORDER BY o.\"AccessTokenExpiresAt\" LIMIT 100")"
echo "$plan"
node -e 'console.log(JSON.stringify({phase:"sweep-plan",tokens:Number(process.argv[1]),due:Math.ceil(Number(process.argv[1])/100),plan:process.argv[2].split("\n")}))' "$TOKENS" "$plan" >>"$RESULTS"
"${PSQL[@]}" -d vault -c "UPDATE outbound_tokens SET \"AccessTokenExpiresAt\" = now() + interval '365 days'" -c "VACUUM ANALYZE outbound_tokens" >/dev/null

# --- floor: the same query and authentication, nothing else -------------------------------------------
FLOOR_URL="http://127.0.0.1:$(free_port)"
log "Starting the floor app on $FLOOR_URL"
(
  cd "$FLOOR_DIR"
  exec env ProjectId="$PROJECT_ID" ManagementKey="$MGMT_KEY" \
    ConnectionString="$VAULT_DB;No Reset On Close=true;Max Auto Prepare=20;${BENCH_CONNECTION_OPTIONS:-}" \
    dotnet Floor.dll --urls "$FLOOR_URL"
) >"$TMP/floor.log" 2>&1 &
FLOOR_PID=$!
for _ in $(seq 1 60); do
  code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$FLOOR_URL/v1/mgmt/outbound/app/user/token/latest" \
    -H "Authorization: Bearer $PROJECT_ID:$MGMT_KEY" -H 'Content-Type: application/json' -d '{"appId":"bench-app","userId":"u0"}' || true)"
  [[ "$code" == 200 ]] && break
  kill -0 "$FLOOR_PID" 2>/dev/null || die "the floor app exited during start-up: $(cat "$TMP/floor.log")"
  sleep 0.5
done
[[ "$code" == 200 ]] || die "the floor app does not answer fetches (HTTP $code)"
run_wrk 16 20 fetch-latest.lua "$FLOOR_PID" "$FLOOR_URL" >/dev/null
for c in $CONNECTIONS; do
  log "floor: $c connections for $SECONDS_PER_POINT s"
  line="$(run_wrk "$c" "$SECONDS_PER_POINT" fetch-latest.lua "$FLOOR_PID" "$FLOOR_URL")"
  echo "$line"
  echo "{\"phase\":\"floor\",\"connections\":$c,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"wrk\":$line}" >>"$RESULTS"
done
kill -TERM "$FLOOR_PID"; wait "$FLOOR_PID" 2>/dev/null || true; FLOOR_PID=""

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
OUT="${BENCH_RESULTS:-$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)-postgres.jsonl}"
mkdir -p "$(dirname "$OUT")" && cp "$RESULTS" "$OUT"
echo "Raw results: $OUT (node bench/fetch/summary.mjs $OUT prints this summary again)"
