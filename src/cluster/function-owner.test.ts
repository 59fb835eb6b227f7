import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownerOf } from './function-owner.ts';

const names = Array.from({ length: 3000 }, (_, i) => `fn-${i}`);

test('no front ends: no owner; one front end owns everything', () => {
  assert.equal(ownerOf('f', []), undefined);
  assert.ok(names.every((n) => ownerOf(n, ['a']) === 'a'));
});

test('the owner does not depend on the order of the list', () => {
  for (const n of names.slice(0, 200)) assert.equal(ownerOf(n, ['a', 'b', 'c']), ownerOf(n, ['c', 'a', 'b']));
});

test('functions spread about evenly over three front ends', () => {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(ownerOf(n, ['a', 'b', 'c'])!, (counts.get(ownerOf(n, ['a', 'b', 'c'])!) ?? 0) + 1);
  for (const id of ['a', 'b', 'c']) {
    const share = (counts.get(id) ?? 0) / names.length;
    assert.ok(share > 0.28 && share < 0.39, `${id}: ${share}`);
  }
});

test('when a front end leaves, only the functions it owned move', () => {
  for (const n of names) {
    const before = ownerOf(n, ['a', 'b', 'c']);
    const after = ownerOf(n, ['a', 'c']);
    if (before !== 'b') assert.equal(after, before, n);
  }
});

test('when a front end joins, functions move only to it', () => {
  let moved = 0;
  for (const n of names) {
    const before = ownerOf(n, ['a', 'b']);
    const after = ownerOf(n, ['a', 'b', 'c']);
    if (after !== before) {
      assert.equal(after, 'c', n);
      moved++;
    }
  }
  assert.ok(moved > names.length * 0.25 && moved < names.length * 0.42, `moved ${moved}`);
});
