import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../shared/index.ts';
import { FrontEndDirectory, liveFrontEnds } from './front-end-directory.ts';
import { MemoryFrontEndStore } from './testing/memory-cluster-stores.ts';

const logger = createLogger('silent');
const row = (id: string, heartbeatMs: number) => ({ id, endpoint: `http://${id}`, startedMs: 0, heartbeatMs });

test('liveFrontEnds keeps recent ones and always self, by id', () => {
  const rows = [row('c', 9000), row('b', 5000), row('self', 0)];
  assert.deepEqual(liveFrontEnds(rows, row('self', 10_000), 10_000, 3000).map((r) => r.id), ['c', 'self']);
});

test('front ends see each other through the store, and one that stops announcing drops out', async () => {
  const store = new MemoryFrontEndStore();
  const clock = { t: 0 };
  const make = (id: string) => new FrontEndDirectory({ store, self: { id, endpoint: `http://${id}` }, clock: { now: () => clock.t }, logger });
  const a = make('a');
  const b = make('b');
  await a.tick();
  await b.tick();
  await a.tick();
  assert.deepEqual(a.live().map((r) => r.id), ['a', 'b']);
  clock.t = 2000;
  await a.tick();
  assert.deepEqual(a.live().map((r) => r.id), ['a', 'b']);
  clock.t = 3500; // b's last announcement was at 0
  await a.tick();
  assert.deepEqual(a.live().map((r) => r.id), ['a']);
  await b.tick();
  await a.tick();
  assert.deepEqual(a.live().map((r) => r.id), ['a', 'b']);
  await b.stop();
  await a.tick();
  assert.deepEqual(a.live().map((r) => r.id), ['a']);
});

test('a front end that cannot reach the store keeps serving alone', async () => {
  const store = new MemoryFrontEndStore();
  store.failing = true;
  const a = new FrontEndDirectory({ store, self: { id: 'a', endpoint: 'http://a' }, clock: { now: () => 0 }, logger });
  await a.start();
  assert.deepEqual(a.live().map((r) => r.id), ['a']);
  await a.stop();
});
