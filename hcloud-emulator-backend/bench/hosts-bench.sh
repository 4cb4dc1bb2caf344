#!/bin/sh
# Measures the hosts backend on this machine: runs HostsBackendIT (real servers; needs root) and
# prints its FIGURE lines (times and sizes). REBUILD=1 also rebuilds the shared debian-12 base image
# (mmdebstrap) to time it. Run from the repository root.
set -eu
log=$(mktemp /tmp/gs-hosts-bench.XXXXXX)
rebuild=${REBUILD:-0}
flag=""
[ "$rebuild" = 1 ] && flag="-Dhosts.it.rebuild-base-image=true"
flock /tmp/gs-build-hcloud-emulator-backend.lock \
  ./mvnw -B -pl hcloud-emulator-backend verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=HostsBackendIT $flag >"$log" 2>&1 || { tail -50 "$log"; exit 1; }
grep -E 'FIGURE|INFO: built base image|Tests run:' "$log"
echo "full log: $log"
