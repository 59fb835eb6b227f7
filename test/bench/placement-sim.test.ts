/**
 * The placement simulator's synthetic trace has the distributions it claims (Zipf popularity,
 * the paper's duration and memory fits, the hourly share) and is deterministic by seed; a small
 * simulation is deterministic too, and its warm choices agree with chooseWarmSandbox.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate, type SimOptions } from '../../bench/placement-sim/simulate.ts';
import { ArrivalStream, DAY_MS, DEFAULT_TRACE, makeFunctions, type TraceOptions } from '../../bench/placement-sim/trace.ts';
import { Rng } from '../../bench/placement-sim/random.ts';

const trace = (over: Partial<TraceOptions> = {}): TraceOptions => ({ ...DEFAULT_TRACE, seed: 7, functions: 2000, ...over });
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Least-squares slope of y on x. */
function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0, den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

describe('placement simulator trace', () => {
  it('draws invocation counts by rank along the Zipf law (log-log slope -s)', () => {
    const o = trace({ timerShare: 0, burstsPerDay: 0, functions: 1000 });
    const fns = makeFunctions(o).slice(0, 40);
    const counts = fns.map((f) => {
      const s = new ArrivalStream(f, o);
      let n = 0;
      while (s.next() < DAY_MS) n++;
      return n;
    });
    const k = slope(fns.map((f) => Math.log(f.rank)), counts.map((c) => Math.log(c)));
    assert.ok(Math.abs(k + o.zipfS) < 0.1, `slope ${k}, want ${-o.zipfS}`);
  });

  it('invokes the configured share of functions at most once per hour on average', () => {
    const fns = makeFunctions(trace({ timerShare: 0 }));
    const share = fns.filter((f) => f.perDay <= 24).length / fns.length;
    assert.ok(Math.abs(share - 0.45) < 0.01, `share ${share}`);
  });

  it("draws execution times and memory from the paper's fits (medians ~0.68 s and ~140 MB)", () => {
    const fns = makeFunctions(trace({ functions: 20_000 }));
    const d = median(fns.map((f) => f.meanDurationMs));
    const m = median(fns.map((f) => f.usedMb));
    assert.ok(d > 600 && d < 760, `median duration ${d} ms`);
    assert.ok(m > 125 && m < 155, `median memory ${m} MB`);
    assert.ok(fns.every((f) => f.limitMb >= f.usedMb && f.limitMb <= 2048));
  });

  it('makes timers periodic', () => {
    const o = trace();
    const timer = makeFunctions(o).find((f) => f.periodMs !== undefined)!;
    const s = new ArrivalStream(timer, o);
    const a = s.next(), b = s.next(), c = s.next();
    for (const gap of [b - a, c - b]) assert.ok(Math.abs(gap - timer.periodMs!) <= timer.periodMs! * 0.01);
  });

  it('is deterministic by seed', () => {
    const first = (seed: number): number[] => {
      const o = trace({ seed });
      const s = new ArrivalStream(makeFunctions(o)[3]!, o);
      return Array.from({ length: 50 }, () => s.next());
    };
    assert.deepEqual(first(1), first(1));
    assert.notDeepEqual(first(1), first(2));
    assert.notEqual(new Rng(1).uniform(), new Rng(1, 1).uniform());
  });
});

describe('placement simulator', () => {
  const options = (keepAlive: 'fixed' | 'histogram'): SimOptions => ({
    trace: trace({ functions: 150 }),
    hosts: 4,
    hostMemoryGb: 8,
    hours: 2,
    warmupHours: 0.5,
    keepAlive,
    fixedKeepAliveMs: 600_000,
    binMs: 60_000,
    bins: 240,
    placement: { oversubscription: 1, oomGuard: 0.1 },
    idleUseShare: 0.5,
    idleFloorMb: 16,
    scaleUp: { perInterval: 1000, intervalMs: 10_000, burst: 1000 },
    checkDecisions: true,
  });

  for (const policy of ['fixed', 'histogram'] as const) {
    it(`runs the ${policy} policy deterministically, warm choices agreeing with chooseWarmSandbox`, () => {
      const a = simulate(options(policy));
      const b = simulate(options(policy));
      const same = (r: typeof a) => [r.invocations, r.coldStarts, r.throttled, r.preWarms, r.evictions, r.sandboxesPerHostP99, r.wastedGbHours];
      assert.deepEqual(same(a), same(b));
      assert.ok(a.invocations > 0 && a.coldStarts > 0 && a.coldStarts < a.invocations);
      assert.ok(a.peakHostCommittedPct <= 100, 'placement never commits past a host budget without oversubscription');
    });
  }
});
