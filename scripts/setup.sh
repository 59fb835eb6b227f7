#!/usr/bin/env bash
# Installs everything Flint and its tests need, idempotently and quietly when done before:
# Debian packages (sandboxing tools, AWS CLI, PostgreSQL, Chromium), npm packages (including Node 24 itself),
# the seccomp filter and the Node runtimes sandboxes run on.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages: the sandbox toolchain, the AWS CLI used by the smoke tests, PostgreSQL
# (the cluster's storage; its tests start throwaway servers from /usr/lib/postgresql/<major>/bin),
# and Chromium (the console's browser test drives it headless through playwright-core).
DEB_PACKAGES=(bubblewrap libseccomp-dev gcc iptables iproute2 awscli curl util-linux postgresql chromium)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "warning: missing Debian packages (${missing[*]}) and not root: sandboxes will run degraded"
  fi
fi

# npm packages, Node 24 among them (node_modules/.bin/node).
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Component setup steps (each idempotent).
for step in scripts/setup-sandbox.sh scripts/setup-runtimes.sh; do
  if [ -f "$step" ]; then bash "$step"; fi
done
say "ready"
