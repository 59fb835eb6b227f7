/**
 * How long an idle sandbox is kept, and whether to unload it and pre-warm one later:
 * Flint's fixed keep-alive, or the hybrid histogram policy of Shahrad et al., "Serverless
 * in the Wild" (USENIX ATC '20), section 4.2, without its ARIMA branch.
 *
 * The histogram policy keeps, per function version, a histogram of idle times in `binMs`
 * bins over `bins` bins (the paper: one-minute bins over four hours), plus a count of idle
 * times beyond the range. The paper's idle time is the time from the end of an app's last
 * invocation to its next arrival; a Flint function runs many sandboxes at once, so an
 * arrival that brings it to k concurrent invocations records the time since it last went
 * down from k (the time the sandbox that serves it has been idle, when warm sandboxes are
 * reused most recently used first). At k = 1 this is the paper's idle time.
 * When the histogram is representative:
 * - pre-warm window = the 5th percentile of idle times (its bin's start, less 10 %): the
 *   sandbox is unloaded right after an invocation and started again this long after it;
 * - keep-alive window = the 99th percentile (its bin's end, plus 10 %) less the pre-warm
 *   window: how long the sandbox then stays idle.
 * Not representative, the fixed policy decides: fewer than `minSamples` idle times, too many
 * beyond the range (more than `maxOutOfBounds`; the paper predicts those with ARIMA), or a
 * coefficient of variation of the bin counts under `minBinCv` (a flat histogram predicts
 * nothing; the paper uses 2).
 */
export interface KeepAliveDecision {
  /** How long an idle sandbox is kept (after the pre-warm, when there is one). */
  readonly keepAliveMs: number;
  /** 0: keep the sandbox from the end of the invocation. Else unload it then and start one this long after. */
  readonly preWarmMs: number;
  /** Which rule decided. */
  readonly from: 'fixed' | 'histogram';
}

export interface KeepAlivePolicy {
  readonly name: 'fixed' | 'histogram';
  /** Pure: the decision for a function version given its idle-time histogram (undefined: never seen). */
  decide(history: IdleHistogram | undefined): KeepAliveDecision;
}

/** Idle times of one function version in fixed-width bins, plus those beyond the range. */
export class IdleHistogram {
  readonly binMs: number;
  readonly counts: Uint32Array;
  outOfBounds = 0;
  total = 0;

  constructor(binMs: number, bins: number) {
    this.binMs = binMs;
    this.counts = new Uint32Array(bins);
  }

  record(idleMs: number): void {
    const bin = Math.floor(Math.max(0, idleMs) / this.binMs);
    if (bin < this.counts.length) this.counts[bin]!++;
    else this.outOfBounds++;
    this.total++;
  }
}

/**
 * Per function version: how many invocations run, and when it last went down from each
 * concurrency level, feeding its idle-time histogram at every arrival. Owned by whoever
 * sees arrivals (the worker manager, the simulator); the policies only read the histogram.
 */
export class ArrivalTracker {
  readonly histogram: IdleHistogram;
  running = 0;
  lastEndMs: number | undefined;
  /** [k]: when the running count last went from k + 1 down to k. */
  readonly #droppedMs: number[] = [];

  constructor(binMs: number, bins: number) {
    this.histogram = new IdleHistogram(binMs, bins);
  }

  /** An invocation arrives (whether it then runs warm, cold or is refused; a refused one ends at once). */
  arrive(nowMs: number): void {
    const since = this.#droppedMs[this.running];
    if (since !== undefined) this.histogram.record(nowMs - since);
    this.running++;
  }

  end(nowMs: number): void {
    if (this.running === 0) return;
    this.running--;
    this.#droppedMs[this.running] = nowMs;
    this.lastEndMs = nowMs;
  }
}

export function fixedKeepAlive(idleTimeoutMs: number): KeepAlivePolicy {
  const decision: KeepAliveDecision = { keepAliveMs: idleTimeoutMs, preWarmMs: 0, from: 'fixed' };
  return { name: 'fixed', decide: () => decision };
}

export interface HistogramOptions {
  /** Decides while the histogram is not representative. */
  readonly fallback: KeepAlivePolicy;
  /** Idle times needed before the histogram is trusted. */
  readonly minSamples?: number;
  /** Largest share of idle times beyond the range for which the histogram is trusted. */
  readonly maxOutOfBounds?: number;
  /** Smallest coefficient of variation of the bin counts for which the histogram is trusted. */
  readonly minBinCv?: number;
  readonly headPercentile?: number;
  readonly tailPercentile?: number;
  /** Margin taken off the pre-warm window and added to the keep-alive window (the paper: 10 %). */
  readonly margin?: number;
}

export function histogramKeepAlive(options: HistogramOptions): KeepAlivePolicy {
  const minSamples = options.minSamples ?? 10;
  const maxOutOfBounds = options.maxOutOfBounds ?? 0.5;
  const minBinCv = options.minBinCv ?? 2;
  const head = options.headPercentile ?? 0.05;
  const tail = options.tailPercentile ?? 0.99;
  const margin = options.margin ?? 0.1;
  return {
    name: 'histogram',
    decide(h) {
      if (h === undefined || h.total < minSamples || h.outOfBounds > maxOutOfBounds * h.total) return options.fallback.decide(h);
      if (binCv(h.counts) < minBinCv) return options.fallback.decide(h);
      const inBounds = h.total - h.outOfBounds;
      const headBin = percentileBin(h.counts, inBounds, head);
      const tailBin = percentileBin(h.counts, inBounds, tail);
      const preWarmMs = Math.round(headBin * h.binMs * (1 - margin));
      const keepAliveMs = Math.round((tailBin + 1) * h.binMs * (1 + margin)) - preWarmMs;
      return { keepAliveMs, preWarmMs, from: 'histogram' };
    },
  };
}

/** The bin holding the p-th fraction of `total` counts (the first bin whose cumulative count reaches it). */
function percentileBin(counts: Uint32Array, total: number, p: number): number {
  const want = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= want) return i;
  }
  return counts.length - 1;
}

/** Coefficient of variation (standard deviation / mean) of the bin counts. */
export function binCv(counts: Uint32Array): number {
  let sum = 0;
  for (const c of counts) sum += c;
  if (sum === 0) return 0;
  const mean = sum / counts.length;
  let sq = 0;
  for (const c of counts) sq += (c - mean) ** 2;
  return Math.sqrt(sq / counts.length) / mean;
}
