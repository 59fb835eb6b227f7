#!/usr/bin/env bash
# Prepares the namespace sandbox driver: installs bubblewrap, libseccomp, gcc,
# iptables and iproute2 (Debian packages) when missing and running as root, and
# compiles the sandbox helper and the seccomp filter into .build/.
# Idempotent and quiet: does nothing when everything is present and up to date.
#
# Usage: bash scripts/setup-sandbox.sh [--no-install]
#   --no-install  only compile (report missing packages instead of installing them)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/src/worker-host/sandbox/native"
BUILD="$ROOT/.build"
INSTALL=1
[[ "${1:-}" == "--no-install" ]] && INSTALL=0

log() { echo "setup-sandbox: $*" >&2; }

# package -> a file it provides
declare -A PROVIDES=(
  [bubblewrap]=/usr/bin/bwrap
  [libseccomp-dev]=/usr/include/seccomp.h
  [gcc]=/usr/bin/gcc
  [iptables]=/usr/sbin/iptables
  [iproute2]=/usr/sbin/ip
)
missing=()
for pkg in "${!PROVIDES[@]}"; do
  [[ -e "${PROVIDES[$pkg]}" ]] || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
  if ((INSTALL == 1)) && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # refresh the package lists only if the packages are not known yet
    if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  else
    log "missing packages: ${missing[*]} (install them as root; the namespace sandbox driver is unavailable until then)"
    # compile only what can be compiled
  fi
fi

mkdir -p "$BUILD"

# rebuild a target when it is missing or was built from other content than its source's
# (a content stamp, not timestamps: a checkout or a copy of .build/ must not fool it)
# stamp_of SOURCE... : one digest of every source's content
stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }
stale() { local target="$1"; shift; [[ ! -e "$target" || ! -e "$target.source-sha256" || "$(cat "$target.source-sha256")" != "$(stamp_of "$@")" ]]; }
stamp() { local target="$1"; shift; stamp_of "$@" > "$target.source-sha256"; }

if command -v gcc >/dev/null; then
  HELPER_SOURCES=("$SRC/flint-sandbox-helper.c" "$SRC/netns-config.c" "$SRC/netns-config.h")
  if stale "$BUILD/flint-sandbox-helper" "${HELPER_SOURCES[@]}"; then
    gcc -O2 -Wall -Wextra -o "$BUILD/flint-sandbox-helper.tmp" "$SRC/flint-sandbox-helper.c" "$SRC/netns-config.c"
    mv "$BUILD/flint-sandbox-helper.tmp" "$BUILD/flint-sandbox-helper"
    stamp "$BUILD/flint-sandbox-helper" "${HELPER_SOURCES[@]}"
    log "built .build/flint-sandbox-helper"
  fi
  if [[ -e /usr/include/seccomp.h ]] && stale "$BUILD/flint-seccomp" "$SRC/flint-seccomp.c"; then
    gcc -O2 -Wall -Wextra -o "$BUILD/flint-seccomp.tmp" "$SRC/flint-seccomp.c" -lseccomp
    mv "$BUILD/flint-seccomp.tmp" "$BUILD/flint-seccomp"
    stamp "$BUILD/flint-seccomp" "$SRC/flint-seccomp.c"
    rm -f "$BUILD/seccomp.bpf"
    log "built .build/flint-seccomp"
  fi
  if [[ -x "$BUILD/flint-seccomp" ]] && stale "$BUILD/seccomp.bpf" "$BUILD/flint-seccomp"; then
    "$BUILD/flint-seccomp" "$BUILD/seccomp.bpf.tmp"
    mv "$BUILD/seccomp.bpf.tmp" "$BUILD/seccomp.bpf"
    stamp "$BUILD/seccomp.bpf" "$BUILD/flint-seccomp"
    log "wrote .build/seccomp.bpf"
  fi
else
  log "gcc not found: sandbox helper and seccomp filter not built"
fi
# readable by everyone: neither file is secret, and the helper is not setuid (it only does
# privileged work when Flint runs it as root)
[[ -e "$BUILD/seccomp.bpf" ]] && chmod 644 "$BUILD/seccomp.bpf"
[[ -e "$BUILD/flint-sandbox-helper" ]] && chmod 755 "$BUILD/flint-sandbox-helper"
exit 0
