import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalTracker, binCv, fixedKeepAlive, histogramKeepAlive, IdleHistogram } from './keep-alive-policy.ts';

const MIN = 60_000;
const fixed = fixedKeepAlive(10 * MIN);
const policy = histogramKeepAlive({ fallback: fixed });

function histogram(idleMinutes: readonly number[], binMs = MIN, bins = 240): IdleHistogram {
  const h = new IdleHistogram(binMs, bins);
  for (const m of idleMinutes) h.record(m * MIN);
  return h;
}
const times = (n: number, minutes: number): number[] => Array.from({ length: n }, () => minutes);

describe('fixedKeepAlive', () => {
  it('keeps every sandbox for the idle timeout, never pre-warms', () => {
    assert.deepEqual(fixed.decide(histogram(times(50, 30))), { keepAliveMs: 10 * MIN, preWarmMs: 0, from: 'fixed' });
  });
});

describe('histogramKeepAlive', () => {
  const cases: Array<[string, IdleHistogram | undefined, { keepAliveMs: number; preWarmMs: number; from: string }]> = [
    ['a function never seen: fixed', undefined, { keepAliveMs: 10 * MIN, preWarmMs: 0, from: 'fixed' }],
    ['too few idle times: fixed', histogram(times(9, 30)), { keepAliveMs: 10 * MIN, preWarmMs: 0, from: 'fixed' }],
    // every 30 minutes (bin 30): pre-warm at 30 x 0.9 = 27 min, keep until 31 x 1.1 = 34.1 min
    ['a timer every 30 min: unload, pre-warm at 27 min, keep to 34.1 min', histogram(times(20, 30.5)), { keepAliveMs: Math.round(31 * MIN * 1.1) - 27 * MIN, preWarmMs: 27 * MIN, from: 'histogram' }],
    // idle times mostly short: the head is bin 0, no pre-warm; the 99th of 100 is in bin 2 (the one at 3 min is the last 1 %)
    ['short idle times: no pre-warm, keep past the 99th percentile', histogram([...times(60, 0), ...times(30, 1), ...times(9, 2), 3]), { keepAliveMs: Math.round(3 * MIN * 1.1), preWarmMs: 0, from: 'histogram' }],
    ['mostly beyond the range (4 h): fixed', histogram([...times(10, 300), ...times(5, 10)]), { keepAliveMs: 10 * MIN, preWarmMs: 0, from: 'fixed' }],
    ['flat over the whole range (CV under 2): fixed', histogram(Array.from({ length: 480 }, (_, i) => i / 2)), { keepAliveMs: 10 * MIN, preWarmMs: 0, from: 'fixed' }],
  ];
  for (const [name, h, expected] of cases) it(name, () => assert.deepEqual(policy.decide(h), expected));

  it('scales with the bin width (seconds instead of minutes)', () => {
    const h = new IdleHistogram(1000, 240);
    for (let i = 0; i < 20; i++) h.record(30_500);
    assert.deepEqual(policy.decide(h), { keepAliveMs: Math.round(31_000 * 1.1) - 27_000, preWarmMs: 27_000, from: 'histogram' });
  });
});

describe('binCv', () => {
  it('is 0 for a flat histogram and sqrt(n - 1) for a single spike', () => {
    assert.equal(binCv(Uint32Array.from([3, 3, 3, 3])), 0);
    assert.equal(binCv(Uint32Array.from([0, 0, 0, 8])), Math.sqrt(3));
  });
});

describe('ArrivalTracker', () => {
  it('records, per concurrency level, the time since the function last went down from it', () => {
    const t = new ArrivalTracker(MIN, 10);
    t.arrive(0); // first time at 1: nothing to record
    t.arrive(1000); // first time at 2: nothing
    t.end(2000); // 2 -> 1 at 2 s
    t.end(3000); // 1 -> 0 at 3 s
    t.arrive(3000 + 5 * MIN); // back to 1 after 5 minutes idle (the paper's idle time)
    t.arrive(2000 + 6 * MIN + 30_000); // back to 2 after 6.5 minutes
    t.end(2000 + 7 * MIN); // 2 -> 1
    t.arrive(2000 + 7 * MIN + 1000); // back to 2 within the first minute
    t.arrive(2000 + 30 * MIN); // first time at 3: nothing
    assert.deepEqual([...t.histogram.counts], [1, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
    assert.equal(t.histogram.total, 3);
  });

  it('counts idle times beyond the range apart', () => {
    const t = new ArrivalTracker(MIN, 10);
    t.arrive(0);
    t.end(0);
    t.arrive(11 * MIN);
    assert.equal(t.histogram.outOfBounds, 1);
  });
});
