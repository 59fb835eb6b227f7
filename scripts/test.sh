#!/usr/bin/env bash
# Runs the whole suite on the project's Node 24: type check, import-boundary lint, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
# every test file is its own process: compiled code and stripped TypeScript are cached across them
# (and across runs), as bin/flint.mjs does for Flint itself
export NODE_COMPILE_CACHE="$PWD/.build/node-compile-cache"
# each Flint a test starts listens without first warming its invoke path up (~1-1.5 s and a sandbox
# per start); test/e2e/warm-up.test.ts turns the warm-up on and checks it
export FLINT_WARM_UP_INVOKES=0
echo "== typecheck"; npm run --silent typecheck
echo "== lint"; npm run --silent lint
echo "== benchmark peer (for test/bench)"; node bench/install-peer.ts
echo "== tests"
# spec output, then a list of the slowest test files (test/helpers/timing-reporter.ts).
# The run is bounded well inside CI's limit, so that a test file that never exits (a failed test
# that left a server or timer behind once held a CI run until its 90 minutes were up) still ends
# with a report naming it. (--test-force-exit would end such files, but it also ends a file
# before all of the tests it declares in loops have run: it lost ~5% of the unit tests here.)
exec timeout --signal=INT --kill-after=30 2400 node --test --test-concurrency=2 --test-timeout=300000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/helpers/timing-reporter.ts --test-reporter-destination=stdout \
  'src/**/*.test.ts' 'test/**/*.test.ts'
