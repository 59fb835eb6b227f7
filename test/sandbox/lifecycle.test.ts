/**
 * Lifecycle of namespace sandboxes: exit reporting, fast teardown, no leaks after
 * many sandboxes, and cleanup of what a killed Flint left behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SANDBOX_CLAIMS_LOCK, withMachineLock } from '../../src/worker-host/sandbox/machine-lock.ts';
import { NamespaceSandboxDriver } from '../../src/worker-host/sandbox/namespace-sandbox-driver.ts';
import type { NamespaceSandbox } from '../../src/worker-host/sandbox/namespace-sandbox.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { instanceResources, NOTHING, preparedHelpers, resourcesBesidesPrepared } from './instance-resources.ts';
import { listenOnBinding, refuseBinding } from '../helpers/runtime-api-binding.ts';
import { LIMITS, PRELUDE, openDriver, startPython, uniqueInstanceName, SKIP_WITHOUT_SANDBOXES } from './sandbox-fixture.ts';

async function startSleeper(driver: NamespaceSandboxDriver, id: string): Promise<NamespaceSandbox> {
  const api = createServer();
  const box = (await driver.start(
    { id, runtimeMounts: {}, command: ['/bin/sleep', '600'], env: {}, limits: LIMITS },
    { bindRuntimeApi: (b) => listenOnBinding(api, b) },
  )) as NamespaceSandbox;
  void box.exited.then(() => api.close());
  return box;
}

describe('namespace sandbox lifecycle', { skip: SKIP_WITHOUT_SANDBOXES }, () => {
  test('the runtime\'s exit code is reported, and destroy after a kill reports the signal', async (t) => {
    const driver = await openDriver();
    try {
      const exiting = await startPython(driver, 'import sys; sys.exit(3)');
      assert.deepEqual(await exiting.box.exited, { code: 3, signal: null, oomKilled: false });
      await exiting.finish();

      const sleeper = await startSleeper(driver, 'sleeper');
      const started = performance.now();
      await sleeper.destroy();
      const destroyMs = performance.now() - started;
      t.diagnostic(`destroy took ${destroyMs.toFixed(1)} ms`);
      assert.deepEqual(await sleeper.exited, { code: null, signal: 'SIGKILL', oomKilled: false });
      await sleeper.destroy(); // idempotent
    } finally {
      await driver.close();
    }
  });

  test('destroying a sandbox leaves no timer behind that would keep a stopping Flint alive', async () => {
    const driver = await openDriver();
    try {
      const sleeper = await startSleeper(driver, 'sleeper');
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      const before = timers();
      await sleeper.destroy();
      assert.ok(timers() <= before, `timers holding the process: ${before} before the destroy, ${timers()} after`);
    } finally {
      await driver.close();
    }
  });

  test('restartRuntime kills every process of the runtime and starts it again in the same sandbox, which keeps /tmp', async () => {
    const driver = await openDriver();
    try {
      const run = await startPython(driver, `${PRELUDE}
import subprocess
runs = len(open('/tmp/runs').read()) if os.path.exists('/tmp/runs') else 0
open('/tmp/runs', 'a').write('x')
if runs == 0: subprocess.Popen(['sleep', '600'])
emit(runs=runs, me=os.getpid(), pids=sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))
if runs == 1: sys.exit(5)
time.sleep(600)
`);
      const lines = () => run.json<{ runs: number; me: number; pids: number[] }>();
      const until = async (n: number) => {
        await waitFor(() => lines().length >= n, { timeoutMs: 10_000, everyMs: 20, what: () => `${n} lines from the runtime in:\n${run.output()}` });
        assert.equal(lines().length, n, run.output());
      };
      await until(1);
      assert.equal(run.box.pids().length, 5, 'positive control: helper, bubblewrap, supervisor, runtime and its child');
      const killed = run.box.exited;
      const machineryAtReset: number[] = [];
      await run.box.restartRuntime((() => machineryAtReset.push(run.box.pids().length)));
      assert.deepEqual(await killed, { code: null, signal: 'SIGKILL', oomKilled: false });
      assert.deepEqual(machineryAtReset, [3], 'reset runs once no process of the old runtime is left');
      await until(2);
      assert.deepEqual(await run.box.exited, { code: 5, signal: null, oomKilled: false }, 'a runtime that exits is reported');
      assert.equal(run.box.pids().length, 3, 'and the sandbox stays');
      await run.box.restartRuntime(() => undefined);
      await until(3);
      const [first, second, third] = lines();
      assert.deepEqual([first!.runs, second!.runs, third!.runs], [0, 1, 2], '/tmp is kept across restarts');
      assert.equal(second!.pids.length, 2, 'the old runtime\'s child is gone: only the supervisor and the new runtime');
      assert.equal(run.box.pids().length, 4);
      await run.box.destroy();
      assert.deepEqual(run.box.pids(), []);
      run.api.close();
    } finally {
      await driver.close();
    }
  });

  test('start rejects with bubblewrap\'s message and leaves nothing when a runtime mount is missing', async () => {
    const name = uniqueInstanceName();
    const driver = await NamespaceSandboxDriver.open({ instanceName: name, network: 'bridge', preparedNetworkSlots: 1 });
    try {
      await assert.rejects(
        driver.start(
          { id: 'broken', runtimeMounts: { '/var/lang': '/nonexistent/flint/runtime' }, command: ['/bin/true'], env: {}, limits: LIMITS },
          { bindRuntimeApi: refuseBinding },
        ),
        /failed to start: .*nonexistent/,
      );
      await assert.rejects(
        driver.start({ id: 'bad', runtimeMounts: { 'relative/path': '/usr' }, command: ['/bin/true'], env: {}, limits: LIMITS }, { bindRuntimeApi: refuseBinding }),
        /clean absolute path/,
      );
      const left = await resourcesBesidesPrepared(name, 1);
      assert.deepEqual(left.processes, []);
      assert.equal(left.cgroups.length, 4, 'only the parent groups');
      assert.equal(left.iptables.filter((r) => r.includes('--dport')).length, 0, 'no Runtime API rule');
    } finally {
      await driver.close();
    }
  });

  test('a start takes a prepared one (its helper already in its network namespace and cgroups); one whose helper died is replaced, and neither leaks', async () => {
    const name = uniqueInstanceName();
    const driver = await NamespaceSandboxDriver.open({ instanceName: name, network: 'bridge', preparedNetworkSlots: 1 });
    try {
      await resourcesBesidesPrepared(name, 1);
      await waitFor(() => driver.preparedStarts === 1, { what: 'the prepared start ready in the driver' });
      const [waiting] = preparedHelpers(name);
      const box = await startSleeper(driver, 'from-prepared');
      assert.equal(box.pid, waiting, 'the sandbox runs under the helper that waited');
      assert.ok(box.pids().includes(waiting!) && box.pids().length === 4, 'the helper, bubblewrap, its pid 1 and the runtime, in the cgroups');
      await box.destroy();

      await resourcesBesidesPrepared(name, 1);
      await waitFor(() => driver.preparedStarts === 1, { what: 'a prepared start ready again' });
      const [doomed] = preparedHelpers(name);
      process.kill(doomed!, 'SIGKILL');
      // the driver drops it and prepares another
      await waitFor(() => !preparedHelpers(name).includes(doomed!) && preparedHelpers(name).length === 1 && driver.preparedStarts === 1, { what: 'the killed helper replaced' });
      const [replacement] = preparedHelpers(name);
      const next = await startSleeper(driver, 'after-dead-prepared');
      assert.equal(next.pid, replacement);
      assert.equal(next.pids().length, 4);
      await next.destroy();
      const left = await resourcesBesidesPrepared(name, 1);
      assert.deepEqual([left.processes, left.cgroups.length], [[], 4], 'nothing of the dead prepared start is left');
    } finally {
      await driver.close();
    }
    assert.deepEqual(instanceResources(name), NOTHING);
  });

  test('starting and destroying 30 sandboxes leaves no processes, cgroups, mounts, network devices or directories', async () => {
    const name = uniqueInstanceName();
    const driver = await NamespaceSandboxDriver.open({ instanceName: name, network: 'bridge', preparedNetworkSlots: 2 });
    try {
      for (let batch = 0; batch < 6; batch++) {
        const boxes = await Promise.all(Array.from({ length: 5 }, (_, i) => startSleeper(driver, `leak${batch}x${i}`)));
        assert.ok(boxes.every((b) => b.pids().length === 4), 'helper, bubblewrap, its pid 1 and the runtime run in the cgroups');
        await Promise.all(boxes.map((b) => b.destroy()));
      }
      const afterDestroy = await resourcesBesidesPrepared(name, 2);
      assert.deepEqual(afterDestroy.processes, []);
      assert.equal(afterDestroy.cgroups.length, 4, 'only the instance\'s parent groups remain');
      assert.ok(afterDestroy.netns.length <= 6, `at most twice the prepared network namespaces, and the prepared starts' own, are kept: ${afterDestroy.netns.join(' ')}`);
    } finally {
      await driver.close();
    }
    assert.deepEqual(instanceResources(name), NOTHING);
  });

  test('after Flint is killed, the next start of the same instance removes everything the killed run left', async () => {
    const name = uniqueInstanceName();
    const child = spawn(process.execPath, [fileURLToPath(new URL('./crashing-instance.ts', import.meta.url)), name], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`crashing instance exited early (${code})`)));
    });
    // under the claims lock: an instance starting elsewhere meanwhile would reap the dead one before it is looked at
    const left = await withMachineLock(SANDBOX_CLAIMS_LOCK, async () => {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      return instanceResources(name);
    });
    assert.ok(left.cgroups.length > 4 && left.netns.length >= 3 && left.iptables.length > 0 && left.claims.length === 1, 'the killed run left resources');

    const driver = await NamespaceSandboxDriver.open({ instanceName: name, network: 'bridge', preparedNetworkSlots: 1 });
    try {
      const reopened = await resourcesBesidesPrepared(name, 1);
      assert.deepEqual(reopened.processes, [], 'no process of the killed run survives');
      assert.equal(reopened.cgroups.length, 4);
      const box = await startSleeper(driver, 'after-crash');
      assert.ok(box.pids().length > 0);
    } finally {
      await driver.close();
    }
    assert.deepEqual(instanceResources(name), NOTHING);
  });

  test('a second live driver with the same instance name is refused', async () => {
    const name = uniqueInstanceName();
    const driver = await NamespaceSandboxDriver.open({ instanceName: name, network: 'isolated', preparedNetworkSlots: 0 });
    try {
      await assert.rejects(NamespaceSandboxDriver.open({ instanceName: name, network: 'isolated' }), /in use by pid/);
    } finally {
      await driver.close();
    }
  });
});
