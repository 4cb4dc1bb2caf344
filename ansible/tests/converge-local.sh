#!/bin/sh
# Converge golden-image.yml against a throwaway local target and check it, without the emulator:
# a Debian 12 root file system from a tarball, run as "chroot sshd" in its own mount and PID namespaces
# (a chroot target, not a hosts-backend server: no emulator needed), listening on 127.0.0.1 only. Run as root.
#
#   ansible/tests/converge-local.sh BASE_TARBALL [WORK_DIR]
#
# BASE_TARBALL: a root file system with openssh-server and python3, e.g. made by
#   mmdebstrap --variant=minbase --include=openssh-server,python3,ca-certificates bookworm base.tar.zst
# The target shares the host's network namespace (loopback port only), so apt inside it uses the host's
# package sources. Steps: a check-mode run (must change nothing); the first run (build key in root's
# authorized_keys, leftovers planted); a second run with the operator key (must report changed=0, parsed
# from the json callback); checks over SSH; a run with the seed's "root only" defect injected through
# extra vars. Everything lives in WORK_DIR and
# is removed at the end; the namespace's mounts vanish with its PID 1. GS_CONVERGE_KEEP=1 keeps the target
# running for inspection (stop it by sending SIGTERM to the child of the printed unshare pid).
set -eu

BASE=${1:?usage: converge-local.sh BASE_TARBALL [WORK_DIR]}
WORK=${2:-/tmp/gs-converge.$$}
PORT=${GS_CONVERGE_PORT:-2222}
ANSIBLE_DIR=$(cd "$(dirname "$0")/.." && pwd)
ROOTFS=$WORK/rootfs
PIDFILE=$WORK/unshare.pid

fail() { echo "converge-local: FAIL: $*" >&2; exit 1; }

stop_target() {
  if [ -s "$PIDFILE" ]; then
    upid=$(cat "$PIDFILE")
    # unshare --fork ignores SIGTERM: signal the namespace's PID 1 (sshd), then wait for unshare.
    child=$(cat "/proc/$upid/task/$upid/children" 2>/dev/null || true)
    [ -n "$child" ] && kill -TERM $child 2>/dev/null || true
    i=0
    while kill -0 "$upid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -0 "$upid" 2>/dev/null && kill -KILL "$upid" 2>/dev/null || true
    rm -f "$PIDFILE"
  fi
}

cleanup() {
  if [ "${GS_CONVERGE_KEEP:-0}" = 1 ]; then
    echo "converge-local: target kept (GS_CONVERGE_KEEP=1): unshare pid $(cat "$PIDFILE"), work dir $WORK" >&2
    return
  fi
  stop_target
  if grep -q " $ROOTFS" /proc/self/mountinfo; then
    echo "converge-local: mounts left under $ROOTFS, not removing $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT INT TERM

mkdir -p "$WORK" "$ROOTFS" "$WORK/cp"
tar --zstd -xpf "$BASE" -C "$ROOTFS"

# Identity as the emulator gives it: fresh host keys, a machine id, the build key and an operator key.
rm -f "$ROOTFS"/etc/ssh/ssh_host_*
ssh-keygen -A -f "$ROOTFS" >/dev/null
ssh-keygen -q -t ed25519 -N '' -C goldsmith-configurator -f "$WORK/build_key"
ssh-keygen -q -t ed25519 -N '' -C operator@example -f "$WORK/operator_key"
mkdir -p -m 0700 "$ROOTFS/root/.ssh"
cat "$WORK/build_key.pub" "$WORK/operator_key.pub" > "$ROOTFS/root/.ssh/authorized_keys"
chmod 0600 "$ROOTFS/root/.ssh/authorized_keys"
echo 0123456789abcdef0123456789abcdef > "$ROOTFS/etc/machine-id"
# Leftovers the hygiene role must remove.
echo "export HCLOUD_TOKEN=secret" > "$ROOTFS/root/.bash_history"
mkdir -p "$ROOTFS/var/lib/cloud/instances/1" "$ROOTFS/var/tmp/build-scratch"
ln -sfn /var/lib/cloud/instances/1 "$ROOTFS/var/lib/cloud/instance"
echo leftover > "$ROOTFS/var/tmp/build-scratch/file"

setsid unshare --mount --pid --fork --propagation private -- sh -c '
  M=$1; PORT=$2
  mount -t proc proc "$M/proc"
  mount -t sysfs -o ro sysfs "$M/sys"
  mount -t tmpfs -o mode=755,size=64k tmpfs "$M/dev"
  for n in null zero full random urandom tty; do touch "$M/dev/$n"; mount --bind "/dev/$n" "$M/dev/$n"; done
  mkdir "$M/dev/pts" "$M/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$M/dev/pts"
  ln -s pts/ptmx "$M/dev/ptmx"; ln -s /proc/self/fd "$M/dev/fd"
  mount -t tmpfs tmpfs "$M/dev/shm"
  mount -t tmpfs -o mode=755 tmpfs "$M/run"; mkdir "$M/run/sshd"
  exec chroot "$M" /usr/sbin/sshd -D -e -p "$PORT" -o ListenAddress=127.0.0.1
' sh "$ROOTFS" "$PORT" > "$WORK/sshd.log" 2>&1 &
echo $! > "$PIDFILE"

i=0
until ssh -q -i "$WORK/operator_key" -p "$PORT" -o BatchMode=yes -o StrictHostKeyChecking=accept-new \
  -o UserKnownHostsFile="$WORK/known_hosts" -o ConnectTimeout=1 root@127.0.0.1 true 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "target sshd did not answer: $(cat "$WORK/sshd.log")"; sleep 0.1
done

printf 'builder ansible_host=127.0.0.1 ansible_port=%s ansible_user=root\n' "$PORT" > "$WORK/inventory"
export ANSIBLE_CONFIG="$ANSIBLE_DIR/ansible.cfg" ANSIBLE_SSH_CONTROL_PATH_DIR="$WORK/cp"

playbook() { # KEY OUTPUT [ansible-playbook args...]
  key=$1; out=$2; shift 2
  ansible-playbook -i "$WORK/inventory" --private-key "$key" \
    --ssh-common-args "-o UserKnownHostsFile=$WORK/known_hosts" "$@" "$ANSIBLE_DIR/golden-image.yml" > "$out" 2>&1
}
stats() { # JSON_OUTPUT -> "ok=N changed=N failed=N unreachable=N"
  jq -r '.stats.builder | "ok=\(.ok) changed=\(.changed) failed=\(.failures) unreachable=\(.unreachable)"' "$1"
}
on_target() { ssh -q -i "$WORK/operator_key" -p "$PORT" -o BatchMode=yes -o UserKnownHostsFile="$WORK/known_hosts" root@127.0.0.1 "$@"; }

pubkey_blob() { cut -d' ' -f2 "$1"; }

echo "==> check mode on the fresh target: must succeed and change nothing"
ANSIBLE_STDOUT_CALLBACK=json playbook "$WORK/build_key" "$WORK/run0.json" --check \
  -e "{\"image_hygiene_build_pubkeys\": [\"$(cat "$WORK/build_key.pub")\"]}" || { cat "$WORK/run0.json"; fail "check run failed"; }
echo "check run: $(stats "$WORK/run0.json") (changes predicted, none made)"
on_target "grep -q '$(pubkey_blob "$WORK/build_key.pub")' /root/.ssh/authorized_keys" || fail "check mode removed the build key"
on_target 'test -s /etc/machine-id && test -e /root/.bash_history && ! id admin >/dev/null 2>&1 && ! command -v podman >/dev/null' \
  || fail "check mode changed the target"

echo "==> first run (build key, json callback)"
start=$(date +%s)
ANSIBLE_STDOUT_CALLBACK=json playbook "$WORK/build_key" "$WORK/run1.json" \
  -e "{\"image_hygiene_build_pubkeys\": [\"$(cat "$WORK/build_key.pub")\"]}" || { cat "$WORK/run1.json"; fail "first run failed"; }
echo "first run: $(stats "$WORK/run1.json") in $(($(date +%s) - start)) s"

echo "==> second run (operator key): must report changed=0"
start=$(date +%s)
ANSIBLE_STDOUT_CALLBACK=json playbook "$WORK/operator_key" "$WORK/run2.json" || { cat "$WORK/run2.json"; fail "second run failed"; }
echo "second run: $(stats "$WORK/run2.json") in $(($(date +%s) - start)) s"
changed=$(jq '.stats.builder.changed' "$WORK/run2.json")
if [ "$changed" != 0 ]; then
  jq -r '.plays[].tasks[] | select(.hosts.builder.changed == true) | .task.name' "$WORK/run2.json" >&2
  fail "second run changed $changed tasks"
fi

echo "==> checks over SSH"
for p in podman python3 curl jq; do
  on_target "command -v $p >/dev/null" || fail "$p missing for root"
  on_target "su - admin -c 'command -v $p' >/dev/null" || fail "$p missing for admin"
done
[ "$(on_target 'vault-preflight --version')" = "vault-preflight 1.0.0" ] || fail "vault-preflight --version as root"
[ "$(on_target "su - admin -c 'vault-preflight --version'")" = "vault-preflight 1.0.0" ] || fail "vault-preflight as admin"
on_target 'stat -c "%a %U" /usr/local/bin/vault-preflight' | grep -qx '755 root' || fail "vault-preflight mode"
on_target 'getent passwd admin' | grep -q ':/home/admin:/bin/bash$' || fail "admin account"
on_target 'id -nG admin' | grep -qw sudo || fail "admin not in sudo"
on_target 'getent passwd vault' | grep -q ':/nonexistent:/usr/sbin/nologin$' || fail "vault account"
[ "$(on_target 'getent passwd vault | cut -d: -f3')" -lt 1000 ] || fail "vault is not a system user"
on_target 'test ! -e /nonexistent' || fail "vault has a home"
on_target '/usr/sbin/sshd -T' | grep -qx 'passwordauthentication no' || fail "sshd allows passwords"
on_target '/usr/sbin/sshd -T' | grep -qx 'permitrootlogin without-password' || fail "sshd permitrootlogin"
on_target "grep -q '$(pubkey_blob "$WORK/build_key.pub")' /root/.ssh/authorized_keys" && fail "build key left"
on_target "grep -q '$(pubkey_blob "$WORK/operator_key.pub")' /root/.ssh/authorized_keys" || fail "operator key removed"
[ "$(on_target 'wc -c < /etc/machine-id')" = 0 ] || fail "machine-id not empty"
on_target 'test ! -e /root/.bash_history && test ! -e /var/lib/cloud/instance && test ! -e /var/tmp/build-scratch' \
  || fail "leftovers remain"
on_target 'test -z "$(find /var/cache/apt -name "*.deb" -o -name "*.bin")"' || fail "apt cache not clean"
on_target 'test -z "$(find /var/lib/apt/lists -type f ! -name lock)"' || fail "apt lists not clean"
echo "checks passed"

echo "==> defect run: vault-preflight for root only (extra vars)"
playbook "$WORK/operator_key" "$WORK/run3.log" \
  -e '{"publish_binaries_items": [{"name": "vault-preflight", "src": "vault-preflight", "mode": "0700"}]}' \
  || { cat "$WORK/run3.log"; fail "defect run failed"; }
on_target 'vault-preflight --version' >/dev/null || fail "defect run: root cannot run vault-preflight"
on_target "su - admin -c 'vault-preflight --version'" >/dev/null 2>&1 && fail "defect run: admin still runs vault-preflight"
echo "defect reproduced: root runs vault-preflight, admin cannot"

echo "converge-local: all checks passed"
