#!/usr/bin/env bash
# Runs the hcloud emulator (a local Hetzner Cloud API) in the background.
#
#   eval "$(deploy/emulator.sh start [--backend virtual|hosts] [--port N] [--state-file PATH])"
#   deploy/emulator.sh status | env | stop
#
# start builds the emulator if its runnable jar is missing or older than its sources, starts it,
# waits until it answers, and prints HCLOUD_ENDPOINT=... and HCLOUD_TOKEN=... on stdout, followed
# by "export HCLOUD_ENDPOINT HCLOUD_TOKEN" (everything else goes to stderr). Starting an already running emulator prints its lines again.
# Environment: EMULATOR_PORT (default 18089), EMULATOR_TOKEN (default: random), EMULATOR_OPTS
# (extra JVM options, e.g. -Demulator.actions.default-duration=1s).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
PID_FILE="$LOCAL/emulator.pid"
ENV_FILE="$LOCAL/emulator.env"
LOG_FILE="$LOCAL/emulator.log"
JAR="$ROOT/hcloud-emulator/target/quarkus-app/quarkus-run.jar"

log() { echo "emulator: $*" >&2; }

# The two assignment lines, then an export line so that eval makes them visible to child processes.
print_env() {
  cat "$ENV_FILE"
  echo "export HCLOUD_ENDPOINT HCLOUD_TOKEN"
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

needs_build() {
  [[ ! -f "$JAR" ]] && return 0
  [[ -n "$(find "$ROOT/hcloud-emulator/src/main" "$ROOT/hcloud-emulator/pom.xml" \
      "$ROOT/hcloud-emulator-backend/src/main" -newer "$JAR" -type f -print -quit 2>/dev/null)" ]]
}

build() {
  log "building the emulator (log: $LOCAL/emulator-build.log)"
  if ! (cd "$ROOT" && flock /tmp/gs-build-hcloud-emulator.lock \
      ./mvnw -B -pl hcloud-emulator -am package -DskipTests) >"$LOCAL/emulator-build.log" 2>&1; then
    tail -n 40 "$LOCAL/emulator-build.log" >&2
    log "build failed"
    exit 1
  fi
}

start() {
  local backend=virtual port="${EMULATOR_PORT:-18089}" state_file=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --backend) backend="$2"; shift 2 ;;
      --port) port="$2"; shift 2 ;;
      --state-file) state_file="$2"; shift 2 ;;
      *) log "unknown option $1"; exit 2 ;;
    esac
  done
  [[ "$backend" == virtual || "$backend" == hosts ]] || { log "--backend must be virtual or hosts"; exit 2; }
  mkdir -p "$LOCAL"
  if pid="$(running_pid)"; then
    log "already running (pid $pid)"
    print_env
    return 0
  fi
  if needs_build; then build; fi
  local token="${EMULATOR_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
  local opts=(-Xmx512m "-Dquarkus.http.port=$port" -Dquarkus.http.host=127.0.0.1 "-Demulator.backend=$backend")
  [[ -n "$state_file" ]] && opts+=("-Demulator.state-file=$state_file")
  [[ "$backend" == hosts ]] && opts+=("-Demulator.hosts.instance=${EMULATOR_HOSTS_INSTANCE:-auto}")
  # shellcheck disable=SC2206
  [[ -n "${EMULATOR_OPTS:-}" ]] && opts+=(${EMULATOR_OPTS})
  # the token travels in the environment, never on the command line
  EMULATOR_TOKENS="$token" setsid nohup java "${opts[@]}" -jar "$JAR" >"$LOG_FILE" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  local endpoint="http://127.0.0.1:$port/v1"
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      log "the emulator exited while starting (log: $LOG_FILE)"
      exit 1
    fi
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/_emulator/health" 2>/dev/null; then
      umask 077
      printf 'HCLOUD_ENDPOINT=%s\nHCLOUD_TOKEN=%s\n' "$endpoint" "$token" >"$ENV_FILE"
      log "running with the $backend backend (pid $pid, log $LOG_FILE)"
      print_env
      return 0
    fi
    sleep 0.2
  done
  log "the emulator did not answer within 120 s (log: $LOG_FILE)"
  kill "$pid" 2>/dev/null || true
  exit 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log "not running"
    rm -f "$PID_FILE" "$ENV_FILE"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIGTERM for 60 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$ENV_FILE"
  log "stopped (pid $pid)"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) if pid="$(running_pid)"; then log "running (pid $pid)"; else log "not running"; exit 3; fi ;;
  env) if running_pid >/dev/null; then print_env; else log "not running"; exit 3; fi ;;
  *) echo "usage: $0 start [--backend virtual|hosts] [--port N] [--state-file PATH] | stop | status | env" >&2; exit 2 ;;
esac
