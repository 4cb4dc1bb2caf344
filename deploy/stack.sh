#!/usr/bin/env bash
# The local Goldsmith stack: real Kafka (KRaft), PostgreSQL, the Hetzner emulator (hosts backend: servers are real
# Linux hosts) and the four services, each a separate process with its own log.
#   deploy/stack.sh start     build what is missing, start everything, wait until every service is ready, print env lines
#   deploy/stack.sh stop      stop everything this stack started (services, emulator and its hosts, Kafka), by PID
#   deploy/stack.sh status
#   deploy/stack.sh reset     stop, then forget the stack's state (its dir, its Kafka data, its database, and the
#                             emulator's hosts state: server disks, snapshot layers, images, fault rules)
#   deploy/stack.sh env       print the stack's env lines (KAFKA_BOOTSTRAP_SERVERS, HCLOUD_ENDPOINT, HCLOUD_TOKEN, …)
# Fixed ports stay below the kernel's ephemeral range (32768+): a client connection's local port there, even in
# TIME_WAIT, would keep a listener from binding.
# Env (defaults in brackets): STACK_DIR [.local/stack], STACK_KAFKA_PORT [17092], STACK_PORT_BASE [18080: emulator
#   +0, registry +1, provisioner +2, configurator +3, verifier +4], STACK_DB [goldsmith], STACK_HOSTS_INSTANCE [7: the
#   stack's own; tests take only 0..6], STACK_HOSTS_STATE_DIR [/var/lib/goldsmith-emulator/hosts-<instance>],
#   STACK_BACKEND [hosts], STACK_FAMILIES_DIR [ansible/families: the registry's family files; another dir needs
#   -Dgoldsmith.registry.families.roles-dir=<ansible>/roles in STACK_OPTS_REGISTRY],
#   STACK_BUILD [auto: package when a runnable jar is missing; always|never],
#   STACK_OPTS_<COMPONENT> extra JVM options of one component (e.g. STACK_OPTS_VERIFIER=-Dgoldsmith.verifier.max-attempts=2),
#   STACK_LOG_JSON [false: text lines; true: the services log one JSON object per line, GOLDSMITH_LOG_JSON],
#   STACK_REPLICAS [1] instances of every service (registry, provisioner, configurator, verifier), each overridable
#   per service: STACK_REGISTRY_REPLICAS, STACK_PROVISIONER_REPLICAS, STACK_CONFIGURATOR_REPLICAS,
#   STACK_VERIFIER_REPLICAS [all: STACK_REPLICAS], each 1..99. The instances of a service share the broker, the
#   database and the consumer group. Instance 1 is "<service>" on its port above; instance k >= 2 is "<service>-k" on
#   +10*(k-1) plus the service's offset (registry-2 +11, provisioner-2 +12, configurator-2 +13, verifier-2 +14,
#   registry-3 +21, …), with its own log (logs/<name>.log), pid file (<name>.pid) and working dir (<name>/).
#   Shared by the instances of a service, as on several machines given the same secrets: the configurator's SSH key
#   pair, the verifier's SSH key pair and the provisioner's host-key dir (provisioner README: instances must share
#   it to continue each other's builds); the configurator's ansible work and log dirs are per instance.
# Every service gets the stack's installation id (goldsmith.installation-id, kept in $STACK_DIR/installation-id).
# Against real Hetzner none of this is used: see docs/operations.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
STACK_DIR=${STACK_DIR:-$ROOT/.local/stack}; mkdir -p "$STACK_DIR"; STACK_DIR=$(cd "$STACK_DIR" && pwd)
KAFKA_PORT=${STACK_KAFKA_PORT:-17092}; PORT_BASE=${STACK_PORT_BASE:-18080}; DB=${STACK_DB:-goldsmith}
INSTANCE=${STACK_HOSTS_INSTANCE:-7}; BACKEND=${STACK_BACKEND:-hosts}; BUILD=${STACK_BUILD:-auto}
HOSTS_STATE=${STACK_HOSTS_STATE_DIR:-/var/lib/goldsmith-emulator/hosts-$INSTANCE}
FAMILIES_DIR=${STACK_FAMILIES_DIR:-$ROOT/ansible/families}
KINDS=(registry provisioner configurator verifier)
replicas_of() { local v="STACK_${1^^}_REPLICAS"; echo "${!v:-${STACK_REPLICAS:-1}}"; }
[[ ${STACK_REPLICAS:-1} =~ ^[1-9][0-9]?$ ]] || { echo "stack: STACK_REPLICAS must be 1..99" >&2; exit 2; }
for kind in "${KINDS[@]}"; do
  [[ $(replicas_of "$kind") =~ ^[1-9][0-9]?$ ]] || { echo "stack: STACK_${kind^^}_REPLICAS must be 1..99" >&2; exit 2; }
done
instances_of() { local k; echo "$1"; for ((k = 2; k <= $(replicas_of "$1"); k++)); do echo "$1-$k"; done; }
mapfile -t REGISTRIES < <(instances_of registry)
SERVICES=(); for kind in "${KINDS[@]}"; do mapfile -t -O "${#SERVICES[@]}" SERVICES < <(instances_of "$kind"); done
log() { echo "stack: $*" >&2; }

kind_of() { echo "${1%-[0-9]*}"; }   # registry-2 -> registry
index_of() { case $1 in *-[0-9]*) echo "${1##*-}";; *) echo 1;; esac; }
offset_of() { case $1 in emulator) echo 0;; registry) echo 1;; provisioner) echo 2;; configurator) echo 3;; verifier) echo 4;; esac; }
port_of() { echo $((PORT_BASE + 10 * ($(index_of "$1") - 1) + $(offset_of "$(kind_of "$1")"))); }
jar_of() { case $1 in emulator) echo "$ROOT/hcloud-emulator/target/quarkus-app/quarkus-run.jar";;
  *) echo "$ROOT/$(kind_of "$1")-service/target/quarkus-app/quarkus-run.jar";; esac; }
# every instance this stack dir has a pid file for (whatever the replica counts are now), services first
started_instances() {
  local f n kind
  for kind in verifier configurator provisioner registry; do
    for f in "$STACK_DIR/$kind".pid "$STACK_DIR/$kind"-[0-9]*.pid; do
      [ -e "$f" ] || continue; n=${f##*/}; echo "${n%.pid}"
    done | sort -t- -k2,2nr
  done
}
alive() { local f=$STACK_DIR/$1.pid; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && grep -q quarkus-run "/proc/$(cat "$f")/cmdline" 2>/dev/null; }
# Token files are created under umask 077 (0600): only the stack's user reads them.
secret_file() { [ -f "$1" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$1"); cat "$1"; }
token() { secret_file "$STACK_DIR/hcloud-token"; }
api_token() { secret_file "$STACK_DIR/registry-token"; }
installation_id() { [ -f "$STACK_DIR/installation-id" ] || cat /proc/sys/kernel/random/uuid > "$STACK_DIR/installation-id"; cat "$STACK_DIR/installation-id"; }

env_lines() {
  echo "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT"
  echo "HCLOUD_ENDPOINT=http://127.0.0.1:$(port_of emulator)/v1"
  echo "HCLOUD_TOKEN=$(token)"
  echo "GOLDSMITH_EMULATOR=http://127.0.0.1:$(port_of emulator)"
  echo "GOLDSMITH_REGISTRY=http://127.0.0.1:$(port_of registry)"
  local r urls=(); for r in "${REGISTRIES[@]}"; do urls+=("http://127.0.0.1:$(port_of "$r")"); done
  echo "GOLDSMITH_REGISTRIES=$(IFS=,; echo "${urls[*]}")"
  echo "GOLDSMITH_INSTALLATION_ID=$(installation_id)"
  echo "GOLDSMITH_REGISTRY_TOKEN=$(api_token)"
}

build() {
  local missing=0 c
  for c in emulator "${SERVICES[@]}"; do [ -f "$(jar_of "$c")" ] || missing=1; done
  if [ "$BUILD" = always ] || { [ "$BUILD" = auto ] && [ $missing = 1 ]; }; then
    log "building (./mvnw -B package -DskipTests)"
    "$ROOT/mvnw" -B -q package -DskipTests >"$STACK_DIR/build.log" 2>&1 || { tail -40 "$STACK_DIR/build.log" >&2; exit 1; }
  fi
}

# extra JVM options per component: STACK_OPTS_EMULATOR, STACK_OPTS_REGISTRY, STACK_OPTS_PROVISIONER, …
extra_opts() { local n=${1%%-*}; local v="STACK_OPTS_${n^^}"; echo "${!v:-}"; }

launch() {   # name, then -D options
  local name=$1; shift
  if alive "$name"; then log "$name already running (pid $(cat "$STACK_DIR/$name.pid"))"; return; fi
  mkdir -p "$STACK_DIR/logs" "$STACK_DIR/$name"
  # environment carries the broker and the Hetzner endpoint/token; the token is never on a command line
  (
    cd "$STACK_DIR/$name" || exit 1
    # only the java process goes to the background, so $! is its PID
    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT HCLOUD_ENDPOINT="http://127.0.0.1:$(port_of emulator)/v1" \
      HCLOUD_TOKEN="$(token)" EMULATOR_TOKENS="$(token)" GOLDSMITH_REGISTRY_API_TOKENS="$(api_token)" \
      GOLDSMITH_LOG_JSON="${STACK_LOG_JSON:-${GOLDSMITH_LOG_JSON:-false}}" \
      setsid nohup java -Xmx384m -XX:+UseSerialGC -Dquarkus.http.port="$(port_of "$name")" \
        -Dgoldsmith.installation-id="$(installation_id)" "$@" $(extra_opts "$name") -jar "$(jar_of "$name")" \
      >"$STACK_DIR/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$STACK_DIR/$name.pid"
  )
  log "$name started (pid $(cat "$STACK_DIR/$name.pid"), port $(port_of "$name"), log $STACK_DIR/logs/$name.log)"
}

wait_ready() {   # name, path
  local name=$1 path=$2 t=0
  until curl -fsS -o /dev/null "http://127.0.0.1:$(port_of "$name")$path" 2>/dev/null; do
    # liveness by PID only: right after the start the process may still be exec'ing (empty cmdline)
    kill -0 "$(cat "$STACK_DIR/$name.pid")" 2>/dev/null ||
      { log "$name died; last lines of its log:"; tail -30 "$STACK_DIR/logs/$name.log" >&2; exit 1; }
    t=$((t+1)); [ $t -gt 1800 ] && { log "$name not ready after 180 s"; tail -30 "$STACK_DIR/logs/$name.log" >&2; exit 1; }
    sleep 0.1
  done
}

launch_instance() {   # name: one instance of a service with its options
  local name=$1
  case $(kind_of "$name") in
    registry) launch "$name" -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:5432/$DB" \
      -Dgoldsmith.registry.families.dir="$FAMILIES_DIR" ;;
    provisioner) launch "$name" -Dgoldsmith.provisioner.builder.host-key-dir="$STACK_DIR/provisioner/host-keys" ;;
    configurator) launch "$name" -Dgoldsmith.configurator.ssh.generate-if-missing=true \
      -Dgoldsmith.configurator.ansible.dir="$ROOT/ansible" \
      -Dgoldsmith.configurator.ansible.work-dir="$STACK_DIR/$name/work" \
      -Dgoldsmith.configurator.ansible.log-dir="$STACK_DIR/$name/logs" \
      -Dgoldsmith.configurator.ssh.private-key="$STACK_DIR/configurator/id_ed25519" ;;
    verifier) launch "$name" -Dgoldsmith.verifier.ssh.generate-if-missing=true \
      -Dgoldsmith.verifier.ssh.key-dir="$STACK_DIR/verifier/ssh" ;;
  esac
}

start() {
  "$HERE/install-packages.sh" >&2
  build
  "$HERE/postgres-local.sh" start
  psql -X -q -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='$DB'" 2>/dev/null | grep -q 1 ||
    psql -X -q -h 127.0.0.1 -U postgres -c "create database $DB owner goldsmith" >&2
  KAFKA_PORT_BASE=$KAFKA_PORT "$HERE/kafka-local.sh" start 1 "$STACK_DIR/kafka" >/dev/null
  # the hosts keep their disks across restarts only while the API state that knows them exists
  local reclaim=false; [ -f "$STACK_DIR/emulator/state.json" ] && reclaim=true
  # instance 7 is the stack's: tests and ad-hoc emulators take only 0..6 (InstanceSlots)
  [ "$INSTANCE" = 7 ] || log "warning: hosts instance $INSTANCE is a test slot; a test run may take it too"
  launch emulator -Dquarkus.http.host=127.0.0.1 -Demulator.backend="$BACKEND" -Demulator.hosts.instance="$INSTANCE" \
    -Demulator.hosts.state-dir="$HOSTS_STATE" \
    -Demulator.hosts.reclaim=$reclaim -Demulator.state-file="$STACK_DIR/emulator/state.json"
  wait_ready emulator /_emulator/health
  # Instance 1 of each service first: the registry's migrates the schema, the configurator's and the verifier's
  # generate the key pairs the other instances share. The other instances start once it is ready.
  local s
  for s in registry provisioner configurator verifier; do launch_instance "$s"; done
  for s in registry provisioner configurator verifier; do wait_ready "$s" /q/health/ready; done
  for s in "${SERVICES[@]}"; do [ "$(index_of "$s")" = 1 ] || launch_instance "$s"; done
  for s in "${SERVICES[@]}"; do wait_ready "$s" /q/health/ready; done
  log "ready"
  env_lines
}

stop() {
  local s p t
  for s in $(started_instances) emulator; do
    alive "$s" || { rm -f "$STACK_DIR/$s.pid"; continue; }
    p=$(cat "$STACK_DIR/$s.pid"); kill "$p" 2>/dev/null || true; t=0
    # the emulator stops its hosts on shutdown; give it time
    while kill -0 "$p" 2>/dev/null; do t=$((t+1)); [ $t -gt 900 ] && { kill -9 "$p" 2>/dev/null || true; break; }; sleep 0.1; done
    rm -f "$STACK_DIR/$s.pid"; log "$s stopped"
  done
  [ -d "$STACK_DIR/kafka" ] && KAFKA_PORT_BASE=$KAFKA_PORT "$HERE/kafka-local.sh" stop "$STACK_DIR/kafka" || true
}

status() {
  local s rc=0
  # the configured instances, then any other instance this stack dir still has a pid file for
  local extra; extra=$(started_instances | grep -vxF -f <(printf '%s\n' "${SERVICES[@]}") || true)
  for s in emulator "${SERVICES[@]}" $extra; do
    if alive "$s"; then echo "$s: running (pid $(cat "$STACK_DIR/$s.pid"), port $(port_of "$s"))"; else echo "$s: stopped"; rc=1; fi
  done
  KAFKA_PORT_BASE=$KAFKA_PORT "$HERE/kafka-local.sh" status "$STACK_DIR/kafka" || rc=1
  return $rc
}

# The emulator's hosts state of the stack's instance: server disks, snapshot layers, images, fault rules. Kept while
# any process holds its instance lock (a running emulator); overlay mounts a crashed emulator left are unmounted first.
remove_hosts_state() {
  [ -d "$HOSTS_STATE" ] || return 0
  if [ -n "$(find /proc/[0-9]*/fd -lname "$HOSTS_STATE/instance.lock" 2>/dev/null | head -1)" ]; then
    log "hosts instance $INSTANCE is in use by a running emulator; kept $HOSTS_STATE"; return 0
  fi
  local mp
  awk -v d="$HOSTS_STATE/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r mp; do
    umount "$mp" 2>/dev/null || umount -l "$mp"
  done
  rm -rf "$HOSTS_STATE"
  log "removed the hosts state $HOSTS_STATE"
}

reset() {
  stop
  rm -rf "$STACK_DIR"
  remove_hosts_state
  if "$HERE/postgres-local.sh" status >/dev/null 2>&1; then
    psql -X -q -h 127.0.0.1 -U postgres -c "drop database if exists $DB with (force)" >&2
  fi
  log "reset"
}

case "${1:-}" in
  start) start ;;
  reset) reset ;;
  stop) stop ;;
  status) status ;;
  env) env_lines ;;
  *) echo "usage: $0 start|stop|status|reset|env" >&2; exit 2 ;;
esac
