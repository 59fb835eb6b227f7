/**
 * A function's environment that the interpreter reads only as it starts (NODE_OPTIONS,
 * NODE_EXTRA_CA_CERTS, PYTHON*, ...) and AWS_LAMBDA_EXEC_WRAPPER take effect as in Lambda, though
 * cells start before they know their function (the runtime restarts itself with the function's
 * environment: nodejs/process-restart.mjs, python/bootstrap.py).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useFlint } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';

const REPORT = `exports.handler = async () => ({
  heapLimitMb: require('node:v8').getHeapStatistics().heap_size_limit / 1048576,
  stackTraceLimit: Error.stackTraceLimit,
  preloaded: globalThis.PRELOADED ?? null,
  wrapped: process.env.WRAPPED ?? null,
  cwd: process.cwd(),
});`;
const PRELOAD = { name: 'preload.js', content: 'globalThis.PRELOADED = "yes";' };

describe('a function environment read at process start', () => {
  const server = useFlint();

  for (const runtime of ['nodejs24.x', 'nodejs20.x'] as const) {
    it(`applies NODE_OPTIONS, with a --require relative to /var/task (${runtime})`, async () => {
      const fn = await deploy(server.client, [{ name: 'index.js', content: REPORT }, PRELOAD], {
        Runtime: runtime,
        Environment: { Variables: { NODE_OPTIONS: '--max-old-space-size=96 --stack-trace-limit=3 --require ./preload.js' } },
      });
      for (let i = 0; i < 2; i++) {
        const r = await invoke(server.client, fn.name);
        assert.equal(r.functionError, undefined, r.text);
        assert.ok(r.json.heapLimitMb < 1024, `heap limit ${r.json.heapLimitMb} MB (the default is several GB)`);
        assert.equal(r.json.stackTraceLimit, 3);
        assert.equal(r.json.preloaded, 'yes');
        assert.equal(r.json.cwd, '/var/task');
      }
    });
  }

  it("applies LANG to the default locale, and TZ in the running process", async () => {
    const fn = await deploy(server.client, [{ name: 'index.js', content: 'exports.handler = async () => ({ locale: Intl.DateTimeFormat().resolvedOptions().locale, offset: new Date(0).getTimezoneOffset() });' }], {
      Runtime: 'nodejs24.x', Environment: { Variables: { LANG: 'de_DE.UTF-8', TZ: 'America/New_York' } },
    });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.deepEqual(r.json, { locale: 'de-DE', offset: 300 });
  });

  it('leaves a function that sets none of them in the process its cell started', async () => {
    const fn = await deploy(server.client, [{ name: 'index.js', content: REPORT }], { Runtime: 'nodejs24.x', Environment: { Variables: { NODE_ENV: 'production' } } });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json.stackTraceLimit, 10);
    assert.ok(r.json.heapLimitMb > 1024, `heap limit ${r.json.heapLimitMb} MB`);
  });

  it('starts the runtime through AWS_LAMBDA_EXEC_WRAPPER, which can change its environment and command', async () => {
    const wrapper = '#!/bin/bash\nexport WRAPPED="$1"\nexport NODE_OPTIONS="--stack-trace-limit=7"\nexec "$@"\n';
    const fn = await deploy(server.client, [{ name: 'index.js', content: REPORT }, { name: 'wrapper.sh', content: wrapper, mode: 0o100755 }], {
      Runtime: 'nodejs24.x',
      Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/wrapper.sh' } },
    });
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json.wrapped, '/var/lang/bin/node', 'the wrapper gets the runtime command as its arguments');
    assert.equal(r.json.stackTraceLimit, 7);
  });

  for (const [what, files] of [
    ['missing', []],
    ['not executable', [{ name: 'wrapper.sh', content: '#!/bin/bash\nexec "$@"\n', mode: 0o100644 }]],
  ] as const) {
    it(`fails the init phase with Runtime.InvalidEntrypoint when the wrapper is ${what}`, async () => {
      const fn = await deploy(server.client, [{ name: 'index.js', content: REPORT }, ...files], {
        Runtime: 'nodejs24.x',
        Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/wrapper.sh' } },
      });
      const r = await invoke(server.client, fn.name);
      assert.equal(r.functionError, 'Unhandled');
      assert.equal(r.json.errorType, 'Runtime.InvalidEntrypoint');
      assert.match(r.json.errorMessage, /fork\/exec \/var\/task\/wrapper\.sh: (no such file or directory|permission denied)/);
    });
  }

  describe('python', () => {
    const PY = 'import os, sys\ndef handler(event, context):\n    return {"optimize": sys.flags.optimize, "wrapped": os.environ.get("WRAPPED"), "cwd": os.getcwd()}\n';

    it('applies PYTHON* variables', async () => {
      const fn = await deploy(server.client, [{ name: 'app.py', content: PY }], {
        Runtime: 'python3.12', Handler: 'app.handler', Environment: { Variables: { PYTHONOPTIMIZE: '1' } },
      });
      const r = await invoke(server.client, fn.name);
      assert.equal(r.functionError, undefined, r.text);
      assert.deepEqual(r.json, { optimize: 1, wrapped: null, cwd: '/var/task' });
    });

    it('applies TZ', async () => {
      const fn = await deploy(server.client, [{ name: 'app.py', content: 'import time\ndef handler(event, context):\n    return {"offset": time.timezone, "local": time.strftime("%H", time.localtime(0))}\n' }], {
        Runtime: 'python3.12', Handler: 'app.handler', Environment: { Variables: { TZ: 'America/New_York' } },
      });
      const r = await invoke(server.client, fn.name);
      assert.equal(r.functionError, undefined, r.text);
      assert.deepEqual(r.json, { offset: 18000, local: '19' });
    });

    it('starts the runtime through AWS_LAMBDA_EXEC_WRAPPER', async () => {
      const wrapper = '#!/bin/bash\nexport WRAPPED="$1"\nexec "$@"\n';
      const fn = await deploy(server.client, [{ name: 'app.py', content: PY }, { name: 'wrapper.sh', content: wrapper, mode: 0o100755 }], {
        Runtime: 'python3.12', Handler: 'app.handler', Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/var/task/wrapper.sh' } },
      });
      const r = await invoke(server.client, fn.name);
      assert.equal(r.functionError, undefined, r.text);
      assert.equal(r.json.optimize, 0);
      assert.match(r.json.wrapped, /python/);
    });

    it('fails the init phase with Runtime.InvalidEntrypoint when the wrapper is missing', async () => {
      const fn = await deploy(server.client, [{ name: 'app.py', content: PY }], {
        Runtime: 'python3.12', Handler: 'app.handler', Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/missing-wrapper' } },
      });
      const r = await invoke(server.client, fn.name);
      assert.equal(r.functionError, 'Unhandled');
      assert.equal(r.json.errorType, 'Runtime.InvalidEntrypoint');
      assert.equal(r.json.errorMessage, 'fork/exec /opt/missing-wrapper: no such file or directory');
    });
  });
});
