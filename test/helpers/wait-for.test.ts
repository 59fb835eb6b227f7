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
});
