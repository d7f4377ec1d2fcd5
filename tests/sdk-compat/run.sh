#!/usr/bin/env bash
# SDK compatibility suite: the official @descope/node-sdk (pinned in package.json) against the built
# OutboundVault server.
#
# Needs: a Release build (dotnet build -c Release), Node.js >= 18 and npm, and Debian's Chromium at
# /usr/bin/chromium (hosted-pages.test.mjs). ./scripts/test.sh does all of that and then calls this
# script; it can also be run on its own after a build.
#
# Starts the server on 127.0.0.1 at a free port with an embedded SQLite database in a temporary data
# directory, waits for GET /health/ready, runs tests/sdk-compat/*.test.mjs with node's test runner,
# and stops the server and removes the directory on exit. The server log is printed on failure.
#
# Optional: SDK_COMPAT_TAP_OUT=<file> also writes the TAP report there (used for the summary).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

SUITE_DIR="$ROOT/tests/sdk-compat"
BIN_DIR="$ROOT/src/OutboundVault.Api/bin/Release/net10.0"
DLL="OutboundVault.Api.dll"
READY_TIMEOUT=60

die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

[[ -f "$BIN_DIR/$DLL" ]] || die "$BIN_DIR/$DLL not found: build first (dotnet build OutboundVault.sln -c Release)"
command -v dotnet >/dev/null 2>&1 || die "dotnet not found"
command -v node >/dev/null 2>&1 || die "node not found (./scripts/test.sh installs it)"
command -v npm >/dev/null 2>&1 || die "npm not found (./scripts/test.sh installs it)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/outboundvault-sdkcompat.XXXXXX")"
SERVER_LOG="$TMP/server.log"
SERVER_PID=""
OK=0

print_server_log() {
  local lines
  lines=$(wc -l <"$SERVER_LOG" 2>/dev/null || echo 0)
  echo "----- server log ($lines lines) -----" >&2
  if [[ $lines -le 600 ]]; then
    cat "$SERVER_LOG" >&2 2>/dev/null || true
  else
    head -n 200 "$SERVER_LOG" >&2
    echo "[... $((lines - 600)) lines left out ...]" >&2
    tail -n 400 "$SERVER_LOG" >&2
  fi
  echo "----- end of server log -----" >&2
}

cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ $OK -ne 1 ]]; then print_server_log; fi
  rm -rf "$TMP"
  return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "npm ci (tests/sdk-compat)"
t=$SECONDS
(cd "$SUITE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
echo "npm ci: $((SECONDS - t)) s"

PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')"
BASE_URL="http://127.0.0.1:$PORT"
# connect.test.mjs serves the identity provider the server trusts for user JWTs on this port.
IDP_PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')"
JWT_AUDIENCE="outboundvault-sdk-compat"
PROJECT_ID="P2sdkcompat000000000000000000"
MANAGEMENT_KEY="$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"

echo "Starting the server on $BASE_URL"
t=$SECONDS
(
  cd "$BIN_DIR"
  export DataDirectory="$TMP/data"
  export Database__Provider=Sqlite
  export Management__ProjectId="$PROJECT_ID"
  export Management__Keys__0="$MANAGEMENT_KEY"
  export OAuth__AllowPrivateNetworkTargets=true
  export OAuth__PublicBaseUrl="$BASE_URL"
  export Connect__Jwt__Authority="http://127.0.0.1:$IDP_PORT"
  export Connect__Jwt__Audience="$JWT_AUDIENCE"
  export Connect__Jwt__RequireHttpsMetadata=false
  exec dotnet "$DLL" --urls "$BASE_URL"
) >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

# One node process polls until the deadline and gives up early if the server process has exited.
wait_rc=0
node -e '
  const [url, pid, timeoutS] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
  const deadline = Date.now() + timeoutS * 1000;
  const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
  (async () => {
    while (Date.now() < deadline) {
      if (!alive()) process.exit(2);
      try {
        const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) process.exit(0);
      } catch { /* not listening yet */ }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    process.exit(1);
  })();' "$BASE_URL/health/ready" "$SERVER_PID" "$READY_TIMEOUT" || wait_rc=$?
case $wait_rc in
  0) ;;
  2) wait "$SERVER_PID" && rc=0 || rc=$?
     SERVER_PID=""
     die "the server exited during start-up (exit $rc)" ;;
  *) die "GET $BASE_URL/health/ready did not answer 200 within $READY_TIMEOUT s" ;;
esac
echo "Server ready: $((SECONDS - t)) s"

reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [[ -n "${SDK_COMPAT_TAP_OUT:-}" ]]; then
  mkdir -p "$(dirname "$SDK_COMPAT_TAP_OUT")"
  reporters+=(--test-reporter=tap "--test-reporter-destination=$SDK_COMPAT_TAP_OUT")
fi

shopt -s nullglob
test_files=("$SUITE_DIR"/*.test.mjs)
[[ ${#test_files[@]} -gt 0 ]] || die "no test files in $SUITE_DIR"

VAULT_BASE_URL="$BASE_URL" VAULT_PROJECT_ID="$PROJECT_ID" VAULT_MANAGEMENT_KEY="$MANAGEMENT_KEY" \
  VAULT_IDP_PORT="$IDP_PORT" VAULT_JWT_AUDIENCE="$JWT_AUDIENCE" \
  node --test "${reporters[@]}" "${test_files[@]}"

OK=1
echo "SDK compatibility suite passed"
