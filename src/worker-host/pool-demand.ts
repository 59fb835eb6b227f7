/**
 * How many pre-started cells of a kind the pool should hold: as many as cold starts took in the
 * last window (a burst is followed by another more often than not), never fewer than the
 * configured base, never more than the cap. When the takes age out of the window the target falls
 * back to the base and the pool gives the extra cells up.
 */
export interface PoolDemandOptions {
  /** Cells kept ready per kind whatever the rate (`--pool-size-per-runtime`). */
  readonly base: number;
  /** Most cells kept ready per kind (`--pool-max-per-runtime`); at least `base`. */
  readonly max: number;
  /** How far back takes count. */
  readonly windowMs: number;
}

export class PoolDemand {
  readonly #options: PoolDemandOptions;
  /** Per kind, when cells were taken (oldest first), pruned to the window. */
  readonly #takes = new Map<string, number[]>();

  constructor(options: PoolDemandOptions) {
    this.#options = options;
  }

  /** A cold start took (or wanted) a cell of this kind. */
  recordTake(kind: string, nowMs: number): void {
    let takes = this.#takes.get(kind);
    if (takes === undefined) this.#takes.set(kind, (takes = []));
    takes.push(nowMs);
    this.#prune(takes, nowMs);
  }

  /** The number of ready cells to hold for this kind now. */
  target(kind: string, nowMs: number): number {
    const takes = this.#takes.get(kind);
    let recent = 0;
    if (takes !== undefined) {
      this.#prune(takes, nowMs);
      recent = takes.length;
      if (recent === 0) this.#takes.delete(kind);
    }
    const { base, max } = this.#options;
    return Math.max(base, Math.min(Math.max(base, max), recent));
  }

  #prune(takes: number[], nowMs: number): void {
    const from = nowMs - this.#options.windowMs;
    let drop = 0;
    while (drop < takes.length && takes[drop]! <= from) drop++;
    if (drop > 0) takes.splice(0, drop);
    // never remember more than the cap needs
    const cap = Math.max(this.#options.base, this.#options.max);
    if (takes.length > cap) takes.splice(0, takes.length - cap);
  }
}
