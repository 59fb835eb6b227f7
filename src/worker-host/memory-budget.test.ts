import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultMemoryBudgetMb } from './memory-budget.ts';

const GiB = 1024 ** 3;

describe('defaultMemoryBudgetMb', () => {
  const cases: Array<[string, number, number]> = [
    ['a 64 GiB machine keeps 10 % for itself', 64 * GiB, 65_536 - 6554],
    ['an 8 GiB machine keeps 1 GiB', 8 * GiB, 7168],
    ['a tiny machine still offers 128 MB', 0.5 * GiB, 128],
  ];
  for (const [name, total, expected] of cases) it(name, () => assert.equal(defaultMemoryBudgetMb(total), expected));
});
