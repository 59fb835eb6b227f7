/**
 * The synthetic invocation trace, after the Azure Functions 2019 trace as characterised by
 * Shahrad et al., "Serverless in the Wild" (USENIX ATC '20). Figures relied on (from the paper):
 * - invocation rates span ~8 orders of magnitude over all apps, and ~45 % of apps are invoked
 *   at most once per hour on average (81 % at most once per minute): here a Zipf law over
 *   popularity ranks, rate(r) = C / r^s per day, with C set so that `hourlyShare` of the
 *   functions get at most 24 invocations a day (s = 1.5 spans 6 orders over 10,000 functions;
 *   s = 2 would span 8, with a mean load ~30 times larger);
 * - timers are ~15.6 % of functions (2 % of invocations) and fire periodically: here functions
 *   invoked at most once a minute are timers with probability `timerShare`, their period the
 *   common one (1 min ... 1 day) nearest to their Zipf rate;
 * - average execution time per function: log-normal fit with mu = -0.38, sigma = 2.36 (ln
 *   seconds): median ~0.68 s, a long tail (here capped at Lambda's 900 s); each invocation
 *   varies around its function's average (log-normal, sigma `durationSpread`);
 * - allocated memory per app: Burr XII fit with c = 11.652, k = 0.221, lambda = 107.083 (MB):
 *   median ~140 MB, 90 % under ~260 MB, capped at Azure's 1,536 MB. This is used memory; the
 *   configured limit (what placement commits) is the smallest Lambda-like size above 1.25 x it.
 * Arrivals are diurnal (a daily sinusoid of relative amplitude `diurnalAmplitude`, lowest at
 * t = 0, each function shifted by up to +-1 h) with bursts: `burstsPerDay` windows per function
 * (exponential gaps and lengths, mean `burstMinutes`) in which its rate is `burstFactor` times higher.
 */
import { Rng } from './random.ts';

export interface TraceOptions {
  readonly seed: number;
  readonly functions: number;
  /** Zipf exponent of popularity. */
  readonly zipfS: number;
  /** Share of functions invoked at most once per hour on average. */
  readonly hourlyShare: number;
  readonly timerShare: number;
  readonly diurnalAmplitude: number;
  readonly burstsPerDay: number;
  readonly burstMinutes: number;
  readonly burstFactor: number;
  readonly durationSpread: number;
}

export const DEFAULT_TRACE: Omit<TraceOptions, 'seed' | 'functions'> = {
  zipfS: 1.5,
  hourlyShare: 0.45,
  timerShare: 0.2,
  diurnalAmplitude: 0.5,
  burstsPerDay: 2,
  burstMinutes: 5,
  burstFactor: 5,
  durationSpread: 0.5,
};

export const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const TIMER_PERIODS_MIN = [1, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440];
const MEMORY_SIZES_MB = [128, 192, 256, 384, 512, 768, 1024, 1536, 2048];

export interface FunctionSpec {
  readonly index: number;
  /** Popularity rank, 1 = most invoked. */
  readonly rank: number;
  /** Mean invocations per day before diurnal shape and bursts. */
  readonly perDay: number;
  /** Timer period (ms), or undefined for event-driven arrivals. */
  readonly periodMs: number | undefined;
  readonly meanDurationMs: number;
  /** Memory limit (MemorySize), what placement commits. */
  readonly limitMb: number;
  /** Memory used while running, as measured. */
  readonly usedMb: number;
}

/** The functions of a trace; function i has popularity rank i + 1. */
export function makeFunctions(o: TraceOptions): FunctionSpec[] {
  const rng = new Rng(o.seed, 0x5eed);
  const c = 24 * (Math.ceil((1 - o.hourlyShare) * o.functions)) ** o.zipfS;
  const out: FunctionSpec[] = [];
  for (let i = 0; i < o.functions; i++) {
    const rank = i + 1;
    let perDay = c / rank ** o.zipfS;
    let periodMs: number | undefined;
    const isTimer = rng.uniform() < o.timerShare;
    if (isTimer && perDay <= 1440) {
      const wantMin = 1440 / perDay;
      const periodMin = TIMER_PERIODS_MIN.reduce((best, p) => (Math.abs(Math.log(p / wantMin)) < Math.abs(Math.log(best / wantMin)) ? p : best));
      periodMs = periodMin * MIN_MS;
      perDay = 1440 / periodMin;
    }
    const meanDurationMs = Math.min(900_000, Math.max(1, 1000 * rng.logNormal(-0.38, 2.36)));
    const usedMb = Math.min(1536, Math.max(16, rng.burr(11.652, 0.221, 107.083)));
    const limitMb = MEMORY_SIZES_MB.find((m) => m >= usedMb * 1.25) ?? MEMORY_SIZES_MB[MEMORY_SIZES_MB.length - 1]!;
    out.push({ index: i, rank, perDay, periodMs, meanDurationMs, limitMb, usedMb });
  }
  return out;
}

/** One function's arrivals and execution times, from its own random stream (the same whatever else happens). */
export class ArrivalStream {
  readonly spec: FunctionSpec;
  readonly #o: TraceOptions;
  readonly #rng: Rng;
  readonly #phaseMs: number;
  readonly #meanPerMs: number;
  #t: number;
  #burstStart: number;
  #burstEnd: number;

  constructor(spec: FunctionSpec, o: TraceOptions) {
    this.spec = spec;
    this.#o = o;
    this.#rng = new Rng(o.seed, spec.index + 1);
    this.#phaseMs = (this.#rng.uniform() * 2 - 1) * 3_600_000;
    this.#meanPerMs = spec.perDay / DAY_MS;
    // a timer starts at a random offset within its period
    this.#t = spec.periodMs === undefined ? 0 : this.#rng.uniform() * spec.periodMs;
    this.#burstStart = Infinity;
    this.#burstEnd = -Infinity;
    if (spec.periodMs === undefined) this.#nextBurst(0);
  }

  /** The next arrival time (ms), strictly increasing. */
  next(): number {
    const period = this.spec.periodMs;
    if (period !== undefined) {
      const at = this.#t;
      this.#t += period * (1 + 0.01 * (this.#rng.uniform() - 0.5)); // timers jitter a little
      return at;
    }
    // thinning against the highest rate the function can have
    const max = this.#meanPerMs * (1 + this.#o.diurnalAmplitude) * this.#o.burstFactor;
    for (;;) {
      this.#t += this.#rng.exponential(max);
      if (this.#rng.uniform() * max <= this.rateAt(this.#t)) return this.#t;
    }
  }

  /** Invocations per ms at time t. */
  rateAt(t: number): number {
    while (t >= this.#burstEnd && this.#burstStart !== Infinity) this.#nextBurst(this.#burstEnd);
    const diurnal = 1 - this.#o.diurnalAmplitude * Math.cos((2 * Math.PI * (t - this.#phaseMs)) / DAY_MS);
    const burst = t >= this.#burstStart && t < this.#burstEnd ? this.#o.burstFactor : 1;
    return this.#meanPerMs * diurnal * burst;
  }

  #nextBurst(from: number): void {
    if (this.#o.burstsPerDay <= 0) return;
    this.#burstStart = Math.max(from, this.#burstEnd) + this.#rng.exponential(this.#o.burstsPerDay / DAY_MS);
    this.#burstEnd = this.#burstStart + this.#rng.exponential(1 / (this.#o.burstMinutes * MIN_MS));
  }

  /** Execution time of one invocation (ms). */
  duration(): number {
    const d = this.spec.meanDurationMs * Math.exp(this.#o.durationSpread * this.#rng.normal() - (this.#o.durationSpread ** 2) / 2);
    return Math.min(900_000, Math.max(1, d));
  }
}
