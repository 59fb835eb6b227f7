import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, distributionOf, LATENCY_BUCKET_BOUNDS_MS, SampleRing } from './latency-histogram.ts';

describe('latency histogram', () => {
  it('spaces its buckets four to a decade from 0.1 ms to 100 s', () => {
    assert.equal(LATENCY_BUCKET_BOUNDS_MS[0], 0.1);
    assert.equal(LATENCY_BUCKET_BOUNDS_MS[4], 1);
    assert.equal(LATENCY_BUCKET_BOUNDS_MS[8], 10);
    assert.equal(LATENCY_BUCKET_BOUNDS_MS.at(-1), 100_000);
  });

  it('puts a duration in the first bucket whose upper bound holds it, and anything past the last in the last', () => {
    const bounds = [1, 10, 100];
    for (const [ms, bucket] of [[0, 0], [1, 0], [1.01, 1], [10, 1], [99, 2], [5000, 2]] as const) assert.equal(bucketOf(ms, bounds), bucket, `${ms} ms`);
  });

  it('counts samples per bucket and reads the median and the 99th percentile by nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms
    const d = distributionOf(samples, [10, 50, 1000]);
    assert.deepEqual(d.counts, [10, 40, 50]);
    assert.equal(d.samples, 100);
    assert.equal(d.p50Ms, 50);
    assert.equal(d.p99Ms, 99);
  });

  it('has no percentiles without samples', () => {
    assert.deepEqual(distributionOf([], [1, 2]), { counts: [0, 0], samples: 0, p50Ms: null, p99Ms: null });
  });

  it('keeps the last N samples, overwriting the oldest', () => {
    const ring = new SampleRing(3);
    for (const v of [1, 2, 3, 4, 5]) ring.add(v);
    assert.deepEqual([...ring.values()].sort(), [3, 4, 5]);
  });
});
