#!/usr/bin/env bash
# Operators' on-demand check: boots a fresh server from an image, runs the verifier's checks with the
# same cleanup as the service, prints the users x binaries matrix, exits 0 only when it PASSED.
#
#   verifier-service/bin/test-image.sh --image-id 12345 --server-name check-vault-1 \
#       [--family vault-base | --matrix matrix.yml] [--network-mode ipv4|ipv6|auto]
#
# Environment: HCLOUD_TOKEN (required), HCLOUD_ENDPOINT (default: the public API),
# GOLDSMITH_VERIFIER_SSH_KEY_DIR (the verifier key pair; generated there when missing).
# Exit codes: 0 passed, 1 artifact defect, 2 usage, 3 channel failure, 4 infra failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
jar="$here/target/quarkus-app/quarkus-run.jar"
if [[ ! -f "$jar" ]]; then
  echo "building verifier-service first ($jar is missing)" >&2
  (cd "$repo" && ./mvnw -B -pl verifier-service package -DskipTests >&2)
fi
: "${HCLOUD_TOKEN:?HCLOUD_TOKEN must be set}"
key_dir="${GOLDSMITH_VERIFIER_SSH_KEY_DIR:-$HOME/.goldsmith/verifier-ssh}"

# Family files are looked up relative to the repository unless --families-dir is given.
cd "$repo"
exec java -Dquarkus.profile=cli \
  -Dgoldsmith.verifier.ssh.key-dir="$key_dir" \
  -jar "$jar" test-image "$@"
