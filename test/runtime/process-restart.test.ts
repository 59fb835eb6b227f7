/**
 * Which variables of a function's environment make a Node cell start its runtime again
 * (src/sandbox-runtime/nodejs/process-restart.mjs). The restart itself, through the real clients and
 * sandboxes, is covered in test/e2e/invoke-start-environment.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait-for.ts';

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

/**
 * Starts a script that restarts itself with restartRuntime (as bootstrap.mjs does) and, restarted,
 * prints its pid and what it sees, then runs `then`. `fallback` takes execve away, as on Node 20.
 */
function restartScript(dir: string, o: { fallback: boolean; then: string; wrapper?: string }) {
  const script = join(dir, 'runtime.mjs');
  const restart = fileURLToPath(new URL(modulePath, import.meta.url));
  const wrapper = o.wrapper === undefined ? '' : `, AWS_LAMBDA_EXEC_WRAPPER: ${JSON.stringify(o.wrapper)}`;
  writeFileSync(script, `import { restartRuntime } from ${JSON.stringify(restart)};
if (process.env._HANDLER === undefined) {
  console.log('first', process.pid);
  ${o.fallback ? 'delete process.execve;' : ''}
  restartRuntime({ ...process.env, _HANDLER: 'index.handler', NODE_OPTIONS: '--stack-trace-limit=3'${wrapper} });
} else {
  console.log('restarted', process.pid, Error.stackTraceLimit, process.env.WRAPPED ?? '-');
  ${o.then}
}
`);
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, lines, exited };
}

test('restartRuntime starts the runtime again in the same process, with the new environment, through the wrapper', { skip: typeof process.execve !== 'function' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-restart-'));
  try {
    const wrapper = join(dir, 'wrapper.sh');
    writeFileSync(wrapper, '#!/bin/sh\nexport WRAPPED="$1"\nexec "$@"\n');
    chmodSync(wrapper, 0o755);
    const run = restartScript(dir, { fallback: false, then: 'process.exit(0);', wrapper });
    assert.equal(await run.exited, 0);
    const pid = run.lines[0]!.split(' ')[1];
    assert.deepEqual(run.lines, [`first ${pid}`, `restarted ${pid} 3 ${process.execPath}`], 'same pid, NODE_OPTIONS applied, the wrapper given the command');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without execve (Node 20) the restarted runtime is a child whose exit code the first process passes on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-restart-'));
  try {
    const run = restartScript(dir, { fallback: true, then: 'process.exit(7);' });
    assert.equal(await run.exited, 7);
    assert.equal(run.lines.length, 2);
    assert.match(run.lines[1]!, /^restarted \d+ 3 -$/);
    assert.notEqual(run.lines[0]!.split(' ')[1], run.lines[1]!.split(' ')[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without execve (Node 20) a SIGTERM to the first process reaches the restarted runtime', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flint-restart-'));
  try {
    const run = restartScript(dir, { fallback: true, then: "process.on('SIGTERM', () => process.exit(5)); setInterval(() => {}, 1000); console.log('ready');" });
    await waitFor(() => run.lines.includes('ready'), { what: 'the restarted runtime to be ready' });
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 5, 'the child got the signal and its exit code came back');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
