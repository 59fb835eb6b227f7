import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initPhaseLimits } from './init-phase.ts';

describe('initPhaseLimits', () => {
  const base = { memoryMb: 128, pidsMax: 1024, tmpSizeMb: 512 };
  const cases: Array<[string, number, number]> = [
    ['gives a small function a full CPU for its init phase', 72, 1000],
    ['keeps the share of a function that already has more than one CPU', 2000, 2000],
  ];
  for (const [name, cpuMillis, expected] of cases) {
    it(name, () => assert.deepEqual(initPhaseLimits({ ...base, cpuMillis }), { ...base, cpuMillis: expected }));
  }
});
