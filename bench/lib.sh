# Shared by the bench/ scripts (sourced). Each script prints figures; none of them asserts anything.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$ROOT/.local/stack}
BENCH_DIR=${BENCH_DIR:-$ROOT/.local/bench}
mkdir -p "$BENCH_DIR"

die() { echo "bench: $*" >&2; exit 1; }

# need COMMAND PACKAGE: installs the Debian package when the command is missing.
need() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] && return 0
  echo "bench: installing $2" >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$2" >/dev/null
}

# stack_up: the local stack is running (deploy/stack.sh start, which builds what is missing), its env exported.
stack_up() {
  if ! "$ROOT/deploy/stack.sh" status >/dev/null 2>&1; then
    echo "bench: starting the stack (deploy/stack.sh start)" >&2
    "$ROOT/deploy/stack.sh" start >/dev/null
  fi
  set -a
  eval "$("$ROOT/deploy/stack.sh" env)"
  set +a
}

# wrk_figures URL: runs wrk and prints "<req/s> <p50 ms> <p99 ms>".
wrk_figures() {
  wrk -t"${BENCH_THREADS:-2}" -c"${BENCH_CONNECTIONS:-32}" -d"${BENCH_DURATION:-10s}" --latency "$@" |
    awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /Requests\/sec:/ { rps = $2 }
      $1 == "50%" { p50 = ms($2) }
      $1 == "99%" { p99 = ms($2) }
      /Non-2xx or 3xx responses:/ { bad = $5 }
      END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }'
}
