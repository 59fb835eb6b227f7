import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseWarmSandbox, provisionedToRecycle, sandboxesToReclaim, type SandboxView } from './choose-sandbox.ts';

const box = (id: string, patch: Partial<SandboxView> = {}): SandboxView => ({ id, lastUsedMs: 0, createdMs: 0, busy: false, alive: true, provisioned: false, ...patch });

describe('chooseWarmSandbox', () => {
  const cases: Array<[string, SandboxView[], string | undefined]> = [
    ['picks the most recently used idle sandbox', [box('a', { lastUsedMs: 10 }), box('b', { lastUsedMs: 30 }), box('c', { lastUsedMs: 20 })], 'b'],
    ['prefers a provisioned sandbox over a more recently used on-demand one', [box('a', { lastUsedMs: 30 }), box('p', { lastUsedMs: 1, provisioned: true })], 'p'],
    ['skips busy sandboxes', [box('a', { lastUsedMs: 30, busy: true }), box('b', { lastUsedMs: 1 })], 'b'],
    ['skips dead sandboxes', [box('a', { lastUsedMs: 30, alive: false })], undefined],
    ['answers none when nothing is idle', [], undefined],
  ];
  for (const [name, boxes, expected] of cases) it(name, () => assert.equal(chooseWarmSandbox(boxes)?.id, expected));
  it('answers none for a version without sandboxes', () => assert.equal(chooseWarmSandbox(undefined), undefined));
});

describe('sandboxesToReclaim', () => {
  const cases: Array<[string, Partial<SandboxView>, boolean]> = [
    ['keeps a sandbox used within its keep-alive', { lastUsedMs: 950 }, false],
    ['reclaims a sandbox idle past its keep-alive', { lastUsedMs: 899 }, true],
    ['retires a sandbox past its maximum lifetime even if just used', { lastUsedMs: 1000, createdMs: -9000 }, true],
    ['never reclaims a provisioned sandbox by keep-alive', { lastUsedMs: 0, provisioned: true }, false],
    ['never reclaims a busy sandbox', { lastUsedMs: 0, busy: true }, false],
  ];
  for (const [name, patch, expected] of cases) {
    it(name, () => assert.equal(sandboxesToReclaim([box('x', patch)], 1000, 100, 10_000).length === 1, expected));
  }
});

describe('provisionedToRecycle', () => {
  const cases: Array<[string, Partial<SandboxView>, boolean]> = [
    ['recycles an idle provisioned sandbox past its maximum lifetime', { provisioned: true, createdMs: -9000 }, true],
    ['keeps a provisioned sandbox within its lifetime, however long idle', { provisioned: true, createdMs: 0, lastUsedMs: -1e6 }, false],
    ['waits for a busy provisioned sandbox to finish', { provisioned: true, createdMs: -9000, busy: true }, false],
    ['leaves on-demand sandboxes to sandboxesToReclaim', { createdMs: -9000 }, false],
  ];
  for (const [name, patch, expected] of cases) {
    it(name, () => assert.equal(provisionedToRecycle([box('x', patch)], 1000, 10_000).length === 1, expected));
  }
});
