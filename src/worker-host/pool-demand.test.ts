import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { hostPoolDemand, PoolDemand } from './pool-demand.ts';

test('the target follows the takes of the last window, between the base and the cap', () => {
  const demand = new PoolDemand({ base: 2, max: 16, windowMs: 10_000 });
  assert.equal(demand.target('nodejs22', 0), 2, 'no takes: the base');
  for (let i = 0; i < 5; i++) demand.recordTake('nodejs22', 1000 + i);
  assert.equal(demand.target('nodejs22', 1100), 5, 'five cold starts just now: five cells');
  assert.equal(demand.target('python3', 1100), 2, 'per kind');
  for (let i = 0; i < 40; i++) demand.recordTake('nodejs22', 2000 + i);
  assert.equal(demand.target('nodejs22', 2100), 16, 'a burst of 45: the cap');
  assert.equal(demand.target('nodejs22', 11_010), 16, 'the burst of 40 is still in the window');
  assert.equal(demand.target('nodejs22', 12_050), 2, 'all aged out: back to the base');
});

test('a cap below the base keeps the base; a base of 0 empties the pool when idle', () => {
  assert.equal(new PoolDemand({ base: 4, max: 1, windowMs: 1000 }).target('k', 0), 4);
  const lazy = new PoolDemand({ base: 0, max: 8, windowMs: 1000 });
  lazy.recordTake('k', 0);
  assert.equal(lazy.target('k', 500), 1);
  assert.equal(lazy.target('k', 1500), 0);
});

test('the highest count of a window holds the target up for the hold period, then it falls back', () => {
  const demand = new PoolDemand({ base: 2, max: 16, windowMs: 10_000, holdMs: 300_000 });
  for (let i = 0; i < 12; i++) demand.recordTake('nodejs24', 1000 + i);
  assert.equal(demand.target('nodejs24', 2000), 12, 'a burst of 12: twelve cells');
  assert.equal(demand.target('nodejs24', 60_000), 12, 'the burst aged out of the window but is held');
  for (let i = 0; i < 3; i++) demand.recordTake('nodejs24', 100_000 + i);
  assert.equal(demand.target('nodejs24', 100_100), 12, 'a smaller burst later does not lower the held count');
  assert.equal(demand.target('nodejs24', 301_100), 3, 'the burst of 12 is past its hold; the later burst of 3 is still held');
  assert.equal(demand.target('nodejs24', 400_003), 2, 'everything past its hold: the base');
  for (let i = 0; i < 20; i++) demand.recordTake('nodejs24', 500_000 + i);
  assert.equal(demand.target('nodejs24', 700_000), 16, 'a burst over the cap holds the cap');
});

test('without a hold the target follows the window alone', () => {
  const demand = new PoolDemand({ base: 1, max: 8, windowMs: 1000 });
  for (let i = 0; i < 5; i++) demand.recordTake('k', i);
  assert.equal(demand.target('k', 500), 5);
  assert.equal(demand.target('k', 1500), 1);
});

test('a worker host\'s pool holds a burst\'s count for five minutes after its 10 s window', () => {
  const demand = hostPoolDemand({ poolSizePerRuntime: 2, poolMaxPerRuntime: 16 });
  for (let i = 0; i < 12; i++) demand.recordTake('nodejs24', i);
  assert.equal(demand.target('nodejs24', 9_000), 12);
  assert.equal(demand.target('nodejs24', 60_000), 12, 'held after the window');
  assert.equal(demand.target('nodejs24', 299_000), 12, 'still held just before five minutes');
  assert.equal(demand.target('nodejs24', 300_100), 2, 'the base after five minutes');
});
