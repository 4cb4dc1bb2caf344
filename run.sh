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

overrides=null
[ -n "$MODE" ] && overrides="{\"networkMode\":\"$MODE\"}"
BUILD_ID=$(KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS REQUESTED_BY="run.sh/${USER:-root}" \
  deploy/publish-build-request.sh "$FAMILY" "$overrides" 2>/dev/null)
say "BuildRequested $FAMILY (build $BUILD_ID)"
tb=$(date +%s)

# one line per stage, from the registry's timeline of the build
seen=0; status=""
declare -A label=([BUILD_ACCEPTED]="accepted: version allocated" [BUILDER_READY]="provisioned: builder running"
  [BUILDER_CONFIGURED]="configured: playbook ran" [SNAPSHOT_CREATED]="snapshotted: builder deleted"
  [VERIFICATION_FINISHED]="verified on a fresh server" [IMAGE_PROMOTED]="promoted" [BUILD_FAILED]="failed"
  [BUILD_REJECTED]="rejected")
while :; do
  detail=$(curl -fsS "$GOLDSMITH_REGISTRY/api/builds/$BUILD_ID" 2>/dev/null || true)
  if [ -n "$detail" ]; then
    n=$(jq '.timeline | length' <<<"$detail")
    while [ "$seen" -lt "$n" ]; do
      ev=$(jq -c ".timeline[$seen]" <<<"$detail"); type=$(jq -r .eventType <<<"$ev")
      extra=""
      case "$type" in
        BUILD_ACCEPTED) extra="$(jq -r '.event.spec.version' <<<"$ev")" ;;
        BUILDER_READY) extra="server $(jq -r '.event.serverId' <<<"$ev") $(jq -r '.event.ipv4' <<<"$ev")" ;;
        BUILDER_CONFIGURED) extra="$(jq -r '.event.outcome' <<<"$ev"), changed=$(jq -r '.event.changed' <<<"$ev")" ;;
        SNAPSHOT_CREATED) extra="image $(jq -r '.event.imageId' <<<"$ev")" ;;
        VERIFICATION_FINISHED) extra="$(jq -r '.event.verdict' <<<"$ev") over $(jq -r '.event.addressFamily' <<<"$ev"): $(jq -r '.event.report.summary' <<<"$ev")" ;;
        BUILD_FAILED) extra="$(jq -r '.event.stage + ": " + .event.message' <<<"$ev")" ;;
        BUILD_REJECTED) extra="$(jq -r '.event.errors | join("; ")' <<<"$ev")" ;;
      esac
      [ "$type" = BUILD_REQUESTED ] || say "$(printf '%-34s' "${label[$type]:-$type}") +$(( $(date +%s) - tb ))s ${extra}"
      seen=$((seen+1))
    done
    status=$(jq -r .build.status <<<"$detail")
    case "$status" in
      PROMOTED) jq -e '.timeline[] | select(.eventType=="IMAGE_PROMOTED")' <<<"$detail" >/dev/null && break ;;
      DEFECTIVE|UNVERIFIED|FAILED|REJECTED|VERIFIED) break ;;
    esac
  fi
  sleep 1
done

servers=$(curl -fsS -H "Authorization: Bearer $HCLOUD_TOKEN" "$HCLOUD_ENDPOINT/servers" | jq '.servers | length')
if [ "$status" = PROMOTED ]; then
  promoted=$(curl -fsS "$GOLDSMITH_REGISTRY/api/families/$FAMILY/promoted")
  say "DONE: $FAMILY $(jq -r .version <<<"$promoted") promoted as image $(jq -r .imageId <<<"$promoted") (servers left: $servers)"
  echo "stack still up for the API ($GOLDSMITH_REGISTRY/q/swagger-ui); ./run.sh stop tears it down"
else
  say "build ended $status (servers left: $servers); details: curl $GOLDSMITH_REGISTRY/api/builds/$BUILD_ID"
  exit 1
fi
