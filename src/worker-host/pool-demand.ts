/**
 * How many pre-started cells of a kind the pool should hold: as many as cold starts took in the
 * last window (a burst is followed by another more often than not), never fewer than the
 * configured base, never more than the cap. The pool grows at once and shrinks slowly: the
 * target is the highest such count seen over the last hold period (a scale-down stabilization
 * window, as Kubernetes' autoscaler keeps one), so bursts that recur minutes apart find their
 * cells ready. When the hold has passed the target falls back to the base and the pool gives
 * the extra cells up.
 */
export interface PoolDemandOptions {
  /** Cells kept ready per kind whatever the rate (`--pool-size-per-runtime`). */
  readonly base: number;
  /** Most cells kept ready per kind (`--pool-max-per-runtime`); at least `base`. */
  readonly max: number;
  /** How far back takes count. */
  readonly windowMs: number;
  /** How long the highest count of a window holds the target up (default: no longer than the window). */
  readonly holdMs?: number;
}

interface KindDemand {
  /** When cells were taken (oldest first), pruned to the window and the cap. */
  readonly takes: number[];
  /** The counts to hold: each later one lower than the one before (a sliding-window maximum). */
  readonly peaks: Array<{ readonly atMs: number; readonly count: number }>;
}

/** Cold starts within this window set how many cells a worker host's pool holds. */
const HOST_WINDOW_MS = 10_000;
/**
 * The highest count of such a window holds the pool up this long (the default scale-down
 * stabilization window of Kubernetes' horizontal autoscaler): a burst that recurs within five
 * minutes finds its cells ready. What it costs is idle memory, at most `--pool-max-per-runtime`
 * cells per runtime, reported in /flint/status and the metrics.
 */
const HOST_HOLD_MS = 300_000;

/** The demand a worker host's pool follows, from its `--pool-size-per-runtime` and `--pool-max-per-runtime`. */
export function hostPoolDemand(settings: { readonly poolSizePerRuntime: number; readonly poolMaxPerRuntime: number }): PoolDemand {
  return new PoolDemand({ base: settings.poolSizePerRuntime, max: settings.poolMaxPerRuntime, windowMs: HOST_WINDOW_MS, holdMs: HOST_HOLD_MS });
}

export class PoolDemand {
  readonly #options: PoolDemandOptions;
  readonly #kinds = new Map<string, KindDemand>();

  constructor(options: PoolDemandOptions) {
    this.#options = options;
  }

  /** A cold start took (or wanted) a cell of this kind. */
  recordTake(kind: string, nowMs: number): void {
    let demand = this.#kinds.get(kind);
    if (demand === undefined) this.#kinds.set(kind, (demand = { takes: [], peaks: [] }));
    demand.takes.push(nowMs);
    this.#prune(demand, nowMs);
    const count = demand.takes.length;
    const { peaks } = demand;
    while (peaks.length > 0 && peaks[peaks.length - 1]!.count <= count) peaks.pop();
    peaks.push({ atMs: nowMs, count });
  }

  /** The number of ready cells to hold for this kind now. */
  target(kind: string, nowMs: number): number {
    const demand = this.#kinds.get(kind);
    let wanted = 0;
    if (demand !== undefined) {
      this.#prune(demand, nowMs);
      wanted = demand.peaks[0]?.count ?? 0; // the last take's count is still held, and it is at least the window's count now
      if (wanted === 0) this.#kinds.delete(kind);
    }
    const { base, max } = this.#options;
    return Math.max(base, Math.min(Math.max(base, max), wanted));
  }

  #prune(demand: KindDemand, nowMs: number): void {
    const { takes, peaks } = demand;
    const from = nowMs - this.#options.windowMs;
    let drop = 0;
    while (drop < takes.length && takes[drop]! <= from) drop++;
    if (drop > 0) takes.splice(0, drop);
    // never remember more than the cap needs
    const cap = Math.max(this.#options.base, this.#options.max);
    if (takes.length > cap) takes.splice(0, takes.length - cap);
    const holdFrom = nowMs - Math.max(this.#options.holdMs ?? 0, this.#options.windowMs);
    while (peaks.length > 0 && peaks[0]!.atMs <= holdFrom) peaks.shift();
  }
}
