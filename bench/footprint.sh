#!/usr/bin/env bash
# Footprint of the running stack's services: resident memory (VmRSS) and the start time Quarkus logged, per instance,
# against the issue's goals (<= 256 MB RSS, <= 3 s to ready on the JVM). Run it after a build (./run.sh) for the RSS
# of a service that has worked. Starts the stack if it is down.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
stack_up
printf '%-16s %8s %10s %10s  %s\n' service pid "rss MB" "start s" "goals (256 MB, 3 s)"
for f in "$STACK_DIR"/*.pid; do
  name=$(basename "$f" .pid)
  case "$name" in registry*|provisioner*|configurator*|verifier*) ;; *) continue ;; esac
  pid=$(cat "$f")
  kill -0 "$pid" 2>/dev/null || continue
  rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
  start=$(grep -ao 'started in [0-9.]*s' "$STACK_DIR/logs/$name.log" | tail -1 | grep -o '[0-9.]*' || echo "?")
  verdict=$(awk -v r="$rss" -v s="$start" 'BEGIN { printf "%s, %s", (r <= 256 ? "rss met" : "rss not met"), (s != "?" && s <= 3 ? "start met" : "start not met") }')
  printf '%-16s %8s %10s %10s  %s\n' "$name" "$pid" "$rss" "$start" "$verdict"
done
