# Shared by bootstrap.sh and with-postgres.sh (sourced, not run): logging, root or sudo, and apt-get.
export DEBIAN_FRONTEND=noninteractive

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo -n); fi

APT_UPDATED=0

# apt_install PACKAGE...: installs with apt-get; its output is printed only when it fails (a Node install
# is ~2000 lines). Package maintainer scripts may not start services (Debian's postgresql package would
# create and start a default cluster): the scripts start what they need and nothing else.
apt_install() {
  command -v apt-get >/dev/null || die "need to install $*, but apt-get is not available"
  if [[ ${#SUDO[@]} -gt 0 ]] && ! sudo -n true 2>/dev/null; then
    die "need to install $* with apt-get, but not root and passwordless sudo is unavailable"
  fi
  local aptlog rc=0 guard=0
  aptlog="$(mktemp "${TMPDIR:-/tmp}/outboundvault-apt.XXXXXX")"
  if [[ $APT_UPDATED -eq 0 ]]; then
    "${SUDO[@]}" apt-get update -q >"$aptlog" 2>&1 || { cat "$aptlog" >&2; rm -f "$aptlog"; die "apt-get update failed"; }
    APT_UPDATED=1
  fi
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    guard=1
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod 755 /usr/sbin/policy-rc.d
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$aptlog" 2>&1 || rc=$?
  if [[ $guard -eq 1 ]]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; fi
  if [[ $rc -ne 0 ]]; then
    cat "$aptlog" >&2
    rm -f "$aptlog"
    die "apt-get install $* failed (exit $rc)"
  fi
  echo "apt-get installed $* ($(grep -c '^Setting up ' "$aptlog" || true) packages set up)" >&2
  rm -f "$aptlog"
}

# PostgreSQL server binaries. pg_config may come from libpq-dev without the server, so look for initdb and
# pg_ctl themselves; the newest installed major version first.
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
  while IFS= read -r dir; do
    if has_pg_server "$dir"; then echo "$dir"; return 0; fi
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -V -r)
  return 1
}
