import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { PreparedPool } from './prepared-pool.ts';

/** A pool whose preparations finish only when the test says so. */
function controlledPool(target: number) {
  const pending: (() => void)[] = [];
  let next = 0;
  const live = new Set<number>();
  const pool = new PreparedPool<number>({
    target,
    prepare: () => new Promise<number>((resolve) => {
      const item = ++next;
      live.add(item);
      pending.push(() => resolve(item));
    }),
    remove: async (item) => void live.delete(item),
  });
  /** Finishes the `count` oldest preparations in flight (default: all). */
  const finishPreparations = async (count = pending.length) => {
    for (const finish of pending.splice(0, count)) finish();
    await tick();
  };
  return { pool, live, finishPreparations };
}

test('the pool keeps at most twice its target once preparations that were slower than the sandboxes they were for have finished', async () => {
  const { pool, live, finishPreparations } = controlledPool(2);
  pool.fill();
  await finishPreparations();
  assert.equal(pool.readyCount, 2);
  // a burst of five starts: two ready ones, three prepared on demand; refills start in the background
  const taking = Array.from({ length: 5 }, () => pool.take());
  await tick();
  await finishPreparations(3); // the on-demand ones, not the refills
  const taken = await Promise.all(taking);
  // the five sandboxes end while the refills are still being prepared (a busy machine)
  for (const item of taken) await pool.give(item);
  await finishPreparations();
  assert.ok(pool.readyCount <= 4, `ready: ${pool.readyCount}`);
  assert.equal(live.size, pool.readyCount, 'every item not kept is removed');
});

test('items given back are kept up to twice the target and removed beyond', async () => {
  const { pool, live, finishPreparations } = controlledPool(1);
  const taking = [pool.take(), pool.take(), pool.take()];
  await finishPreparations();
  const taken = await Promise.all(taking);
  await finishPreparations(); // the refill
  for (const item of taken) await pool.give(item);
  assert.equal(pool.readyCount, 2);
  assert.equal(live.size, 2);
});

test('after close, preparations in flight and items given back are removed', async () => {
  const { pool, live, finishPreparations } = controlledPool(2);
  pool.fill();
  const item = pool.take();
  await finishPreparations();
  const taken = await item;
  const closing = pool.close();
  await finishPreparations();
  await closing;
  await pool.give(taken);
  assert.equal(pool.readyCount, 0);
  assert.equal(live.size, 0);
});

test('a pool with target 0 prepares only on demand and keeps nothing', async () => {
  const { pool, live, finishPreparations } = controlledPool(0);
  pool.fill();
  const taking = pool.take();
  await finishPreparations();
  await pool.give(await taking);
  await tick();
  assert.equal(pool.readyCount, 0);
  assert.equal(live.size, 0);
});

test('takeReady hands over a ready item or none, and the replacement is prepared after refillDelayMs', async () => {
  let prepared = 0;
  const pool = new PreparedPool<number>({ target: 1, refillDelayMs: 30, prepare: async () => ++prepared, remove: async () => undefined });
  assert.equal(pool.takeReady(), undefined, 'nothing ready yet');
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(pool.readyCount, 1);
  assert.equal(pool.takeReady(), 1);
  await tick();
  assert.equal(prepared, 1, 'no replacement before the delay');
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual([prepared, pool.readyCount], [2, 1]);
  await pool.close();
});

test('discard removes a ready item that went bad and prepares another; an item not ready in the pool is left alone', async () => {
  const { pool, live, finishPreparations } = controlledPool(1);
  pool.fill();
  await finishPreparations();
  const [bad] = [...live];
  pool.discard(bad!);
  await tick();
  assert.equal(live.has(bad!), false, 'removed');
  await finishPreparations();
  assert.equal(pool.readyCount, 1, 'replaced');
  const taken = pool.takeReady()!;
  pool.discard(taken);
  assert.equal(live.has(taken), true, 'an item taken is the caller\'s');
  await pool.close();
});
