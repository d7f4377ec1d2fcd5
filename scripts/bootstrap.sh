#!/usr/bin/env bash
# Installs what the tests need on a machine that has only the .NET SDK, and nothing that is already there:
#
#   ./scripts/bootstrap.sh [postgres] [node] [chromium]     (no argument: all three)
#
#   postgres   the PostgreSQL server binaries (initdb, pg_ctl) for scripts/with-postgres.sh
#   node       Node.js >= 18 with npm, for the SDK compatibility suite (tests/sdk-compat)
#   chromium   /usr/bin/chromium, for its hosted-page browser tests
#
# Missing tools are installed with apt-get (as root, or through passwordless sudo). Prints each tool's version.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CHROMIUM=/usr/bin/chromium

ensure_postgres() {
  local bin
  if ! bin="$(find_pg_bin)"; then
    log "PostgreSQL server binaries not found: installing with apt-get"
    apt_install postgresql
    bin="$(find_pg_bin)" || die "postgresql installed, but initdb/pg_ctl still not found"
  fi
  echo "PostgreSQL: $bin ($("$bin/initdb" --version))"
}

node_ok() {
  command -v node >/dev/null 2>&1 && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' 2>/dev/null
}

ensure_node() {
  local pkgs=()
  node_ok || pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
  if [[ ${#pkgs[@]} -gt 0 ]]; then
    log "Installing ${pkgs[*]} with apt-get"
    apt_install "${pkgs[@]}"
    hash -r
  fi
  node_ok || die "Node.js >= 18 is required; found: $(node --version 2>/dev/null || echo none)"
  echo "Node.js: $(node --version), npm $(npm --version 2>/dev/null)"
}

ensure_chromium() {
  if [[ ! -x "$CHROMIUM" ]]; then
    log "Chromium not found: installing with apt-get (about 124 MB)"
    apt_install chromium
  fi
  [[ -x "$CHROMIUM" ]] || die "chromium installed, but $CHROMIUM is missing"
  # The launcher script complains on stderr about its own memory check; the version is on stdout.
  echo "Chromium: $("$CHROMIUM" --version 2>/dev/null)"
}

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"
echo ".NET SDK: $(dotnet --version)"
[[ $# -gt 0 ]] || set -- postgres node chromium
for tool in "$@"; do
  case "$tool" in
    postgres) ensure_postgres ;;
    node) ensure_node ;;
    chromium) ensure_chromium ;;
    *) die "unknown tool '$tool' (postgres, node or chromium)" ;;
  esac
done
