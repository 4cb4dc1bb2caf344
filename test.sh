#!/usr/bin/env bash
# The test command of the README: static checks of the ansible/ tree, then every module's unit tests (Surefire, *Test)
# and integration tests (Failsafe, *IT) against the real Kafka and PostgreSQL that deploy/ scripts start.
# Needs: deploy/kafka-local.sh start && deploy/postgres-local.sh start (.ci/run does both).
set -euo pipefail
cd "$(dirname "$0")"
if [ -x ansible/ci-lint.sh ]; then
  echo "== ansible: yamllint, ansible-lint (production profile), syntax check =="
  ansible/ci-lint.sh
fi
echo "== maven verify =="
./mvnw -B verify -Dkafka.bootstrap="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:19092}" "$@"
