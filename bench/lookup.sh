#!/usr/bin/env bash
# The promoted lookup at wire speed: wrk on GET /api/families/<family>/promoted of the running stack's registry, and on
# nginx serving the very same JSON body from a file on the same machine; prints req/s, p50 and p99 of each and the
# ratio (issue goal: registry >= 0.3x nginx, registry p99 <= 5 ms at 32 connections).
# Needs a promoted version of the family (./run.sh leaves one); starts the stack if it is down. Installs wrk and
# nginx-light (Debian) if missing. nginx runs from its own prefix under .local/bench and is stopped by PID.
# Env: BENCH_FAMILY [vault-base], BENCH_CONNECTIONS [32], BENCH_THREADS [2], BENCH_DURATION [10s],
#      BENCH_WARMUP [5s], BENCH_NGINX_PORT [18190]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
FAMILY=${BENCH_FAMILY:-vault-base}
PORT=${BENCH_NGINX_PORT:-18190}
need wrk wrk
need nginx nginx-light
stack_up

url="$GOLDSMITH_REGISTRY/api/families/$FAMILY/promoted"
dir="$BENCH_DIR/nginx"
mkdir -p "$dir/tmp"
curl -fsS "$url" >"$dir/promoted.json" || die "no promoted version of $FAMILY at $url (run ./run.sh first)"

cat >"$dir/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$PORT;
    location = /promoted { default_type application/json; alias $dir/promoted.json; }
  }
}
CONF
nginx -p "$dir" -c "$dir/nginx.conf"
trap '[ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$PORT/promoted" >/dev/null 2>&1 && break; sleep 0.1; done

echo "promoted lookup: ${BENCH_CONNECTIONS:-32} connections, ${BENCH_THREADS:-2} wrk threads, ${BENCH_DURATION:-10s} each after a ${BENCH_WARMUP:-5s} warm-up; $(nproc) cores"
BENCH_DURATION=${BENCH_WARMUP:-5s} wrk_figures "$url" >/dev/null
read -r r_rps r_p50 r_p99 r_bad < <(wrk_figures "$url")
etag=$(curl -fsS -D - -o /dev/null "$url" | awk -F': ' 'tolower($1) == "etag" { sub(/\r$/, "", $2); print $2 }')
if [ -n "$etag" ]; then
  read -r c_rps c_p50 c_p99 _ < <(wrk_figures -H "If-None-Match: $etag" "$url")
fi
BENCH_DURATION=${BENCH_WARMUP:-5s} wrk_figures "http://127.0.0.1:$PORT/promoted" >/dev/null
read -r n_rps n_p50 n_p99 _ < <(wrk_figures "http://127.0.0.1:$PORT/promoted")

printf '  %-34s %8s req/s  p50 %6s ms  p99 %6s ms%s\n' "registry GET …/$FAMILY/promoted" "$r_rps" "$r_p50" "$r_p99" \
  "$([ "$r_bad" -gt 0 ] && echo "  ($r_bad non-2xx)")"
[ -n "$etag" ] && printf '  %-34s %8s req/s  p50 %6s ms  p99 %6s ms\n' "registry, If-None-Match (304)" "$c_rps" "$c_p50" "$c_p99"
[ -z "$etag" ] && echo "  registry sends no ETag: no conditional case"
printf '  %-34s %8s req/s  p50 %6s ms  p99 %6s ms\n' "nginx, the same JSON from a file" "$n_rps" "$n_p50" "$n_p99"
awk -v r="$r_rps" -v n="$n_rps" -v p="$r_p99" 'BEGIN {
  printf "  ratio registry/nginx: %.3f (goal >= 0.3: %s); registry p99 %.2f ms (goal <= 5 ms: %s)\n",
    r / n, (r / n >= 0.3 ? "met" : "not met"), p, (p <= 5 ? "met" : "not met") }'
