#!/usr/bin/env bash
# Makes sure a local PostgreSQL server answers on 127.0.0.1:${PG_PORT:-5432} and that Goldsmith's role and databases
# exist. Idempotent: installs Debian's package where the server is missing, creates and starts the cluster where it is
# not running, and leaves a running server alone.
#   deploy/postgres-local.sh start     ensure running + role goldsmith (password goldsmith) + databases goldsmith, goldsmith_test
#   deploy/postgres-local.sh status
#   deploy/postgres-local.sh stop      stops the cluster only if this script started it (marker in .local/postgres-started)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
CMD=${1:-start}; PORT=${PG_PORT:-5432}; MARKER=$ROOT/.local/postgres-started
log() { echo "postgres-local: $*" >&2; }
ready() { pg_isready -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; }
psql_admin() { if [ "$(id -u)" = 0 ]; then su postgres -c "psql -X -q -p $PORT -h 127.0.0.1 $*"; else psql -X -q -p "$PORT" -h 127.0.0.1 -U postgres "$@"; fi; }

install_server() {
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && command -v pg_isready >/dev/null && return
  log "installing Debian's postgresql package"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends postgresql >&2
}

start() {
  install_server
  if ! ready; then
    local version cluster
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    cluster=$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1==v {print $2; exit}')
    if [ -z "$cluster" ]; then
      log "creating cluster $version/main on port $PORT"
      pg_createcluster "$version" main -p "$PORT" -- --auth-local=trust --auth-host=trust >&2
      cluster=main
    fi
    log "starting cluster $version/$cluster"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start >&2
    mkdir -p "$(dirname "$MARKER")"; echo "$version $cluster" > "$MARKER"
    local t=0; until ready; do t=$((t+1)); [ $t -gt 300 ] && { log "not ready after 30 s"; exit 1; }; sleep 0.1; done
  fi
  psql_admin -tAc "\"select 1 from pg_roles where rolname='goldsmith'\"" 2>/dev/null | grep -q 1 \
    || psql_admin -c "\"create role goldsmith login password 'goldsmith'\""
  for db in goldsmith goldsmith_test; do
    psql_admin -tAc "\"select 1 from pg_database where datname='$db'\"" | grep -q 1 \
      || psql_admin -c "\"create database $db owner goldsmith\""
  done
  log "ready on 127.0.0.1:$PORT (role goldsmith, databases goldsmith and goldsmith_test)"
}

case "$CMD" in
  start) start ;;
  status) ready && echo "running on 127.0.0.1:$PORT" || { echo "not running"; exit 1; } ;;
  stop)
    if [ -f "$MARKER" ]; then read -r v c < "$MARKER"; pg_ctlcluster --skip-systemctl-redirect "$v" "$c" stop >&2 || true; rm -f "$MARKER"; log "stopped";
    else log "not started by this script; left running"; fi ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
