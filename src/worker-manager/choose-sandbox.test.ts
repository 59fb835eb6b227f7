import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseWarmSandbox, sandboxesToReclaim } from './choose-sandbox.ts';

describe('chooseWarmSandbox', () => {
  it('picks the most recently used idle sandbox', () => {
    const idle = [
      { id: 'a', lastUsedMs: 10, createdMs: 0 },
      { id: 'b', lastUsedMs: 30, createdMs: 0 },
      { id: 'c', lastUsedMs: 20, createdMs: 0 },
    ];
    assert.equal(chooseWarmSandbox(idle), 'b');
  });
  it('answers none when nothing is idle', () => assert.equal(chooseWarmSandbox([]), undefined));
});

describe('sandboxesToReclaim', () => {
  const cases: Array<[string, { lastUsedMs: number; createdMs: number }, boolean]> = [
    ['keeps a sandbox used within its keep-alive', { lastUsedMs: 950, createdMs: 0 }, false],
    ['reclaims a sandbox idle past its keep-alive', { lastUsedMs: 899, createdMs: 0 }, true],
    ['retires a sandbox past its maximum lifetime even if just used', { lastUsedMs: 1000, createdMs: -9000 }, true],
  ];
  for (const [name, s, expected] of cases) {
    it(name, () => assert.equal(sandboxesToReclaim([{ id: 'x', ...s }], 1000, 100, 10_000).length === 1, expected));
  }
});
