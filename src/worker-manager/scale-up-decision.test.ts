import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideScaleUp, refill, refund, type ScaleUpBucket, type ScaleUpRate } from './scale-up-decision.ts';

const LAMBDA: ScaleUpRate = { perInterval: 1000, intervalMs: 10_000, burst: 1000 };
const SMALL: ScaleUpRate = { perInterval: 2, intervalMs: 1000, burst: 3 };

describe('decideScaleUp', () => {
  const cases: Array<[string, ScaleUpRate, ScaleUpBucket | undefined, number, boolean, number | undefined]> = [
    ['admits the first cold start of a function it has never seen', SMALL, undefined, 0, true, undefined],
    ['admits while tokens remain', SMALL, { tokens: 1, updatedMs: 0 }, 0, true, undefined],
    ['throttles an empty bucket and says when a token comes', SMALL, { tokens: 0, updatedMs: 0 }, 0, false, 500],
    ['refills continuously between intervals', SMALL, { tokens: 0, updatedMs: 0 }, 500, true, undefined],
    ['throttles with the time left to the next token', SMALL, { tokens: 0, updatedMs: 0 }, 250, false, 250],
    ['scales Lambda-like: 100 sandboxes a second once the burst is spent', LAMBDA, { tokens: 0, updatedMs: 0 }, 10, true, undefined],
    ['throttles Lambda-like within 10 ms of an empty bucket', LAMBDA, { tokens: 0, updatedMs: 0 }, 9, false, 1],
  ];
  for (const [name, rate, bucket, now, admit, retryAfterMs] of cases) {
    it(name, () => {
      const d = decideScaleUp(bucket, now, rate);
      assert.equal(d.admit, admit);
      assert.equal(d.admit ? undefined : d.retryAfterMs, retryAfterMs);
    });
  }

  it('admits exactly the burst at once, then throttles', () => {
    let bucket: ScaleUpBucket | undefined;
    const admitted = Array.from({ length: 5 }, () => {
      const d = decideScaleUp(bucket, 0, SMALL);
      bucket = d.bucket;
      return d.admit;
    });
    assert.deepEqual(admitted, [true, true, true, false, false]);
  });
});

describe('refill and refund', () => {
  it('never holds more than the burst, however long the function was quiet', () => assert.equal(refill({ tokens: 0, updatedMs: 0 }, 1e9, SMALL).tokens, 3));
  it('gives a token back, capped at the burst', () => {
    assert.equal(refund({ tokens: 0, updatedMs: 0 }, 0, SMALL).tokens, 1);
    assert.equal(refund({ tokens: 3, updatedMs: 0 }, 0, SMALL).tokens, 3);
  });
});
