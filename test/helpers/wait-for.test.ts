import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './wait-for.ts';

describe('waitFor', () => {
  it('resolves with the first truthy value once the condition holds', async () => {
    let looks = 0;
    const value = await waitFor(() => (++looks >= 3 ? `look ${looks}` : undefined), { everyMs: 1 });
    assert.equal(value, 'look 3');
  });

  it('awaits an asynchronous condition', async () => {
    let looks = 0;
    assert.equal(await waitFor(async () => ++looks === 2, { everyMs: 1 }), true);
  });

  it('rejects naming what it awaited when the condition never holds', async () => {
    await assert.rejects(waitFor(() => false, { timeoutMs: 20, everyMs: 5, what: 'the pool' }), /^Error: the pool did not hold within 20 ms$/);
  });

  it('asks a what function only when it gives up, so the error shows the state at that moment', async () => {
    let looks = 0;
    await assert.rejects(waitFor(() => (++looks, false), { timeoutMs: 20, everyMs: 5, what: () => `look ${looks}` }), (err: Error) => {
      assert.match(err.message, /^look (\d+) did not hold within 20 ms$/);
      assert.ok(Number(/\d+/.exec(err.message)![0]) > 1, 'described after the last look, not before the first');
      return true;
    });
  });
});
