import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { TaskPool } from './task-pool.ts';

describe('TaskPool', () => {
  it('never runs more than its limit at once and finishes everything on drain', async () => {
    const pool = new TaskPool(3);
    let running = 0;
    let peak = 0;
    let done = 0;
    for (let i = 0; i < 20; i++) {
      await pool.run(async () => {
        peak = Math.max(peak, ++running);
        await sleep(2);
        running--;
        done++;
      });
    }
    await pool.drain();
    assert.equal(done, 20);
    assert.equal(peak, 3);
  });
  it('rethrows the first failure, but only after every started task has settled', async () => {
    const pool = new TaskPool(4);
    let slowFinished = false;
    await pool.run(async () => {
      await sleep(20);
      slowFinished = true;
    });
    await pool.run(async () => {
      throw new Error('first');
    });
    await assert.rejects(pool.drain(), /first/);
    assert.equal(slowFinished, true);
    await assert.rejects(pool.run(async () => {}), /first/);
  });
});
