#!/usr/bin/env bash
# Real Apache Kafka (KRaft, no ZooKeeper, no Docker) on 127.0.0.1, run from Maven Central jars.
#   deploy/kafka-local.sh start [NODES] [STATE_DIR]   NODES=1 (default) or 3; each node is broker+controller.
#                                                     Idempotent: a running cluster is left alone. Creates the topics.
#   deploy/kafka-local.sh stop  [STATE_DIR]
#   deploy/kafka-local.sh status [STATE_DIR]
#   deploy/kafka-local.sh bootstrap [STATE_DIR]       prints the bootstrap servers
#   deploy/kafka-local.sh topics [STATE_DIR]          (re)creates the topics of deploy/kafka/topics.txt
# Env: KAFKA_HEAP (512m), KAFKA_PORT_BASE (19092), KAFKA_PARTITIONS (6), JAVA (java).
# State (data, logs, pids) defaults to .local/kafka; it stays out of target/ so `mvn clean` cannot delete a live broker's data.
# Node i listens on PORT_BASE+100*(i-1) for clients and on that +1 for the controller quorum.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
CMD=${1:-start}
JAVA=${JAVA:-java}; HEAP=${KAFKA_HEAP:-512m}; BASE_PORT=${KAFKA_PORT_BASE:-19092}; PARTITIONS=${KAFKA_PARTITIONS:-6}
LIBS=$ROOT/.local/kafka-libs; DEFAULT_STATE=$ROOT/.local/kafka

log() { echo "kafka-local: $*" >&2; }

libs() {   # resolve broker + tools jars once (cached in ~/.m2 afterwards)
  [ -f "$LIBS/.complete" ] && return
  log "resolving Kafka jars into $LIBS"
  "$ROOT/mvnw" -B -q -f "$HERE/kafka/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS" >&2
  touch "$LIBS/.complete"
}
bport() { echo $(( BASE_PORT + 100 * ($1 - 1) )); }
cport() { echo $(( BASE_PORT + 100 * ($1 - 1) + 1 )); }
alive() { local f=$1; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && grep -q kafka.Kafka "/proc/$(cat "$f")/cmdline" 2>/dev/null; }
jopts() { echo "-Dkafka.logs.dir=$1/logs -Dlog4j2.configurationFile=$HERE/kafka/log4j2.properties"; }

start() {
  local n=${1:-1} state=${2:-$DEFAULT_STATE}; libs; mkdir -p "$state"; state=$(cd "$state" && pwd)
  if [ -f "$state/nodes" ] && [ "$(cat "$state/nodes")" != "$n" ]; then
    log "$state holds a $(cat "$state/nodes")-node cluster; stop it and remove $state to change the size"; exit 1
  fi
  echo "$n" > "$state/nodes"
  local voters="" rf=1 isr=1 i
  for i in $(seq 1 "$n"); do voters+="${voters:+,}$i@127.0.0.1:$(cport "$i")"; done
  [ "$n" -ge 3 ] && rf=3 && isr=2
  [ -f "$state/cluster.id" ] || "$JAVA" -cp "$LIBS/*" kafka.tools.StorageTool random-uuid > "$state/cluster.id"
  for i in $(seq 1 "$n"); do
    local d=$state/node$i
    if alive "$d/kafka.pid"; then log "node $i already running (pid $(cat "$d/kafka.pid"))"; continue; fi
    mkdir -p "$d/data" "$d/logs"
    cat > "$d/server.properties" <<PROPS
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(bport "$i"),CONTROLLER://127.0.0.1:$(cport "$i")
advertised.listeners=PLAINTEXT://127.0.0.1:$(bport "$i")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$d/data
num.partitions=$PARTITIONS
default.replication.factor=$rf
min.insync.replicas=$isr
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$isr
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
    # shellcheck disable=SC2046
    [ -f "$d/data/meta.properties" ] || "$JAVA" -Xmx256m $(jopts "$d") -cp "$LIBS/*" kafka.tools.StorageTool \
        format -t "$(cat "$state/cluster.id")" -c "$d/server.properties" > "$d/logs/format.log"
    : > "$d/logs/server.log"
    # shellcheck disable=SC2046
    setsid nohup "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -Djava.awt.headless=true $(jopts "$d") \
        -cp "$LIBS/*" kafka.Kafka "$d/server.properties" > "$d/logs/stdout.log" 2>&1 < /dev/null &
    echo $! > "$d/kafka.pid"
    log "node $i started (pid $!), log $d/logs/server.log"
  done
  for i in $(seq 1 "$n"); do   # ready = broker registered with the quorum and unfenced
    local t=0
    until grep -q "Kafka Server started" "$state/node$i/logs/server.log" 2>/dev/null; do
      alive "$state/node$i/kafka.pid" || { log "node $i died, see $state/node$i/logs"; exit 1; }
      t=$((t+1)); [ $t -gt 1200 ] && { log "node $i not ready after 120 s"; exit 1; }
      sleep 0.1
    done
  done
  topics "$state"
  bootstrap "$state"
}

topics() {
  local state=${1:-$DEFAULT_STATE} rf=1 existing t
  [ "$(cat "$state/nodes" 2>/dev/null || echo 1)" -ge 3 ] && rf=3
  local tool=(env "$JAVA" -Xmx128m "-Dlog4j2.configurationFile=$HERE/kafka/log4j2.properties" "-Dkafka.logs.dir=$state" -cp "$LIBS/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap "$state")")
  existing=$("${tool[@]}" --list 2>/dev/null)
  while read -r t; do
    case "$t" in ''|'#'*) continue ;; esac
    grep -qx "$t" <<<"$existing" && continue
    "${tool[@]}" --create --if-not-exists --topic "$t" --partitions "$PARTITIONS" --replication-factor "$rf" >/dev/null
    log "topic $t created ($PARTITIONS partitions)"
  done < "$HERE/kafka/topics.txt"
}

stop() {
  local state=${1:-$DEFAULT_STATE} f p t
  for f in "$state"/node*/kafka.pid; do alive "$f" && kill "$(cat "$f")" 2>/dev/null || true; done
  for f in "$state"/node*/kafka.pid; do
    [ -f "$f" ] || continue; p=$(cat "$f"); t=0
    if grep -q kafka.Kafka "/proc/$p/cmdline" 2>/dev/null; then
      while kill -0 "$p" 2>/dev/null; do t=$((t+1)); [ $t -gt 300 ] && { kill -9 "$p" 2>/dev/null || true; break; }; sleep 0.1; done
    fi
    rm -f "$f"
  done
  log "stopped"
}

status() {
  local state=${1:-$DEFAULT_STATE} f rc=1
  for f in "$state"/node*/kafka.pid; do
    if alive "$f"; then echo "$(dirname "$f"): running (pid $(cat "$f"))"; rc=0; else echo "$(dirname "$f"): stopped"; fi
  done
  return $rc
}

bootstrap() {
  local state=${1:-$DEFAULT_STATE} out="" i n
  n=$(cat "$state/nodes" 2>/dev/null || echo 1)
  for i in $(seq 1 "$n"); do out+="${out:+,}127.0.0.1:$(bport "$i")"; done
  echo "$out"
}

case "$CMD" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  status) shift; status "$@" ;;
  topics) shift; libs; topics "$@" ;;
  bootstrap) shift; bootstrap "$@" ;;
  *) echo "usage: $0 start [1|3] [state-dir] | stop [state-dir] | status [state-dir] | topics [state-dir] | bootstrap [state-dir]" >&2; exit 2 ;;
esac
