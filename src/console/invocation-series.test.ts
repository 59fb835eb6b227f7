import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fanOutObserver } from './fan-out-observer.ts';
import { InvocationSeries } from './invocation-series.ts';

function series(windowSeconds = 5) {
  const clock = { ms: 1_000_000, now(): number { return this.ms; } };
  return { clock, series: new InvocationSeries({ clock, windowSeconds, latencySamples: 10 }) };
}

describe('InvocationSeries', () => {
  it('counts invocations, function errors, throttles and cold starts per second, with zeros for quiet seconds', () => {
    const { clock, series: s } = series();
    s.invoked('f', 'success', true, 5, 100);
    s.invoked('f', 'error', false, 2, undefined);
    clock.ms += 2000;
    s.throttled();
    s.invoked('g', 'success', false, 3, undefined);
    const seconds = s.snapshot().seconds;
    assert.equal(seconds.length, 5);
    assert.equal(seconds.at(-1)!.t, 1002);
    assert.deepEqual(seconds.slice(-3).map(({ invocations, errors, throttles, coldStarts }) => [invocations, errors, throttles, coldStarts]), [
      [2, 1, 0, 1],
      [0, 0, 0, 0],
      [1, 0, 1, 0],
    ]);
  });

  it('forgets seconds older than its window, even when their slot is reused', () => {
    const { clock, series: s } = series(3);
    s.invoked('f', 'success', false, 1, undefined);
    clock.ms += 3000; // same slot, three seconds later
    s.invoked('f', 'success', false, 1, undefined);
    assert.deepEqual(s.snapshot().seconds.map((x) => x.invocations), [0, 0, 1]);
    clock.ms += 10_000;
    assert.deepEqual(s.snapshot().seconds.map((x) => x.invocations), [0, 0, 0]);
  });

  it('keeps warm latencies apart from cold ones, a cold one counting its init', () => {
    const { series: s } = series();
    s.invoked('f', 'success', true, 5, 200);
    s.invoked('f', 'success', false, 2, undefined);
    s.invoked('f', 'error', false, 4, undefined);
    const { warm, cold } = s.snapshot().latency;
    assert.equal(warm.samples, 2);
    assert.equal(warm.p99Ms, 4);
    assert.equal(cold.samples, 1);
    assert.equal(cold.p50Ms, 205);
  });

  it('tells its listeners of every invocation and throttle until they unsubscribe', () => {
    const { series: s } = series();
    let told = 0;
    const stop = s.onChange(() => told++);
    s.invoked('f', 'success', false, 1, undefined);
    s.throttled();
    stop();
    s.throttled();
    assert.equal(told, 2);
  });

  it('is fed beside the metrics by one fanned-out observer', () => {
    const { series: s } = series();
    const seen: string[] = [];
    const observer = fanOutObserver({ invoked: (name) => seen.push(`invoked ${name}`), throttled: (name, reason) => seen.push(`throttled ${name} ${reason}`) }, s);
    observer.invoked('f', 'success', false, 1, undefined);
    observer.throttled('f', 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.deepEqual(seen, ['invoked f', 'throttled f ReservedFunctionConcurrentInvocationLimitExceeded']);
    assert.deepEqual(s.snapshot().seconds.at(-1), { t: 1000, invocations: 1, errors: 0, throttles: 1, coldStarts: 0 });
  });
});
