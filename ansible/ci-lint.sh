#!/bin/sh
# Static checks of the ansible/ tree, in the order of the testing pyramid: yamllint, syntax check, ansible-lint.
# Works offline (ansible-lint runs with --offline and installs nothing). Exit status: 0 when all pass.
# Needs Debian's ansible, ansible-lint and yamllint:
#   apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends ansible ansible-lint yamllint
set -eu

cd "$(dirname "$0")"
export ANSIBLE_CONFIG="$PWD/ansible.cfg"
# No colour codes in CI logs.
export ANSIBLE_NOCOLOR=1 NO_COLOR=1

for tool in yamllint ansible-playbook ansible-lint; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "ci-lint: $tool is missing (apt-get install ansible ansible-lint yamllint)" >&2
    exit 2
  fi
done

echo "==> yamllint"
yamllint --strict .

echo "==> ansible-playbook --syntax-check golden-image.yml"
ansible-playbook --syntax-check -i localhost, golden-image.yml

echo "==> ansible-lint (profile from .ansible-lint: production)"
ansible-lint --offline --strict --nocolor golden-image.yml roles/

echo "ci-lint: all checks passed"
