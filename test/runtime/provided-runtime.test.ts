/**
 * provided.al2 / provided.al2023: Flint's waiter cell (src/sandbox-runtime/provided/cell.sh)
 * execs the package's own bootstrap, which talks to the real Runtime API server unchanged.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RuntimeApiServer, RuntimeInitError } from '../../src/worker-host/runtime-api/index.ts';
import { json, startFunction, type StartOptions } from './runtime-harness.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { ECHO_FUNCTION, TUTORIAL_BOOTSTRAP, TUTORIAL_FUNCTION } from '../helpers/custom-runtime-tutorial.ts';

const server = new RuntimeApiServer();
after(() => server.close());

const run = (options: Omit<StartOptions, 'server' | 'runtime'>) => startFunction({ server, runtime: 'provided.al2023', ...options });


describe('provided runtimes', () => {
  it("runs AWS's bash-and-curl tutorial runtime as published, warm across invocations", async () => {
    const fn = await run({ handler: 'function.handler', files: { bootstrap: TUTORIAL_BOOTSTRAP, 'function.sh': TUTORIAL_FUNCTION } });
    try {
      await fn.session.ready();
      for (let i = 0; i < 2; i++) {
        const outcome = await fn.invoke({ key1: 'value1' });
        assert.equal(outcome.kind, 'response');
        assert.deepEqual(json(outcome), { statusCode: 200, body: 'Hello from Lambda!' });
      }
      assert.equal(fn.child.exitCode, null, 'the same bootstrap process keeps serving');
    } finally {
      await fn.close();
    }
  });

  it("runs the tutorial's echoing handler and passes the event through", async () => {
    const fn = await run({ handler: 'function.handler', files: { bootstrap: TUTORIAL_BOOTSTRAP, 'function.sh': ECHO_FUNCTION } });
    try {
      const outcome = await fn.invoke({ key1: 'value1' });
      assert.equal(outcome.payload.toString(), `Echoing request: '{"key1":"value1"}'`);
    } finally {
      await fn.close();
    }
  });

  it('gives the bootstrap the function environment and the task root as working directory', async () => {
    const bootstrap = `#!/bin/bash
set -eu
HEADERS="$(mktemp)"
curl -sS -o /dev/null -D "$HEADERS" "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next"
ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
BODY="{\\"handler\\":\\"$_HANDLER\\",\\"name\\":\\"$AWS_LAMBDA_FUNCTION_NAME\\",\\"root\\":\\"$LAMBDA_TASK_ROOT\\",\\"pwd\\":\\"$(pwd)\\",\\"user\\":\\"$TEST_KEY\\",\\"flint\\":\\"\${FLINT_CELL:-unset}\\"}"
curl -sS -o /dev/null "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/$ID/response" -d "$BODY"
exec sleep 5
`;
    const fn = await run({ handler: 'x.y', functionName: 'prov', userVariables: { TEST_KEY: 'TEST_VAL' }, files: { bootstrap } });
    try {
      assert.deepEqual(json(await fn.invoke({})), {
        handler: 'x.y', name: 'prov', root: fn.taskRoot, pwd: fn.taskRoot, user: 'TEST_VAL', flint: 'unset',
      });
    } finally {
      await fn.close();
    }
  });

  it('reports Runtime API state errors to a misbehaving bootstrap (403 before /next, 400 for an unknown id)', async () => {
    const bootstrap = `#!/bin/bash
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01"
EARLY=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/runtime/invocation/nope/response" -d '1')
HEADERS="$(mktemp)"
curl -sS -o /dev/null -D "$HEADERS" "$API/runtime/invocation/next"
ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
WRONG=$(curl -s -X POST "$API/runtime/invocation/not-$ID/response" -d '1')
LATE=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/runtime/init/error" -d '{}')
curl -sS -o /dev/null -X POST "$API/runtime/invocation/$ID/error" -H 'Lambda-Runtime-Function-Error-Type: Custom.Failure' \\
  -d "{\\"errorType\\":\\"Custom.Failure\\",\\"errorMessage\\":\\"early=$EARLY late=$LATE\\",\\"wrong\\":$WRONG}"
AGAIN=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/runtime/invocation/$ID/response" -d '1')
echo "again=$AGAIN"
exec sleep 5
`;
    const fn = await run({ handler: 'x.y', files: { bootstrap } });
    try {
      const outcome = await fn.invoke({});
      assert.equal(outcome.kind === 'error' && outcome.errorType, 'Custom.Failure');
      assert.deepEqual(json(outcome), {
        errorType: 'Custom.Failure', errorMessage: 'early=403 late=403',
        wrong: { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' },
      });
      await waitFor(() => fn.stdout.includes('again=400'), { what: 'a second answer for the same id refused with 400' });
    } finally {
      await fn.close();
    }
  });

  it('fails init with Runtime.InvalidEntrypoint when the package has no bootstrap', async () => {
    const fn = await run({ handler: 'x.y', files: { 'README': 'no bootstrap here' } });
    try {
      const waiting = fn.invoke({});
      await assert.rejects(fn.session.ready(), (err: unknown) => err instanceof RuntimeInitError && err.errorType === 'Runtime.InvalidEntrypoint');
      assert.deepEqual(json(await waiting), {
        errorType: 'Runtime.InvalidEntrypoint',
        errorMessage: `Couldn't find valid bootstrap(s): [${fn.taskRoot}/bootstrap /opt/bootstrap]`,
      });
    } finally {
      await fn.close();
    }
  });

  it('turns a bootstrap that exits during an invocation into Runtime.ExitError', async () => {
    const bootstrap = `#!/bin/bash
curl -sS -o /dev/null "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next"
exit 3
`;
    const fn = await run({ handler: 'x.y', files: { bootstrap } });
    try {
      const outcome = await fn.invoke({});
      assert.deepEqual(json(outcome), {
        errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${outcome.requestId} Error: Runtime exited with error: exit status 3`,
      });
    } finally {
      await fn.close();
    }
  });
});
