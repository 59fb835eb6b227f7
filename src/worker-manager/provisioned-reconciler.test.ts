import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { FunctionVersionConfig } from '../model/index.ts';
import { version } from './testing/fake-worker-host.ts';
import type { ProvisionedStatus } from './plan-provisioned.ts';
import { ProvisionedReconciler, type ProvisionedSandboxes, type ProvisionedSource } from './provisioned-reconciler.ts';

const keyOf = (v: FunctionVersionConfig): string => `${v.functionName}:${v.version}`;

interface Config {
  qualifier: string;
  requested: number;
  status: ProvisionedStatus;
  reason?: string;
  versions: Array<{ config: FunctionVersionConfig; count: number }>;
}

class FakeSource implements ProvisionedSource {
  configs: Config[] = [];
  #listener: (() => void) | undefined;
  async allocations() {
    return this.configs.map((c) => ({ functionName: 'f', qualifier: c.qualifier, status: c.status, versions: c.versions }));
  }
  onChange(listener: () => void) {
    this.#listener = listener;
    return () => (this.#listener = undefined);
  }
  async markReady(_f: string, q: string) {
    const c = this.configs.find((x) => x.qualifier === q);
    if (c) c.status = 'READY';
  }
  async markFailed(_f: string, q: string, reason: string) {
    const c = this.configs.find((x) => x.qualifier === q);
    if (c) Object.assign(c, { status: 'FAILED', reason });
  }
  put(qualifier: string, count: number, v = '1') {
    this.configs = this.configs.filter((c) => c.qualifier !== qualifier);
    this.configs.push({ qualifier, requested: count, status: 'IN_PROGRESS', versions: [{ config: version('f', { version: v }), count }] });
    this.#listener?.();
  }
  delete(qualifier: string) {
    this.configs = this.configs.filter((c) => c.qualifier !== qualifier);
    this.#listener?.();
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
    source.markReady = async (f, q) => {
      marks.push(`${sandboxes.counts.get('f:1')}`);
      await markReady(f, q);
    };
    source.put('1', 1);
    await reconciler.idle();
    assert.deepEqual(marks, ['3']);
    assert.equal(source.configs[0]!.status, 'READY');
  });
});
