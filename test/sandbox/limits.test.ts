/**
 * Limits that bite: process count, memory (an overrun kills only that sandbox),
 * CPU share. Real sandboxes and cgroups.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { NamespaceSandboxDriver } from '../../src/worker-host/sandbox/namespace-sandbox-driver.ts';
import { LIMITS, PRELUDE, openDriver, startPython, SKIP_WITHOUT_SANDBOXES } from './sandbox-fixture.ts';

describe('namespace sandbox limits', { skip: SKIP_WITHOUT_SANDBOXES }, () => {
  let driver: NamespaceSandboxDriver;
  before(async () => {
    driver = await openDriver();
  });
  after(() => driver.close());

  test('a fork bomb is stopped at pids.max and the host keeps working', async () => {
    const run = await startPython(driver, `${PRELUDE}
children, error = 0, None
while children < 500:
    try:
        pid = os.fork()
    except OSError as e:
        error = errno.errorcode[e.errno]; break
    if pid == 0:
        time.sleep(30); os._exit(0)
    children += 1
emit(children=children, error=error)
`, { limits: { ...LIMITS, pidsMax: 20 } });
    await run.finish();
    const [r] = run.json<{ children: number; error: string }>();
    assert.ok(r, run.output());
    assert.equal(r.error, 'EAGAIN');
    assert.ok(r.children < 20, `forked ${r.children}`);
    assert.deepEqual(run.box.pids(), [], 'every process of the sandbox is gone after destroy');
    assert.equal(spawnSync('/bin/true').status, 0);
  });

  test('allocating past the memory limit kills only that sandbox and reports oomKilled', async () => {
    const bystander = await startPython(driver, `${PRELUDE}
time.sleep(60)
`);
    const hog = await startPython(driver, `${PRELUDE}
blocks = []
for i in range(100):
    blocks.append(bytearray(8 * 1048576))
    emit(allocated_mb=(i + 1) * 8)
`, { limits: { ...LIMITS, memoryMb: 64 } });
    const exit = await hog.box.exited;
    assert.equal(exit.oomKilled, true);
    assert.equal(exit.signal, 'SIGKILL');
    const allocated = hog.json<{ allocated_mb: number }>().at(-1)?.allocated_mb ?? 0;
    assert.ok(allocated < 64, `allocated ${allocated} MB before being killed`);
    assert.ok((hog.box.memoryUsage()?.peakBytes ?? 0) <= 64 * 1048576);
    await hog.finish();

    assert.ok(bystander.box.pids().length > 0, 'the other sandbox still runs');
    const bystanderExit = await Promise.race([bystander.box.exited, new Promise((r) => setTimeout(() => r('running'), 100))]);
    assert.equal(bystanderExit, 'running');
    await bystander.box.destroy();
    bystander.api.close();
    assert.equal((await bystander.box.exited).oomKilled, false);
  });

  test('a CPU spin gets the CPU share of its limit, as cpuacct measures it, and setLimits changes it at once', async (t) => {
    const run = await startPython(driver, `${PRELUDE}
emit(phase='start')
end = time.time() + 2.5
while time.time() < end: pass
emit(phase='end')
`, { limits: { ...LIMITS, cpuMillis: 250 } });
    const started = await until(() => run.output().includes('"start"'));
    assert.ok(started, run.output());
    const share = async () => {
      const cpu0 = run.box.cpuUsageNs()!;
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 800));
      return (run.box.cpuUsageNs()! - cpu0) / 1e6 / (performance.now() - t0);
    };
    const quarter = await share();
    run.box.setLimits({ ...LIMITS, cpuMillis: 500 });
    await new Promise((r) => setTimeout(r, 100));
    const half = await share();
    await run.finish();
    t.diagnostic(`CPU share measured by cpuacct: ${quarter.toFixed(3)} (limit 0.250), then ${half.toFixed(3)} (limit 0.500)`);
    assert.ok(quarter > 0.15 && quarter < 0.35, `CPU share ${quarter.toFixed(3)} for a 0.25 CPU limit`);
    assert.ok(half > 0.4 && half < 0.6, `CPU share ${half.toFixed(3)} for a 0.5 CPU limit`);
  });
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}
