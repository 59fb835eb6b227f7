/**
 * Limits that bite: process count, memory (an overrun kills only that sandbox),
 * CPU share. Real sandboxes and cgroups.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { NamespaceSandboxDriver } from '../../src/worker-host/sandbox/namespace-sandbox-driver.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { LIMITS, PRELUDE, openDriver, startPython, SKIP_WITHOUT_SANDBOXES, type Started } from './sandbox-fixture.ts';

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

  // A ratio of CPU time over the same interval, measured until the pair used a fixed amount of CPU:
  // however busy the machine, the quotas and cpu.shares keep the proportion; wall-clock windows do not.
  test('spinning sandboxes get CPU time in proportion to their CPU limits, as cpuacct measures it, and setLimits changes the proportion', async (t) => {
    const spin = `${PRELUDE}
emit(phase='start')
while True: pass
`;
    const small = await startPython(driver, spin, { limits: { ...LIMITS, cpuMillis: 250 } });
    const large = await startPython(driver, spin, { limits: { ...LIMITS, cpuMillis: 500 } });
    try {
      await waitFor(() => small.output().includes('"start"') && large.output().includes('"start"'), { what: 'both spins starting' });
      const largeOverSmall = async (): Promise<number> => {
        const used = (run: Started, from: number) => run.box.cpuUsageNs()! - from;
        const [s0, l0] = [small.box.cpuUsageNs()!, large.box.cpuUsageNs()!];
        await waitFor(() => used(small, s0) + used(large, l0) >= 1e9, { timeoutMs: 120_000, everyMs: 50, what: 'one CPU second used by the two spins' });
        return used(large, l0) / Math.max(1, used(small, s0));
      };
      const unequal = await largeOverSmall();
      small.box.setLimits({ ...LIMITS, cpuMillis: 500 });
      const equal = await largeOverSmall();
      t.diagnostic(`CPU time of the 0.5-CPU sandbox over the 0.25-CPU one: ${unequal.toFixed(2)} (expected 2); with both at 0.5 CPU: ${equal.toFixed(2)} (expected 1)`);
      assert.ok(unequal > 1.3 && unequal < 3.5, `a sandbox with twice the CPU limit used ${unequal.toFixed(2)} times the CPU time`);
      assert.ok(equal > 0.6 && equal < 1.6, `after setLimits gave both the same CPU limit, one used ${equal.toFixed(2)} times the CPU time of the other`);
    } finally {
      for (const run of [small, large]) {
        await run.box.destroy();
        run.api.close();
      }
    }
  });
});
