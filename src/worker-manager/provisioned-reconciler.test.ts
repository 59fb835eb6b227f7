import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { FunctionVersionConfig } from '../model/index.ts';
import { version } from './testing/fake-worker-host.ts';
import type { ProvisionedStatus } from './plan-provisioned.ts';
import { ProvisionedReconciler, type ProvisionedSandboxes, type ProvisionedSource, type ReconcilerDeps, type ReconcilerLeases } from './provisioned-reconciler.ts';

const keyOf = (v: FunctionVersionConfig): string => `${v.functionName}:${v.version}`;

interface Config {
  functionName: string;
  qualifier: string;
  lastModifiedMs: number;
  requested: number;
  status: ProvisionedStatus;
  reason?: string;
  versions: Array<{ config: FunctionVersionConfig; count: number }>;
}

/** The control plane's side as the store keeps it (shared by every reconciler given it): a status set only on the config seen. */
class FakeSource implements ProvisionedSource {
  configs: Config[] = [];
  /** Status writes, in order: `function:qualifier=STATUS`. */
  readonly marks: string[] = [];
  readonly #listeners = new Set<() => void>();
  #modified = 0;
  async allocations() {
    return this.configs.map((c) => ({ functionName: c.functionName, qualifier: c.qualifier, lastModifiedMs: c.lastModifiedMs, status: c.status, versions: c.versions }));
  }
  onChange(listener: () => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  async markReady(f: string, q: string, seen: number) {
    this.#mark(f, q, seen, { status: 'READY' });
  }
  async markFailed(f: string, q: string, seen: number, reason: string) {
    this.#mark(f, q, seen, { status: 'FAILED', reason });
  }
  async markInProgress(f: string, q: string, seen: number) {
    this.#mark(f, q, seen, { status: 'IN_PROGRESS' });
  }
  put(qualifier: string, count: number, v = '1', functionName = 'f') {
    this.configs = this.configs.filter((c) => c.functionName !== functionName || c.qualifier !== qualifier);
    const config = version(functionName, { version: v });
    this.configs.push({ functionName, qualifier, lastModifiedMs: ++this.#modified, requested: count, status: 'IN_PROGRESS', versions: [{ config, count }] });
    for (const l of this.#listeners) l();
  }
  delete(qualifier: string) {
    this.configs = this.configs.filter((c) => c.qualifier !== qualifier);
    for (const l of this.#listeners) l();
  }
  #mark(f: string, q: string, seen: number, change: Partial<Config>) {
    const c = this.configs.find((x) => x.functionName === f && x.qualifier === q && x.lastModifiedMs === seen);
    if (c === undefined) return;
    Object.assign(c, change);
    this.marks.push(`${f}:${q}=${c.status}`);
  }
}

class FakeSandboxes implements ProvisionedSandboxes {
  readonly counts = new Map<string, number>();
  failWith: string | undefined;
  starts = 0;
  lost: (() => void) | undefined;
  onStart: (() => void) | undefined;
  provisionedCounts() {
    return this.counts;
  }
  async startProvisioned(v: FunctionVersionConfig) {
    this.starts++;
    await new Promise((r) => setImmediate(r));
    this.onStart?.();
    if (this.failWith) throw new Error(this.failWith);
    this.counts.set(keyOf(v), (this.counts.get(keyOf(v)) ?? 0) + 1);
  }
  dropProvisioned(key: string, n: number) {
    this.counts.set(key, (this.counts.get(key) ?? 0) - n);
    if (this.counts.get(key) === 0) this.counts.delete(key);
  }
  onProvisionedLost(listener: () => void) {
    this.lost = listener;
    return () => (this.lost = undefined);
  }
}

function setup() {
  const source = new FakeSource();
  const sandboxes = new FakeSandboxes();
  const reconciler = new ProvisionedReconciler({ source, sandboxes, keyOf, logger: pino({ level: 'silent' }) });
  reconciler.start();
  return { source, sandboxes, reconciler };
}

describe('ProvisionedReconciler', () => {
  it('initialises every requested sandbox, then reports READY', async () => {
    const { source, sandboxes, reconciler } = setup();
    source.put('1', 3);
    await reconciler.idle();
    assert.equal(sandboxes.counts.get('f:1'), 3);
    assert.equal(source.configs[0]!.status, 'READY');
  });

  it('reports FAILED with the reason and does not retry until the config changes', async () => {
    const { source, sandboxes, reconciler } = setup();
    sandboxes.failWith = 'FUNCTION_ERROR_INIT_FAILURE';
    source.put('1', 2);
    await reconciler.idle();
    assert.deepEqual([source.configs[0]!.status, source.configs[0]!.reason], ['FAILED', 'FUNCTION_ERROR_INIT_FAILURE']);
    const tried = sandboxes.starts;
    reconciler.kick();
    await reconciler.idle();
    assert.equal(sandboxes.starts, tried);
    sandboxes.failWith = undefined;
    source.put('1', 2);
    await reconciler.idle();
    assert.equal(source.configs[0]!.status, 'READY');
  });

  it('tears sandboxes down when the config is deleted or lowered', async () => {
    const { source, sandboxes, reconciler } = setup();
    source.put('1', 3);
    await reconciler.idle();
    source.put('1', 1);
    await reconciler.idle();
    assert.equal(sandboxes.counts.get('f:1'), 1);
    source.delete('1');
    await reconciler.idle();
    assert.equal(sandboxes.counts.size, 0);
  });

  it('moves sandboxes to the version an alias now points to', async () => {
    const { source, sandboxes, reconciler } = setup();
    source.put('live', 2, '1');
    await reconciler.idle();
    source.put('live', 2, '2');
    await reconciler.idle();
    assert.deepEqual([...sandboxes.counts], [['f:2', 2]]);
  });

  it('replaces a provisioned sandbox that died', async () => {
    const { source, sandboxes, reconciler } = setup();
    source.put('1', 2);
    await reconciler.idle();
    sandboxes.counts.set('f:1', 1);
    sandboxes.lost!();
    await reconciler.idle();
    assert.equal(sandboxes.counts.get('f:1'), 2);
  });

  it('does not report READY for a config put again with more while it was starting', async () => {
    const { source, sandboxes, reconciler } = setup();
    let reput = false;
    sandboxes.onStart = () => {
      if (!reput) {
        reput = true;
        source.put('1', 3);
      }
    };
    const marks: string[] = [];
    const markReady = source.markReady.bind(source);
    source.markReady = async (f, q, seen) => {
      marks.push(`${sandboxes.counts.get('f:1')}`);
      await markReady(f, q, seen);
    };
    source.put('1', 1);
    await reconciler.idle();
    assert.deepEqual(marks, ['3']);
    assert.equal(source.configs[0]!.status, 'READY');
  });

  it('reports no status for a config put again after the pass read it (the mark names the config it saw)', async () => {
    const { source, reconciler } = setup();
    source.put('1', 1);
    await reconciler.idle();
    const seen = source.configs[0]!.lastModifiedMs;
    source.put('1', 1);
    await source.markReady('f', '1', seen);
    assert.equal(source.configs[0]!.status, 'IN_PROGRESS', 'a stale mark changes nothing');
    await reconciler.idle();
    assert.equal(source.configs[0]!.status, 'READY');
  });
});

/** Leases as the LeaseStore grants them: free or expired, or renewed by their holder. */
class MemoryLeases implements ReconcilerLeases {
  readonly rows = new Map<string, { holder: string; expiresMs: number }>();
  async acquire(name: string, holder: string, nowMs: number, ttlMs: number) {
    const row = this.rows.get(name);
    if (row !== undefined && row.holder !== holder && row.expiresMs > nowMs) return false;
    this.rows.set(name, { holder, expiresMs: nowMs + ttlMs });
    return true;
  }
  async release(name: string, holder: string) {
    if (this.rows.get(name)?.holder === holder) this.rows.delete(name);
  }
}

describe('ProvisionedReconciler across front ends', () => {
  const TTL = 10_000;

  /** Two front ends sharing one source (the database) and one lease store; `owner` says which owns every function; passes run on kick only. */
  function cluster() {
    const source = new FakeSource();
    const leases = new MemoryLeases();
    let nowMs = 1_000_000;
    const state = { owner: 'a' };
    const clock = { now: () => nowMs };
    const frontEnd = (id: string) => {
      const sandboxes = new FakeSandboxes();
      const deps: ReconcilerDeps = {
        source, sandboxes, keyOf, logger: pino({ level: 'silent' }),
        owns: () => state.owner === id, leases, holder: id, clock, leaseTtlMs: TTL,
        renewEveryMs: 3_600_000, // renewals are driven by the test's kicks, on its clock
      };
      const reconciler = new ProvisionedReconciler(deps);
      reconciler.start();
      return { id, sandboxes, reconciler };
    };
    const a = frontEnd('a');
    const b = frontEnd('b');
    const pass = async (...fes: Array<ReturnType<typeof frontEnd>>) => {
      for (const fe of fes) {
        fe.reconciler.kick();
        await fe.reconciler.idle();
      }
    };
    const holding = () => [a, b].filter((fe) => (fe.sandboxes.counts.get('f:1') ?? 0) > 0).map((fe) => fe.id);
    return { source, leases, state, a, b, pass, holding, advance: (ms: number) => (nowMs += ms) };
  }

  it('keeps a function\'s sandboxes on its owner only, and the status is written by that front end alone', async () => {
    const { source, a, b, pass, holding } = cluster();
    source.put('1', 2);
    await pass(a, b, a, b);
    assert.deepEqual(holding(), ['a']);
    assert.equal(a.sandboxes.counts.get('f:1'), 2);
    assert.equal(b.sandboxes.starts, 0);
    assert.equal(source.configs[0]!.status, 'READY');
    assert.deepEqual(source.marks, ['f:1=READY']);
    assert.deepEqual([...a.reconciler.reconciled()], ['f']);
    assert.deepEqual([...b.reconciler.reconciled()], []);
    await a.reconciler.stop();
    await b.reconciler.stop();
  });

  it('hands a function over when its owner changes: the old owner drops its sandboxes and releases the lease, the new one takes over', async () => {
    const { source, leases, state, a, b, pass, holding } = cluster();
    source.put('1', 2);
    await pass(a, b);
    state.owner = 'b';
    await pass(b);
    assert.deepEqual(holding(), ['a'], 'b waits while a holds the lease');
    await pass(a);
    assert.deepEqual(holding(), [], 'a gave the function up');
    assert.equal(leases.rows.get('provisioned:f'), undefined, 'and released its lease');
    await pass(b);
    assert.deepEqual(holding(), ['b']);
    assert.equal(b.sandboxes.counts.get('f:1'), 2);
    assert.deepEqual(source.marks, ['f:1=READY', 'f:1=IN_PROGRESS', 'f:1=READY'], 'taken over: started over, then READY');
    await a.reconciler.stop();
    await b.reconciler.stop();
  });

  it('takes a function over from a front end that died, once its lease has expired', async () => {
    const { source, state, a, b, pass, holding, advance } = cluster();
    source.put('1', 2);
    await pass(a, b);
    // a dies: it renews nothing any more, releases nothing; the live front ends now say b owns f
    state.owner = 'b';
    advance(TTL - 1);
    await pass(b);
    assert.deepEqual(b.sandboxes.starts, 0, 'the dead holder\'s lease still runs');
    advance(1);
    await pass(b);
    assert.equal(b.sandboxes.counts.get('f:1'), 2);
    assert.equal(source.configs[0]!.status, 'READY');
    assert.deepEqual(holding(), ['a', 'b'], 'only because the dead a still shows its (gone) sandboxes');
    await b.reconciler.stop();
  });

  it('gives a function up when its lease was lost, and releases its leases on stop without dropping sandboxes', async () => {
    const { source, leases, a, b, pass, holding, advance } = cluster();
    source.put('1', 2);
    await pass(a);
    // a was cut off past the ttl and someone else took the lease meanwhile
    advance(TTL);
    assert.equal(await leases.acquire('provisioned:f', 'c', 1_000_000 + TTL, TTL), true);
    await pass(a);
    assert.deepEqual(holding(), []);
    assert.deepEqual([...a.reconciler.reconciled()], []);
    await leases.release('provisioned:f', 'c');
    await pass(a);
    assert.deepEqual(holding(), ['a']);
    await a.reconciler.stop();
    assert.deepEqual(holding(), ['a'], 'stop drops nothing');
    assert.equal(leases.rows.get('provisioned:f'), undefined, 'stop releases its leases');
    await b.reconciler.stop();
  });
});
