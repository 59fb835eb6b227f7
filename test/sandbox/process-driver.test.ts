/** The process driver: no isolation, said plainly; paths "inside" mapped to host paths. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { ProcessSandboxDriver } from '../../src/worker-host/sandbox/process-sandbox-driver.ts';
import { listenOnBinding } from '../helpers/runtime-api-binding.ts';
import { PYTHON, LIMITS, codeDir } from './sandbox-fixture.ts';

test('the process driver runs the command with the spec\'s environment, maps sandbox paths to host paths and reports no isolation', async () => {
  const stateDir = mkdtempSync(`${tmpdir()}/flint-process-test-`);
  const driver = new ProcessSandboxDriver(stateDir);
  assert.equal(driver.isolation.namespaces, false);
  assert.equal(driver.isolation.cgroups, false);
  assert.ok(driver.isolation.degraded.length > 0);
  const runtime = codeDir({ 'run.py': `import os, time, json
root = os.environ['LAMBDA_TASK_ROOT']
for _ in range(500):
    if os.path.exists(root + '/handler.py'): break
    time.sleep(0.01)
os.chdir(root)
print(json.dumps({'env': dict(os.environ), 'handler': open('handler.py').read()}), flush=True)
time.sleep(30)
` });
  const api = createServer();
  let binding: unknown;
  const box = await driver.start(
    { id: 'proc1', runtimeMounts: { '/var/runtime': runtime }, command: [PYTHON, '/var/runtime/run.py'], env: { LAMBDA_TASK_ROOT: '/var/task', PYTHONPATH: '/var/runtime:/opt/python' }, limits: LIMITS },
    { bindRuntimeApi: (b) => ((binding = b), listenOnBinding(api, b)) },
  );
  assert.deepEqual(binding, { listenHost: '127.0.0.1' });
  assert.equal(box.hostAddress, undefined);
  let out = '';
  box.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  await box.specialize({ codeDir: codeDir({ 'handler.py': 'x = 1\n' }) }, LIMITS);
  const deadline = Date.now() + 10_000;
  while (!out.includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const r = JSON.parse(out) as { env: Record<string, string>; handler: string };
  assert.equal(r.handler, 'x = 1\n');
  assert.equal(r.env.LAMBDA_TASK_ROOT, box.taskRoot);
  assert.equal(r.env.PYTHONPATH, `${runtime}:${box.taskRoot.replace(/task$/, 'opt')}/python`);
  assert.equal(r.env.AWS_LAMBDA_RUNTIME_API, box.runtimeApiAddress);
  assert.equal(r.env.HOME, undefined, 'nothing of the server\'s environment');

  const leftover = await driver.start({ id: 'proc2', runtimeMounts: {}, command: ['/bin/sleep', '60'], env: {}, limits: LIMITS }, { bindRuntimeApi: async () => '127.0.0.1:9' });
  await box.destroy();
  assert.equal((await box.exited).signal, 'SIGKILL');
  api.close();

  // a new driver on the same state directory ends what the previous one left
  await new ProcessSandboxDriver(stateDir).cleanupStale();
  assert.equal((await leftover.exited).signal, 'SIGKILL');
  assert.deepEqual(readdirSync(stateDir), []);
  assert.ok(!existsSync(box.taskRoot));
  rmSync(stateDir, { recursive: true, force: true });
});
