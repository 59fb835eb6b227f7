import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contended, currentLimit, FunctionPacer, initialPace, nextLookMs, paceAfterAdmission, paceAfterRejection, paceOnLook, type PaceParams, type PaceState } from './function-pacer.ts';

const P: PaceParams = { maxLimit: 64, startLimit: 2, minIdleShare: 0.25, growIntervalMs: 100, forgetAfterMs: 10_000 };
/** Deliveries of `ms` each, `concurrent` at once. */
const delivered = (s: PaceState, ms: number, concurrent: number, times = 20): PaceState => {
  let out = s;
  for (let i = 0; i < times; i++) out = paceAfterAdmission(out, ms, concurrent, 0, P);
  return out;
};
const start = () => initialPace(P, 0);
/** `looks` saturated looks, one per grow interval, starting at `from`. */
const saturatedFor = (s: PaceState, looks: number, from = 0): PaceState => {
  let out = s;
  for (let i = 0; i <= looks; i++) out = paceOnLook(out, true, from + i * P.growIntervalMs, P);
  return out;
};

describe('function pace', () => {
  const cases: Array<[string, () => PaceState, number, number]> = [
    ['starts at a few deliveries at once', start, 0, 2],
    ['does not grow before a whole interval of saturation', () => paceOnLook(paceOnLook(start(), true, 0, P), true, 99, P), 99, 2],
    ['doubles after each interval of saturation while nothing is known of its speed', () => saturatedFor(start(), 3), 300, 16],
    ['grows a function whose deliveries keep their speed up to the number of pollers', () => saturatedFor(delivered(delivered(start(), 500, 1), 520, 32), 10), 1000, 64],
    ['stops growing while deliveries take more than twice as long as without contention', () => saturatedFor(delivered(delivered(start(), 1, 2), 20, 4), 10), 1000, 2],
    ['does not grow while the machine\'s CPUs are less idle than the minimum', () => [0, 100, 200].reduce((s, t) => paceOnLook(s, true, t, P, 0.2), start()), 200, 2],
    ['grows again once the CPUs have room', () => [0, 100, 200].reduce((s, t) => paceOnLook(s, true, t, P, t < 200 ? 0.2 : 0.3), start()), 200, 4],
    ['keeps the cap it had when contention begins', () => saturatedFor(delivered(delivered(saturatedFor(start(), 3), 5, 1), 30, 16), 5, 400), 900, 16],
    ['does not grow when not saturated', () => paceOnLook(paceOnLook(start(), true, 0, P), false, 500, P), 500, 2],
    ['pauses a function for the backoff after a throttle', () => paceAfterRejection(start(), 3, 1000, 500), 1499, 0],
    ['resumes at the concurrency that was running when throttled', () => paceAfterRejection(saturatedFor(start(), 3), 3, 1000, 500), 1500, 3],
    ['keeps at least one delivery for a function throttled with nothing running', () => paceAfterRejection(start(), 0, 0, 10), 10, 1],
    ['does not count a pause as saturation', () => saturatedFor(paceAfterRejection(start(), 1, 0, 1000), 5), 600, 0],
  ];
  for (const [name, make, now, expected] of cases) it(name, () => assert.equal(currentLimit(make(), now), expected));

  it('counts rejections in a row and resets on admission', () => {
    const twice = paceAfterRejection(paceAfterRejection(start(), 0, 0, 1), 0, 1, 2);
    assert.equal(twice.streak, 2);
    assert.equal(paceAfterAdmission(twice, 1, 1, 3, P).streak, 0);
  });

  it('keeps moving averages of delivery durations, overall and with few at once', () => {
    const s = paceAfterAdmission(paceAfterAdmission(start(), 100, 1, 0, P), 200, 8, 0, P);
    assert.equal(s.avgDeliveryMs, 120);
    assert.equal(s.baseDeliveryMs, 100);
  });

  it('calls deliveries contended past twice their uncontended time plus 2 ms, and never without both figures', () => {
    assert.equal(contended(start()), false);
    assert.equal(contended(delivered(start(), 50, 8)), false, 'nothing known without contention');
    assert.equal(contended({ ...start(), baseDeliveryMs: 10, avgDeliveryMs: 22 }), false);
    assert.equal(contended({ ...start(), baseDeliveryMs: 10, avgDeliveryMs: 22.5 }), true);
  });

  it('asks to be looked at when a pause ends or a saturated function may grow', () => {
    assert.equal(nextLookMs(start(), 0, P), undefined);
    assert.equal(nextLookMs(paceOnLook(start(), true, 50, P), 60, P), 150);
    assert.equal(nextLookMs(paceAfterRejection(start(), 0, 0, 300), 10, P), 300);
  });
});

describe('FunctionPacer', () => {
  it('tracks functions separately and reports the next time to look', () => {
    const pacer = new FunctionPacer(P);
    pacer.rejected('a', 0, 100, 50);
    pacer.rejected('b', 0, 100, 20);
    assert.equal(pacer.limit('a', 120), 0);
    assert.equal(pacer.limit('b', 120), 1);
    assert.equal(pacer.limit('c', 120), 2);
    assert.equal(pacer.nextLookMs(100), 120);
    assert.equal(pacer.nextLookMs(130), 150);
    assert.equal(pacer.nextLookMs(150), undefined);
  });

  it('grows a saturated function through look() and forgets a function left alone', () => {
    const pacer = new FunctionPacer(P);
    assert.equal(pacer.look('a', true, 0), 2);
    assert.equal(pacer.look('a', true, 100), 4);
    assert.equal(pacer.look('a', true, 200), 8);
    assert.equal(pacer.look('a', false, 300), 8);
    assert.equal(pacer.limit('a', 300 + P.forgetAfterMs + 1), 2);
    assert.equal(pacer.nextLookMs(300 + P.forgetAfterMs + 1), undefined);
  });
});
