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
