#!/usr/bin/env bash
# Builds the real Dockerfile and runs the image as an operator would, on a machine where Docker installs but no
# image can be pulled (README, "Docker").
#
#   scripts/container-check.sh
#
# 1. Installs docker.io and debootstrap with apt-get when missing; starts its own dockerd (no bridge, no
#    iptables: every build and container uses the host network, on 127.0.0.1 only) with state under a
#    temporary directory.
# 2. When mcr.microsoft.com/dotnet/{sdk,aspnet}:10.0 cannot be pulled, builds local stand-ins with those names:
#    a Debian root made by debootstrap from the package mirror, plus the .NET SDK already on this machine, with
#    the environment the official images set (APP_UID=1654 and its `app` user, ASPNETCORE_HTTP_PORTS=8080), and
#    for the SDK the machine's CA certificates and NUGET_CERT_REVOCATION_MODE=offline.
# 3. Builds the Dockerfile with the classic builder, runs the image with a /data volume, checks /health/ready,
#    creates an app and a token, restarts the container, reads both back, and checks it runs as a non-root user.
# 4. Stops and removes everything it started, whether it passed or failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/container-check.XXXXXX")"
export DOCKER_HOST="unix://$WORK/docker.sock" DOCKER_BUILDKIT=0
IMAGE=outboundvault-check CONTAINER=outboundvault-check VOLUME=outboundvault-check-data
DOCKERD_PID=""
SUDO=(); if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo -n); fi

log() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local rc=$?
  if [[ -n "$DOCKERD_PID" ]]; then
    docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
    docker volume rm -f "$VOLUME" >/dev/null 2>&1 || true
    "${SUDO[@]}" kill "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do "${SUDO[@]}" kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.2; done
  fi
  # dockerd leaves its network namespace mounted under its exec root.
  local mountpoint
  for mountpoint in $(awk -v work="$WORK/" 'index($2, work) == 1 { print $2 }' /proc/mounts | sort -r); do
    "${SUDO[@]}" umount "$mountpoint" 2>/dev/null || true
  done
  "${SUDO[@]}" rm -rf "$WORK" 2>/dev/null || true
  return "$rc"
}
trap cleanup EXIT

if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
  log "Installing docker.io and debootstrap"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io debootstrap >"$WORK/apt.log" 2>&1 \
    || { cat "$WORK/apt.log" >&2; die "apt-get install failed"; }
fi

log "Starting dockerd (no bridge, no iptables)"
"${SUDO[@]}" dockerd --bridge=none --iptables=false --ip6tables=false --data-root "$WORK/docker" --exec-root "$WORK/exec" \
  --pidfile "$WORK/docker.pid" --host "$DOCKER_HOST" >"$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 1 100); do docker info >/dev/null 2>&1 && break; sleep 0.3; done
docker info >/dev/null 2>&1 || { cat "$WORK/dockerd.log" >&2; die "dockerd did not start"; }

if docker pull -q mcr.microsoft.com/dotnet/aspnet:10.0 >/dev/null 2>&1 && docker pull -q mcr.microsoft.com/dotnet/sdk:10.0 >/dev/null 2>&1; then
  log "Using the pulled .NET base images"
else
  log "No base image can be pulled: building stand-ins from debootstrap and this machine's .NET SDK"
  MIRROR="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  "${SUDO[@]}" debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3 bookworm "$WORK/rootfs" "${MIRROR:-http://deb.debian.org/debian}" \
    >"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
  "${SUDO[@]}" tar -C "$WORK/rootfs" -c . | docker import - outboundvault-check-debian >/dev/null
  DOTNET_ROOT_DIR="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  mkdir -p "$WORK/standin"
  "${SUDO[@]}" cp -a "$DOTNET_ROOT_DIR" "$WORK/standin/dotnet"
  # The machine's trust store, with any certificate authority its network needs for NuGet.
  cp /etc/ssl/certs/ca-certificates.crt "$WORK/standin/ca-certificates.crt"
  cat >"$WORK/standin/Dockerfile" <<'STANDIN'
FROM outboundvault-check-debian
COPY dotnet /usr/share/dotnet
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --no-create-home --home-dir /app --shell /bin/false app
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true NUGET_CERT_REVOCATION_MODE=offline
STANDIN
  docker build -q --network host -t mcr.microsoft.com/dotnet/sdk:10.0 -t mcr.microsoft.com/dotnet/aspnet:10.0 "$WORK/standin" >/dev/null
fi

log "Building the Dockerfile"
docker build --network host -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; die "docker build failed"; }

PORT="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
run_container() {
  docker run -d --name "$CONTAINER" --network host -v "$VOLUME:/data" \
    -e ASPNETCORE_URLS="http://127.0.0.1:$PORT" -e Management__ProjectId=Pcheck -e Management__Keys__0=container-check-key-0123456789 \
    "$IMAGE" >/dev/null
  for _ in $(seq 1 150); do curl -fsS "$BASE/health/ready" >/dev/null 2>&1 && return 0; sleep 0.2; done
  docker logs "$CONTAINER" >&2; die "the container did not become ready"
}
api() { curl -fsS -H "Authorization: Bearer Pcheck:container-check-key-0123456789" -H "Content-Type: application/json" "$@"; }

log "Running the image with a /data volume"
run_container
api -X POST "$BASE/v1/mgmt/outbound/app/create" -d '{"id":"check-app","name":"Check","appType":"apikey"}' >/dev/null
api -X POST "$BASE/v1/mgmt/outbound/app/user/apikey/upload" -d '{"appId":"check-app","userId":"u1","apiKey":"check-secret"}' >/dev/null
USER_ID="$(docker exec "$CONTAINER" id -u)"
[[ "$USER_ID" != "0" ]] || die "the container runs as root"

log "Restarting the container and reading the app and the token back"
docker rm -f "$CONTAINER" >/dev/null
run_container
api "$BASE/v1/mgmt/outbound/app/check-app" | grep -q '"name":"Check"' || die "the app did not survive the restart"
api -X POST "$BASE/v1/mgmt/outbound/app/user/token/latest" -d '{"appId":"check-app","userId":"u1"}' | grep -q '"accessToken":"check-secret"' \
  || die "the token did not survive the restart"

log "Container check passed: built, ready, runs as uid $USER_ID, data kept across a restart"
