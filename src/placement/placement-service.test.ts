import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Throttled, type WorkerHostPort } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import type { HostView } from './choose-host.ts';
import type { HostDirectory, PlacedHost } from './host-directory.ts';
import { PlacementService } from './placement-service.ts';

/** A host placement only names (placement never calls createSandbox itself). */
function placed(id: string, view: Omit<HostView, 'id' | 'sandboxesOfFunction'>, ofFunction = 0): PlacedHost {
  const host: WorkerHostPort = { id, createSandbox: () => Promise.reject(new Error('not in this test')) };
  return { host, view: () => ({ id, sandboxesOfFunction: ofFunction, ...view }) };
}
const free = { healthy: true, memoryBudgetMb: 1024, memoryCommittedMb: 0, memoryMeasuredMb: 0 };

describe('PlacementService', () => {
  it('asks the directory for the current hosts at every placement', () => {
    let hosts = [placed('a', free)];
    const directory: HostDirectory = { hosts: () => hosts };
    const placement = new PlacementService({ directory });
    assert.equal(placement.place(functionVersion('f'), () => []).host.id, 'a');
    hosts = [placed('a', { ...free, healthy: false }), placed('b', free)];
    assert.equal(placement.place(functionVersion('f'), () => []).host.id, 'b');
  });

  it('spreads a function over hosts before packing', () => {
    const placement = new PlacementService();
    placement.register(placed('a', { ...free, memoryCommittedMb: 512, memoryMeasuredMb: 512 }, 1));
    placement.register(placed('b', free, 0));
    assert.equal(placement.place(functionVersion('f'), () => []).host.id, 'b');
  });

  it('evicts on a candidate host only, and throttles when none can make room', () => {
    const full = { ...free, memoryCommittedMb: 1024, memoryMeasuredMb: 1024 };
    const placement = new PlacementService({ directory: { hosts: () => [placed('a', { ...full, draining: true }), placed('b', full)] } });
    const idle = [{ id: 'x', hostId: 'a', memoryMb: 512, lastUsedMs: 0 }, { id: 'y', hostId: 'b', memoryMb: 512, lastUsedMs: 0 }];
    assert.deepEqual(placement.place(functionVersion('f'), () => idle).evict, ['y']);
    assert.throws(() => placement.place(functionVersion('f'), () => idle.slice(0, 1)), Throttled);
  });
});
