import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planProvisioned, statusUpdates, wantedByKey, type AllocationView, type ProvisionedStatus } from './plan-provisioned.ts';

const m = (entries: Array<[string, number]>) => new Map(entries);
const reasons = (entries: Array<[string, string]>) => new Map(entries);
const alloc = (qualifier: string, status: ProvisionedStatus, versions: Array<[string, number]>): AllocationView => ({
  functionName: 'f',
  qualifier,
  status,
  versions: versions.map(([key, count]) => ({ key, count })),
});

describe('planProvisioned', () => {
  const cases: Array<[string, Map<string, number>, Map<string, number>, string[], ReturnType<typeof planProvisioned>]> = [
    ['starts every sandbox of a new config', m([['v1', 3]]), m([]), [], { start: [['v1', 3]], drop: [] }],
    ['starts only what is missing', m([['v1', 3]]), m([['v1', 1]]), [], { start: [['v1', 2]], drop: [] }],
    ['does nothing when complete', m([['v1', 2]]), m([['v1', 2]]), [], { start: [], drop: [] }],
    ['drops the surplus of a lowered config', m([['v1', 1]]), m([['v1', 3]]), [], { start: [], drop: [['v1', 2]] }],
    ['drops every sandbox of a deleted config', m([]), m([['v1', 2]]), [], { start: [], drop: [['v1', 2]] }],
    ['moves sandboxes when an alias points elsewhere', m([['v2', 2]]), m([['v1', 2]]), [], { start: [['v2', 2]], drop: [['v1', 2]] }],
    ['does not retry a version that failed', m([['v1', 2]]), m([]), ['v1'], { start: [], drop: [] }],
  ];
  for (const [name, wanted, have, failed, expected] of cases) it(name, () => assert.deepEqual(planProvisioned(wanted, have, new Set(failed)), expected));
});

describe('wantedByKey', () => {
  it('sums the versions of every config', () =>
    assert.deepEqual(wantedByKey([alloc('1', 'IN_PROGRESS', [['v1', 2]]), alloc('live', 'IN_PROGRESS', [['v2', 3], ['v1', 1]])]), m([['v1', 3], ['v2', 3]])));
});

describe('statusUpdates', () => {
  const cases: Array<[string, AllocationView[], Map<string, number>, Map<string, string>, ReturnType<typeof statusUpdates>]> = [
    ['reports READY once every sandbox is up', [alloc('1', 'IN_PROGRESS', [['v1', 2]])], m([['v1', 2]]), reasons([]), [{ functionName: 'f', qualifier: '1', status: 'READY' }]],
    ['stays in progress while sandboxes are missing', [alloc('1', 'IN_PROGRESS', [['v1', 2]])], m([['v1', 1]]), reasons([]), []],
    ['does not repeat READY', [alloc('1', 'READY', [['v1', 2]])], m([['v1', 2]]), reasons([]), []],
    [
      'needs both versions of a weighted alias',
      [alloc('live', 'IN_PROGRESS', [['v1', 1], ['v2', 1]])],
      m([['v1', 1]]),
      reasons([]),
      [],
    ],
    [
      'reports FAILED with the reason of a version that could not start',
      [alloc('1', 'IN_PROGRESS', [['v1', 2]])],
      m([]),
      reasons([['v1', 'FUNCTION_ERROR_INIT_FAILURE']]),
      [{ functionName: 'f', qualifier: '1', status: 'FAILED', reason: 'FUNCTION_ERROR_INIT_FAILURE' }],
    ],
    ['does not repeat FAILED', [alloc('1', 'FAILED', [['v1', 2]])], m([]), reasons([['v1', 'x']]), []],
    ['leaves a config whose versions are gone alone', [alloc('1', 'IN_PROGRESS', [])], m([]), reasons([]), []],
  ];
  for (const [name, allocations, have, failed, expected] of cases) it(name, () => assert.deepEqual(statusUpdates(allocations, have, failed), expected));
});
