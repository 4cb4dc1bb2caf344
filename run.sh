#!/usr/bin/env bash
# The main job: a full build → verify → promote of a family on the local stack (Hetzner emulator with real hosts,
# real Kafka and PostgreSQL, the four services as separate processes).
#   ./run.sh [FAMILY] [--network-mode ipv4|ipv6|auto]   start the stack, request a build, follow it, print the result
#   ./run.sh stop                                        tear everything down (also what Ctrl-C does)
#   ./run.sh status
# The stack stays up after a build so operators can use the registry's API; ./run.sh stop ends it.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
case "${1:-}" in
  stop) exec deploy/stack.sh stop ;;
  status) exec deploy/stack.sh status ;;
  -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
esac
FAMILY=vault-base; MODE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --network-mode) MODE=$2; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) FAMILY=$1; shift ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "run as root: the emulator's servers are real hosts (namespaces, mounts)" >&2; exit 1; }

t0=$(date +%s)
elapsed() { echo $(( $(date +%s) - t0 )); }
say() { printf '[%4ss] %s\n' "$(elapsed)" "$*"; }
trap 'echo; say "interrupted: tearing everything down"; deploy/stack.sh stop; exit 130' INT TERM

say "starting the stack (packages, build, PostgreSQL, Kafka, emulator, services); logs in .local/stack/logs"
eval "$(deploy/stack.sh start 2> >(sed 's/^/         /' >&2))"
say "stack ready: registry $GOLDSMITH_REGISTRY, emulator $HCLOUD_ENDPOINT"

# the goldsmith CLI publishes the BuildRequested and follows the build: one line per stage (seconds since the
# request, then the stage's own time), the users x binaries matrix, and an exit code that says how it ended
BUILD_ID=$(cat /proc/sys/kernel/random/uuid)
[ -f goldsmith-cli/target/goldsmith.jar ] || { say "building the goldsmith CLI"; ./mvnw -B -q package -DskipTests -pl goldsmith-cli -am >/dev/null; }
set +e
bin/goldsmith build "$FAMILY" --watch --build-id "$BUILD_ID" --elapsed-from "$t0" ${MODE:+--network-mode "$MODE"} \
  --requested-by "run.sh/${USER:-root}" --registry "$GOLDSMITH_REGISTRY" --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS"
rc=$?
set -e

servers=$(curl -fsS -H "Authorization: Bearer $HCLOUD_TOKEN" "$HCLOUD_ENDPOINT/servers" | jq '.servers | length')
if [ "$rc" = 0 ]; then
  promoted=$(curl -fsS "$GOLDSMITH_REGISTRY/api/families/$FAMILY/promoted")
  say "DONE: $FAMILY $(jq -r .version <<<"$promoted") promoted as image $(jq -r .imageId <<<"$promoted") (servers left: $servers)"
  echo "stack still up for the API ($GOLDSMITH_REGISTRY/q/swagger-ui); ./run.sh stop tears it down"
else
  say "build ended with exit code $rc (bin/goldsmith --help lists them; servers left: $servers); details:" \
    "bin/goldsmith build show $BUILD_ID --registry $GOLDSMITH_REGISTRY"
  exit 1
fi
