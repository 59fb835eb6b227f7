import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { PlacementService } from '../placement/index.ts';
import { Throttled } from '../model/index.ts';
import { FakeHost, version } from './testing/fake-worker-host.ts';
import type { ScaleUpRate } from './scale-up-decision.ts';
import { WorkerManager, versionKey } from './worker-manager.ts';
import { fixedKeepAlive, histogramKeepAlive, type KeepAlivePolicy } from './keep-alive-policy.ts';

const LAMBDA_RATE: ScaleUpRate = { perInterval: 1000, intervalMs: 10_000, burst: 1000 };

function setup(options: { budgetMb?: number; rate?: ScaleUpRate; maxLifetimeMs?: number; keepAlive?: KeepAlivePolicy } = {}) {
  const host = new FakeHost();
  const clock = { t: 1000, now() { return this.t; } };
  const placement = new PlacementService();
  placement.register({ host, view: (fn) => ({ id: host.id, healthy: true, memoryBudgetMb: options.budgetMb ?? 8192, memoryCommittedMb: host.memoryInUseMb(), memoryMeasuredMb: host.memoryInUseMb(), sandboxesOfFunction: [...host.live].filter((s) => s.id.startsWith(fn)).length }) });
  const workers = new WorkerManager({ placement, clock, logger: pino({ level: 'silent' }), idleTimeoutMs: 100, maxLifetimeMs: options.maxLifetimeMs ?? 1e9, scaleUp: options.rate ?? LAMBDA_RATE, keepAlive: options.keepAlive, keepAliveBins: { binMs: 10, bins: 240 } });
  return { host, clock, workers };
}

async function throttleReason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'admitted';
  } catch (err) {
    return err instanceof Throttled ? err.reason : (err as Error).message;
  }
}

describe('WorkerManager', () => {
  it('reuses an idle sandbox of the same version before a cold start', async () => {
    const { workers } = setup();
    const a = await workers.claim(version('f'));
    a.release();
    const b = await workers.claim(version('f'));
    assert.equal(a.cold, true);
    assert.equal(b.cold, false);
    assert.equal(b.sandbox, a.sandbox);
  });

  it('gives concurrent invocations one sandbox each', async () => {
    const { workers, host } = setup();
    const claims = await Promise.all([workers.claim(version('f')), workers.claim(version('f')), workers.claim(version('f'))]);
    assert.equal(new Set(claims.map((c) => c.sandbox.id)).size, 3);
    assert.equal(host.created.length, 3);
  });

  it('serves provisioned sandboxes before on-demand ones, and they are not cold', async () => {
    const { workers } = setup();
    const onDemand = await workers.claim(version('f', { version: '1' }));
    onDemand.release();
    await workers.startProvisioned(version('f', { version: '1' }));
    const c = await workers.claim(version('f', { version: '1' }));
    assert.notEqual(c.sandbox, onDemand.sandbox);
    assert.equal(c.cold, false);
    assert.deepEqual(workers.snapshot(), [{ function: 'f', version: '1', host: 'h', idle: 1, busy: 1, provisioned: 1 }]);
  });

  it('throttles cold starts beyond the scale-up rate while warm invokes go on', async () => {
    const { workers, clock } = setup({ rate: { perInterval: 1, intervalMs: 1000, burst: 2 } });
    const a = await workers.claim(version('f'));
    await workers.claim(version('f'));
    assert.equal(await throttleReason(workers.claim(version('f'))), 'FunctionInvocationRateLimitExceeded');
    assert.equal(await throttleReason(workers.claim(version('other'))), 'admitted', 'the rate is per function');
    a.release();
    assert.equal(await throttleReason(workers.claim(version('f'))), 'admitted', 'a warm sandbox needs no token');
    clock.t += 1000;
    assert.equal(await throttleReason(workers.claim(version('f'))), 'admitted');
  });

  it('evicts the least recently used idle sandbox of another function when the host is full', async () => {
    const { workers, clock } = setup({ budgetMb: 256 });
    const a = await workers.claim(version('a'));
    clock.t += 10;
    const b = await workers.claim(version('b'));
    a.release();
    clock.t += 10;
    b.release();
    const c = await workers.claim(version('c'));
    assert.equal(c.cold, true);
    assert.equal(a.sandbox.alive, false, 'a was used least recently');
    assert.equal(b.sandbox.alive, true);
  });

  it('refuses at once with 429 when the host is full of busy sandboxes, and gives the scale-up token back', async () => {
    const { workers } = setup({ budgetMb: 256, rate: { perInterval: 1, intervalMs: 1e9, burst: 3 } });
    await workers.claim(version('a'));
    await workers.claim(version('b'));
    assert.equal(await throttleReason(workers.claim(version('b'))), 'ConcurrentInvocationLimitExceeded');
    assert.equal(await throttleReason(workers.claim(version('b'))), 'ConcurrentInvocationLimitExceeded', 'not FunctionInvocationRateLimitExceeded: the token came back');
  });

  it('never gives the same memory to concurrent cold starts', async () => {
    const { workers, host } = setup({ budgetMb: 256 });
    let open!: () => void;
    host.gate = new Promise((r) => (open = r));
    const results = Promise.all([1, 2, 3].map(() => throttleReason(workers.claim(version('f')))));
    open();
    assert.deepEqual((await results).sort(), ['ConcurrentInvocationLimitExceeded', 'admitted', 'admitted']);
  });

  it('reclaims idle on-demand sandboxes after keep-alive but keeps provisioned ones', async () => {
    const { workers, clock } = setup();
    (await workers.claim(version('f'))).release();
    await workers.startProvisioned(version('f', { version: '1' }));
    clock.t += 1000;
    await workers.reap();
    assert.deepEqual(workers.snapshot(), [{ function: 'f', version: '1', host: 'h', idle: 1, busy: 0, provisioned: 1 }]);
  });

  it('keeps an idle sandbox as long as the histogram policy says for its version (fixed for others)', async () => {
    const { workers, clock } = setup({ keepAlive: histogramKeepAlive({ fallback: fixedKeepAlive(100) }) });
    // a timer every 300 ms (bin 30 of 10 ms): pre-warm 270 + keep-alive 71 = 341 ms idle, against 100 ms fixed
    for (let i = 0; i < 21; i++) {
      (await workers.claim(version('timer'))).release();
      clock.t += 300;
    }
    clock.t -= 300;
    (await workers.claim(version('rare'))).release();
    clock.t += 200;
    await workers.reap();
    assert.deepEqual(workers.snapshot().map((r) => r.function), ['timer'], 'the timer is kept past the fixed 100 ms, the unknown function is not');
    clock.t += 150;
    await workers.reap();
    assert.deepEqual(workers.snapshot(), []);
  });

  it('retires a changed $LATEST (idle now, busy on release) and leaves published versions warm', async () => {
    const { workers } = setup();
    const busy = await workers.claim(version('f'));
    (await workers.claim(version('f'))).release();
    (await workers.claim(version('f', { version: '1' }))).release();
    await workers.retire('f', '$LATEST');
    assert.deepEqual(workers.snapshot().map((r) => [r.version, r.idle, r.busy]).sort(), [['$LATEST', 0, 1], ['1', 1, 0]]);
    busy.release();
    assert.equal(busy.sandbox.alive, false);
  });

  it('fails a provisioned start whose init fails with FUNCTION_ERROR_INIT_FAILURE and keeps nothing', async () => {
    const { workers, host } = setup();
    host.initError = 'Runtime.ImportModuleError';
    await assert.rejects(workers.startProvisioned(version('f', { version: '1' })), /FUNCTION_ERROR_INIT_FAILURE/);
    assert.equal(host.live.size, 0);
    assert.deepEqual(workers.snapshot(), []);
  });

  it('drops idle provisioned sandboxes at once and lets busy ones finish as on-demand', async () => {
    const { workers } = setup();
    const v1 = version('f', { version: '1' });
    await workers.startProvisioned(v1);
    await workers.startProvisioned(v1);
    const busy = await workers.claim(v1);
    workers.dropProvisioned(versionKey(v1), 2);
    assert.equal(busy.sandbox.alive, true);
    assert.deepEqual(workers.provisionedCounts(), new Map());
    busy.release();
    assert.deepEqual(workers.snapshot(), [{ function: 'f', version: '1', host: 'h', idle: 1, busy: 0, provisioned: 0 }]);
  });

  it('recycles a provisioned sandbox past its lifetime: replacement asked for at once, the old one serving until it is ready', async () => {
    const { workers, clock } = setup({ maxLifetimeMs: 5000 });
    const v1 = version('f', { version: '1' });
    let lost = 0;
    workers.onProvisionedLost(() => lost++);
    await workers.startProvisioned(v1);
    clock.t += 5000;
    await workers.reap();
    assert.equal(lost, 1, 'the reconciler is told to start a replacement');
    assert.deepEqual(workers.provisionedCounts(), new Map());
    assert.deepEqual(workers.snapshot(), [{ function: 'f', version: '1', host: 'h', idle: 1, busy: 0, provisioned: 0 }], 'the old one still serves');
    clock.t += 1000;
    await workers.reap();
    assert.deepEqual(workers.snapshot(), [{ function: 'f', version: '1', host: 'h', idle: 1, busy: 0, provisioned: 0 }], 'and stays until its replacement is ready');
    await workers.startProvisioned(v1); // what the reconciler does
    await workers.reap();
    assert.deepEqual(workers.snapshot(), [{ function: 'f', version: '1', host: 'h', idle: 1, busy: 0, provisioned: 1 }]);
  });

  it('tells the reconciler when a provisioned sandbox dies', async () => {
    const { workers, host } = setup();
    let lost = 0;
    workers.onProvisionedLost(() => lost++);
    await workers.startProvisioned(version('f', { version: '1' }));
    host.created[0]!.alive = false;
    await workers.reap();
    assert.equal(lost, 1);
  });
});
