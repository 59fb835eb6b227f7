import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HostView } from './choose-host.ts';
import { planEviction, type EvictableSandbox } from './plan-eviction.ts';

const host = (id: string, inUse: number, budget = 512, healthy = true): HostView => ({ id, healthy, memoryBudgetMb: budget, memoryCommittedMb: inUse, memoryMeasuredMb: inUse, sandboxesOfFunction: 0 });
const idle = (id: string, hostId: string, lastUsedMs: number, memoryMb = 128): EvictableSandbox => ({ id, hostId, memoryMb, lastUsedMs });

describe('planEviction', () => {
  const cases: Array<[string, HostView[], EvictableSandbox[], number, ReturnType<typeof planEviction>]> = [
    ['evicts the least recently used idle sandbox', [host('h', 512)], [idle('new', 'h', 30), idle('old', 'h', 10), idle('mid', 'h', 20)], 128, { hostId: 'h', evict: ['old'] }],
    ['evicts as many as the new sandbox needs, oldest first', [host('h', 512)], [idle('a', 'h', 30), idle('b', 'h', 10), idle('c', 'h', 20)], 256, { hostId: 'h', evict: ['b', 'c'] }],
    ['counts the free memory a host already has', [host('h', 448)], [idle('a', 'h', 1), idle('b', 'h', 2)], 128, { hostId: 'h', evict: ['a'] }],
    ['refuses when evicting every idle sandbox is not enough', [host('h', 512)], [idle('a', 'h', 1)], 256, undefined],
    ['refuses when nothing is idle', [host('h', 512)], [], 128, undefined],
    ['never evicts on an unhealthy host', [host('h', 512, 512, false)], [idle('a', 'h', 1)], 128, undefined],
    ['never evicts on a draining host', [{ ...host('h', 512), draining: true }], [idle('a', 'h', 1)], 128, undefined],
    ['never plans for a sandbox larger than the whole budget', [host('h', 512)], [idle('a', 'h', 1, 512)], 1024, undefined],
    [
      'picks the host that needs the fewest evictions',
      [host('x', 512), host('y', 512)],
      [idle('x1', 'x', 1, 64), idle('x2', 'x', 2, 64), idle('y1', 'y', 5, 128)],
      128,
      { hostId: 'y', evict: ['y1'] },
    ],
    ['only evicts sandboxes of the chosen host', [host('x', 512), host('y', 0, 64)], [idle('y1', 'y', 1, 64)], 128, undefined],
  ];
  for (const [name, hosts, candidates, mb, expected] of cases) it(name, () => assert.deepEqual(planEviction(hosts, candidates, mb), expected));
});
