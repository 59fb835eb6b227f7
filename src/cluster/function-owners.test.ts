import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FrontEndRecord } from '../storage/index.ts';
import { ownerOf } from './function-owner.ts';
import { FunctionOwners } from './function-owners.ts';

const fe = (id: string): FrontEndRecord => ({ id, endpoint: `http://${id}:9977`, startedMs: 0, heartbeatMs: 0 });

test('a function owned by another front end answers its endpoint, one owned here answers undefined', () => {
  const live = [fe('a'), fe('b'), fe('c')];
  const owners = new FunctionOwners('b', () => live);
  const names = Array.from({ length: 60 }, (_, i) => `fn-${i}`);
  for (const name of names) {
    const id = ownerOf(name, ['a', 'b', 'c']);
    assert.equal(owners.endpointOf(name), id === 'b' ? undefined : `http://${id}:9977`, name);
    assert.equal(owners.ownsHere(name), id === 'b');
  }
  assert.ok(names.some((n) => owners.ownsHere(n)) && names.some((n) => !owners.ownsHere(n)), 'both cases were exercised');
});

test('owners are remembered until the membership changes, then computed from the new list', () => {
  let live = [fe('a'), fe('b')];
  let reads = 0;
  const owners = new FunctionOwners('a', () => (reads++, live));
  const name = Array.from({ length: 50 }, (_, i) => `fn-${i}`).find((n) => ownerOf(n, ['a', 'b']) === 'b')!;
  assert.equal(owners.endpointOf(name), 'http://b:9977');
  owners.endpointOf(name);
  owners.endpointOf(`${name}-other`);
  assert.equal(reads, 1, 'one read of the live list until the membership changes');
  live = [fe('a')]; // b died
  assert.equal(owners.endpointOf(name), 'http://b:9977', 'still the remembered owner before the change is told');
  owners.membershipChanged();
  assert.equal(owners.endpointOf(name), undefined, 'the only live front end owns everything');
  assert.equal(reads, 2);
});
