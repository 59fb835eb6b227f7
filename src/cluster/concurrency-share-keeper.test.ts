import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../shared/index.ts';
import { ConcurrencyShareKeeper, shareWanted } from './concurrency-share-keeper.ts';
import { MemoryShareStore } from './testing/memory-cluster-stores.ts';

const logger = createLogger('silent');

test('shareWanted: one and a half times the peak plus the floor, within the pool', () => {
  assert.equal(shareWanted(0, 10, 900), 10);
  assert.equal(shareWanted(100, 10, 900), 160);
  assert.equal(shareWanted(1000, 10, 900), 900);
  assert.equal(shareWanted(5, 10, 0), 0);
});

function keeper(store: MemoryShareStore, holder: string, clock: { t: number }, inUse: { n: number }, pool = 100) {
  return new ConcurrencyShareKeeper({ store, holder, clock: { now: () => clock.t }, logger, pool: () => pool, inUse: () => inUse.n, floor: 10, ttlMs: 5000 });
}

test('two front ends never hold more than the pool between them, and a dead one lapses', async () => {
  const store = new MemoryShareStore();
  const clock = { t: 1000 };
  const busy = { n: 0 };
  const a = keeper(store, 'a', clock, busy);
  const b = keeper(store, 'b', clock, { n: 0 });
  await a.claim();
  await b.claim();
  assert.equal(a.current(), 10);
  assert.equal(b.current(), 10);
  busy.n = 80; // a runs 80: it asks for 130, gets what b leaves
  await a.claim();
  assert.equal(a.current(), 90);
  assert.equal(a.current() + b.current() <= 100, true);
  // b dies (stops renewing): after its ttl, a may take its part
  clock.t += 6000;
  await a.claim();
  assert.equal(a.current(), 100);
});

test('an exhausted share asks for more at once', async () => {
  const store = new MemoryShareStore();
  const clock = { t: 0 };
  const inUse = { n: 10 };
  const a = keeper(store, 'a', clock, inUse);
  await a.claim();
  assert.equal(a.current(), 25);
  inUse.n = 25;
  a.exhausted();
  await a.claim(); // joins the claim exhausted() started
  assert.ok(a.current() > 25, `grew to ${a.current()}`);
});

test('when the store cannot be reached the last grant stands until it lapses, then nothing', async () => {
  const store = new MemoryShareStore();
  const clock = { t: 0 };
  const a = keeper(store, 'a', clock, { n: 0 });
  await a.claim();
  assert.equal(a.current(), 10);
  store.failing = true;
  clock.t = 3000;
  await a.claim();
  assert.equal(a.current(), 10);
  clock.t = 5000;
  assert.equal(a.current(), 0);
});

test('stop gives the share back', async () => {
  const store = new MemoryShareStore();
  const a = keeper(store, 'a', { t: 0 }, { n: 0 });
  await a.start();
  await a.stop();
  assert.equal(store.shares.has('a'), false);
  assert.equal(a.current(), 0);
});
