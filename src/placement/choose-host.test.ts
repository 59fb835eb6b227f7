import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseHost, roomMb, type HostView, type PlacementPolicy } from './choose-host.ts';
import { isHealthy } from './host-health.ts';

const host = (id: string, committed: number, ofFunction = 0, extra: Partial<HostView> = {}): HostView => ({
  id, healthy: true, memoryBudgetMb: 1024, memoryCommittedMb: committed, memoryMeasuredMb: committed, sandboxesOfFunction: ofFunction, ...extra,
});
const over: PlacementPolicy = { oversubscription: 2, oomGuard: 0.1 };

describe('chooseHost', () => {
  const cases: Array<[string, HostView[], number, string | undefined, PlacementPolicy?]> = [
    ['packs onto the fullest host that fits', [host('a', 100), host('b', 500)], 128, 'b'],
    ['skips a host without room', [host('a', 100), host('b', 1000)], 128, 'a'],
    ['fits exactly at the budget', [host('a', 896)], 128, 'a'],
    ['spreads one function over hosts first', [host('a', 100, 0), host('b', 500, 2)], 128, 'a'],
    ['never places on an unhealthy host', [host('a', 0, 0, { healthy: false })], 128, undefined],
    ['never places on a draining host', [host('a', 0, 0, { draining: true }), host('b', 900)], 64, 'b'],
    ['never places on a host whose lease expired', [host('a', 0, 0, { leaseExpired: true })], 128, undefined],
    ['answers none when every host is full', [host('a', 1000)], 128, undefined],
    ['best fit: the least room left, not the most committed', [host('big', 1000, 0, { memoryBudgetMb: 4096 }), host('small', 800)], 128, 'small'],
    ['breaks ties by id', [host('b', 100), host('a', 100)], 128, 'a'],
    ['no oversubscription by default, whatever the measured use', [host('a', 1000, 0, { memoryMeasuredMb: 50 })], 128, undefined],
    ['oversubscribes a host whose measured use is low', [host('a', 1000, 0, { memoryMeasuredMb: 50 })], 128, 'a', over],
    ['stops at budget x factor by limits', [host('a', 1950, 0, { memoryMeasuredMb: 50 })], 128, undefined, over],
    ['stops where measured use + M would enter the OOM guard', [host('a', 1100, 0, { memoryMeasuredMb: 800 })], 128, undefined, over],
    ['within the budget by limits it always fits, even when measured use is high', [host('a', 500, 0, { memoryMeasuredMb: 1000 })], 128, 'a', over],
  ];
  for (const [name, hosts, mb, expected, policy] of cases) it(name, () => assert.equal(chooseHost(hosts, mb, policy), expected));

  it('room is budget - committed without oversubscription and the smaller bound past the budget', () => {
    assert.equal(roomMb(host('a', 1000), { oversubscription: 1, oomGuard: 0.1 }), 24);
    // limits allow 2048 - 1000 = 1048; measured allows 921.6 - 300 = 621.6
    assert.equal(roomMb(host('a', 1000, 0, { memoryMeasuredMb: 300 }), over), 1024 * 0.9 - 300);
  });
});

describe('isHealthy', () => {
  const cases: Array<[string, number | undefined, number, boolean]> = [
    ['a fresh heartbeat', 10_000, 10_500, true],
    ['two missed heartbeats', 10_000, 12_999, true],
    ['three missed heartbeats', 10_000, 13_000, false],
    ['never heard from', undefined, 0, false],
  ];
  for (const [name, last, now, expected] of cases) it(name, () => assert.equal(isHealthy(last, now), expected));
});
