#!/usr/bin/env bash
# Publishes a BuildRequested with Kafka's own console producer (what a CI job does), CloudEvents headers included.
#   deploy/publish-build-request.sh FAMILY [OVERRIDES_JSON] [BUILD_ID]
# Env: KAFKA_BOOTSTRAP_SERVERS (default 127.0.0.1:19092), REQUESTED_BY (default ci/$USER).
# Prints the build id. OVERRIDES_JSON is e.g. '{"networkMode":"ipv6","extraVars":{"runtime_baseline_extra_packages":["htop"]}}'
#   (keys of BuildOverrides; extraVars only the family's overridable variables, see docs/security.md).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
FAMILY=${1:?usage: $0 FAMILY [OVERRIDES_JSON] [BUILD_ID]}
OVERRIDES=${2:-null}
BUILD_ID=${3:-$(cat /proc/sys/kernel/random/uuid)}
BOOTSTRAP=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:19092}
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LIBS=$ROOT/.local/kafka-libs
[ -f "$LIBS/.complete" ] || "$ROOT/deploy/kafka-local.sh" topics >/dev/null 2>&1 || true
[ -f "$LIBS/.complete" ] || { echo "Kafka tools missing: run deploy/kafka-local.sh start" >&2; exit 1; }
value=$(printf '{"buildId":"%s","family":"%s","overrides":%s,"requestedBy":"%s","occurredAt":"%s"}' \
  "$BUILD_ID" "$FAMILY" "$OVERRIDES" "${REQUESTED_BY:-ci/${USER:-root}}" "$NOW")
headers="ce_specversion:1.0,ce_id:$(cat /proc/sys/kernel/random/uuid),ce_source:/goldsmith/ci,ce_type:dev.goldsmith.build.requested.v1,ce_time:$NOW,ce_subject:$BUILD_ID,content-type:application/json"
# one line: headers <TAB> key <TAB> value
printf '%s\t%s\t%s\n' "$headers" "$BUILD_ID" "$value" |
  java -Xmx128m -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" -Dkafka.logs.dir="${TMPDIR:-/tmp}" -cp "$LIBS/*" \
    org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$BOOTSTRAP" --topic goldsmith.build.requested \
    --property parse.key=true --property parse.headers=true >&2
echo "$BUILD_ID"
