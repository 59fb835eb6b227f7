import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { LogSink } from './log-capture.ts';
import { PoolDemand } from './pool-demand.ts';
import { RuntimeApiServer } from './runtime-api/index.ts';
import { SandboxPool, type CellTemplate } from './sandbox-pool.ts';
import type { CellSpec, IsolationReport, Sandbox, SandboxDriver, SandboxExit, SandboxLimits } from './sandbox/sandbox-driver.ts';

const TEMPLATE: CellTemplate = { command: ['/bin/true'], env: {}, runtimeMounts: [] } as unknown as CellTemplate;
const KIND = 'nodejs24';
const logStore: LogSink = { append: async () => undefined };

/** A started sandbox that lives until destroyed. */
function box(id: string): Sandbox & { destroyed: boolean; limits: SandboxLimits[] } {
  let end!: (exit: SandboxExit) => void;
  const exited = new Promise<SandboxExit>((r) => (end = r));
  const b = {
    id, pid: 1, runtimeApiAddress: '127.0.0.1:9001', taskRoot: '/var/task', hostAddress: undefined,
    stdout: new PassThrough(), stderr: new PassThrough(), exited, destroyed: false, limits: [] as SandboxLimits[],
    specialize: async () => undefined,
    setLimits: (limits: SandboxLimits) => void b.limits.push(limits),
    memoryUsage: () => undefined,
    destroy: async () => {
      b.destroyed = true;
      end({ code: 0, signal: null } as unknown as SandboxExit);
    },
  };
  return b;
}

/** A driver whose starts the test completes (or fails) one by one, in any order. */
class StepDriver implements SandboxDriver {
  readonly isolation = { driver: 'step' } as unknown as IsolationReport;
  readonly hostAddress = undefined;
  readonly starts: Array<{ readonly id: string; finish(): void; fail(err: Error): void }> = [];
  readonly boxes: Array<ReturnType<typeof box>> = [];

  start(spec: CellSpec): Promise<Sandbox> {
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        const b = box(spec.id);
        this.boxes.push(b);
        resolve(b);
      };
      this.starts.push({ id: spec.id, finish, fail: reject });
    });
  }

  async cleanupStale(): Promise<void> {}
  async close(): Promise<void> {}
}

function poolOf(driver: StepDriver, base = 0, max = 4, refill: { cpuIdleShare?: () => number; refillBatch?: number } = { refillBatch: 4 }): SandboxPool {
  return new SandboxPool({
    driver, runtimeApi: new RuntimeApiServer(), logStore, logger: pino({ level: 'silent' }),
    demand: new PoolDemand({ base, max, windowMs: 10_000 }), poolLimits: { memoryMb: 512, cpuMillis: 1000, pidsMax: 1024, tmpSizeMb: 512 },
    ...refill,
  });
}

const turn = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SandboxPool', () => {
  it('serves takes that found no ready cell in arrival order, by whichever of their cells is ready first', async () => {
    const driver = new StepDriver();
    const pool = poolOf(driver);
    const first = pool.take(KIND, TEMPLATE);
    const second = pool.take(KIND, TEMPLATE);
    assert.equal(driver.starts.length, 2, 'one cell started for each take');
    driver.starts[1]!.finish(); // the second take's cell is ready first
    const cell = await first;
    assert.equal(cell.box.id, driver.starts[1]!.id, 'the first take gets the first cell ready');
    driver.starts[0]!.finish();
    assert.equal((await second).box.id, driver.starts[0]!.id);
    await pool.close();
  });

  it('starts no refill cell while takes wait for theirs, and refills to the demand once they are served', async () => {
    const driver = new StepDriver();
    const pool = poolOf(driver);
    const takes = [pool.take(KIND, TEMPLATE), pool.take(KIND, TEMPLATE), pool.take(KIND, TEMPLATE)];
    await turn(150); // past the refill delay
    assert.equal(driver.starts.length, 3, 'only the takes\' own cells start while they wait');
    for (const s of driver.starts.slice(0, 3)) s.finish();
    await Promise.all(takes);
    await turn(150);
    assert.equal(driver.starts.length, 6, 'then the pool refills to the three cells its recent takes ask for');
    for (const s of driver.starts.slice(3)) s.finish();
    await turn();
    assert.deepEqual(pool.sizes(), { [KIND]: 3 });
    await pool.close();
  });

  it('puts a cell that waits in the pool at the lowest CPU weight, and never one a take is waiting for', async () => {
    const driver = new StepDriver();
    const pool = poolOf(driver);
    const take = pool.take(KIND, TEMPLATE);
    driver.starts[0]!.finish();
    await take;
    await turn(150); // the refill
    driver.starts[1]!.finish();
    await turn();
    assert.deepEqual(pool.sizes(), { [KIND]: 1 });
    assert.deepEqual(driver.boxes[0]!.limits, [], 'a cell started for a waiting take keeps its full weight');
    assert.deepEqual(driver.boxes[1]!.limits, [{ memoryMb: 512, cpuMillis: 1000, pidsMax: 1024, tmpSizeMb: 512, background: true }]);
    await pool.close();
  });

  it('refills a batch of cells at a time, and only while the CPUs have room', async () => {
    const driver = new StepDriver();
    let idle = 0.1;
    const pool = poolOf(driver, 0, 4, { cpuIdleShare: () => idle, refillBatch: 2 });
    const takes = [0, 1, 2, 3].map(() => pool.take(KIND, TEMPLATE));
    for (const s of driver.starts) s.finish();
    await Promise.all(takes);
    await turn(200);
    assert.equal(driver.starts.length, 4, 'no refill while the CPUs are busy');
    idle = 0.9;
    await turn(120);
    assert.equal(driver.starts.length, 6, 'one batch once they have room');
    await turn(120);
    assert.equal(driver.starts.length, 6, 'not the next batch while this one starts');
    for (const s of driver.starts.slice(4)) s.finish();
    await turn(120);
    assert.equal(driver.starts.length, 8, 'the next batch once it is ready, up to the demand');
    for (const s of driver.starts.slice(6)) s.finish();
    await turn(120);
    assert.equal(driver.starts.length, 8);
    assert.deepEqual(pool.sizes(), { [KIND]: 4 });
    await pool.close();
  });

  it('fails a take only when no starting cell is left for it, and keeps a failed refill to a warning', async () => {
    const driver = new StepDriver();
    const pool = poolOf(driver);
    const first = pool.take(KIND, TEMPLATE);
    const second = pool.take(KIND, TEMPLATE);
    driver.starts[0]!.fail(new Error('no room'));
    await assert.rejects(first, /no room/, 'the oldest take hears of the failure');
    driver.starts[1]!.finish();
    assert.equal((await second).box.id, driver.starts[1]!.id);
    await turn(150);
    const refill = driver.starts.slice(2);
    assert.ok(refill.length > 0, 'a refill was started');
    for (const s of refill) s.fail(new Error('refill failed'));
    await turn();
    assert.deepEqual(pool.sizes(), {});
    const third = pool.take(KIND, TEMPLATE);
    driver.starts.at(-1)!.finish();
    assert.ok(await third, 'the pool still serves takes');
    await pool.close();
  });

  it('rejects the takes still waiting when it closes, and destroys the cells that start afterwards', async () => {
    const driver = new StepDriver();
    const pool = poolOf(driver);
    const waiting = pool.take(KIND, TEMPLATE);
    await pool.close();
    await assert.rejects(waiting, /closed/);
    driver.starts[0]!.finish();
    await turn();
    assert.equal(driver.boxes[0]?.destroyed, true, 'a cell ready after the close is destroyed');
    await assert.rejects(pool.take(KIND, TEMPLATE), /closed/);
  });
});
