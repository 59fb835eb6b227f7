import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { limitsFor } from './sandbox-limits.ts';

describe('limitsFor', () => {
  const cases: Array<[number, number, number]> = [
    // memory MB, machine CPUs, expected millicpu
    [1769, 2, 1000],
    [128, 2, 72],
    [3538, 2, 2000],
    [10240, 2, 2000],
    [10240, 8, 5789],
  ];
  for (const [memory, cpus, millis] of cases) {
    it(`gives ${memory} MB on ${cpus} CPUs a share of ${millis} millicpu`, () => {
      assert.equal(limitsFor(memory, 512, cpus).cpuMillis, millis);
    });
  }
  it('limits /tmp to the ephemeral storage size', () => {
    assert.equal(limitsFor(128, 1024, 2).tmpSizeMb, 1024);
  });
});
