#!/usr/bin/env bash
# Installs the Debian packages Goldsmith's build, tests and main job need. Idempotent: installs only what is missing.
set -euo pipefail
# command -> package
declare -A NEED=(
  [java]=openjdk-17-jdk-headless
  [ansible-playbook]=ansible
  [ansible-lint]=ansible-lint
  [yamllint]=yamllint
  [hcloud]=hcloud-cli
  [mmdebstrap]=mmdebstrap
  [systemd-nspawn]=systemd-container
  [apt-cacher-ng]=apt-cacher-ng
  [zstd]=zstd
  [ip]=iproute2
  [ssh]=openssh-client
  [ssh-keygen]=openssh-client
  [nft]=nftables
  [psql]=postgresql-client
  [curl]=curl
  [jq]=jq
  [flock]=util-linux
  [chromium]=chromium
)
missing=()
for cmd in "${!NEED[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$cmd" ]; then missing+=("${NEED[$cmd]}"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq || true
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
else
  echo "all packages present"
fi
