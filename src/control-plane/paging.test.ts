import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../shared/index.ts';
import { pageOf } from './paging.ts';

const rules = { keyOf: (s: string) => s, cap: 3, maxItemsLimit: 10 };
const items = ['a', 'b', 'c', 'd', 'e'];

describe('pageOf', () => {
  it('pages at the cap and continues after the marker', () => {
    const first = pageOf(items, {}, rules);
    assert.deepEqual(first.items, ['a', 'b', 'c']);
    const second = pageOf(items, { marker: first.nextMarker }, rules);
    assert.deepEqual(second.items, ['d', 'e']);
    assert.equal(second.nextMarker, undefined);
  });

  it('honours a smaller MaxItems and never skips after a deletion', () => {
    const first = pageOf(items, { maxItems: 2 }, rules);
    assert.deepEqual(first.items, ['a', 'b']);
    assert.deepEqual(pageOf(['a', 'c', 'd'], { marker: first.nextMarker, maxItems: 2 }, rules).items, ['c', 'd']);
  });

  it('refuses MaxItems out of range and a forged marker', () => {
    assert.throws(() => pageOf(items, { maxItems: 0 }, rules), (e: unknown) => e instanceof ApiError && e.code === 'ValidationException');
    assert.throws(() => pageOf(items, { marker: 'nope' }, rules), (e: unknown) => e instanceof ApiError && e.code === 'InvalidParameterValueException');
  });
});
