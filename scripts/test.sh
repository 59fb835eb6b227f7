#!/usr/bin/env bash
# Runs the whole suite on the project's Node 24: type check, import-boundary lint, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
echo "== typecheck"; npm run --silent typecheck
echo "== lint"; npm run --silent lint
echo "== benchmark peer (for test/bench)"; node bench/install-peer.ts
echo "== tests"
# spec output, then a list of the slowest test files (test/helpers/timing-reporter.ts)
exec node --test --test-concurrency=2 --test-timeout=300000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/helpers/timing-reporter.ts --test-reporter-destination=stdout \
  'src/**/*.test.ts' 'test/**/*.test.ts'
