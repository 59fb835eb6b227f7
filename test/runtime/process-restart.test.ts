/**
 * Which variables of a function's environment make a Node cell start its runtime again
 * (src/sandbox-runtime/nodejs/process-restart.mjs). The restart itself, through the real clients and
 * sandboxes, is covered in test/e2e/invoke-start-environment.test.ts.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

// The runtime client is plain JavaScript checked on its own (src/sandbox-runtime/tsconfig.json).
const modulePath: string = '../../src/sandbox-runtime/nodejs/process-restart.mjs';
const { startVariablesChanged, wrapperProblem } = (await import(modulePath)) as {
  startVariablesChanged: (env: Record<string, string>, own: Record<string, string | undefined>) => string[];
  wrapperProblem: (wrapper: string) => string | undefined;
};

test('a variable Node reads only at start restarts the runtime when the function sets it to a new value', () => {
  assert.deepEqual(startVariablesChanged({ NODE_OPTIONS: '--enable-source-maps', MY_VAR: 'x' }, {}), ['NODE_OPTIONS']);
  assert.deepEqual(startVariablesChanged({ NODE_EXTRA_CA_CERTS: '/var/task/ca.pem', AWS_LAMBDA_EXEC_WRAPPER: '/opt/w' }, {}), ['AWS_LAMBDA_EXEC_WRAPPER', 'NODE_EXTRA_CA_CERTS']);
  assert.deepEqual(startVariablesChanged({ NODE_OPTIONS: '--x' }, { NODE_OPTIONS: '--x' }), [], 'the value the process started with');
  assert.deepEqual(startVariablesChanged({ LANG: 'de_DE.UTF-8' }, { LANG: 'en_US.UTF-8' }), ['LANG'], "ICU's default locale");
});

test('variables read while the process runs restart nothing', () => {
  assert.deepEqual(startVariablesChanged({ NODE_ENV: 'production', NODE_PATH: '/opt/x', TZ: 'Europe/Paris', _HANDLER: 'index.handler' }, {}), []);
});

test('a wrapper must be an absolute path to an executable file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-wrapper-'));
  try {
    const runnable = join(dir, 'run.sh');
    const plain = join(dir, 'plain.sh');
    writeFileSync(runnable, '#!/bin/sh\nexec "$@"\n');
    chmodSync(runnable, 0o755);
    writeFileSync(plain, '#!/bin/sh\n');
    chmodSync(plain, 0o644);
    assert.equal(wrapperProblem(runnable), undefined);
    assert.equal(wrapperProblem(join(dir, 'none.sh')), `fork/exec ${join(dir, 'none.sh')}: no such file or directory`);
    assert.equal(wrapperProblem('run.sh'), 'fork/exec run.sh: no such file or directory');
    assert.equal(wrapperProblem(plain), `fork/exec ${plain}: permission denied`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
