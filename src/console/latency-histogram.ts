/**
 * Latency distributions for the console's plots: the last N durations kept in a ring, counted
 * into log-spaced buckets when a snapshot is taken (four per decade, 0.1 ms to 100 s).
 */

/** Upper bounds of the buckets in milliseconds: 0.1, 0.18, 0.32, 0.56, 1, ... 100000. */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = Array.from({ length: 25 }, (_, i) => Number((0.1 * 10 ** (i / 4)).toPrecision(2)));

export interface LatencyDistribution {
  /** Samples in each bucket of LATENCY_BUCKET_BOUNDS_MS (the last bucket also holds anything larger). */
  readonly counts: number[];
  readonly samples: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/** The index of the first bucket whose upper bound is at least `ms`. */
export function bucketOf(ms: number, bounds: readonly number[] = LATENCY_BUCKET_BOUNDS_MS): number {
  for (let i = 0; i < bounds.length; i++) if (ms <= bounds[i]!) return i;
  return bounds.length - 1;
}

/** Counts `samples` into buckets and reads the median and 99th percentile (nearest rank). */
export function distributionOf(samples: readonly number[], bounds: readonly number[] = LATENCY_BUCKET_BOUNDS_MS): LatencyDistribution {
  const counts = bounds.map(() => 0);
  for (const ms of samples) counts[bucketOf(ms, bounds)]!++;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (q: number): number | null => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { counts, samples: sorted.length, p50Ms: rank(0.5), p99Ms: rank(0.99) };
}

/** The last `capacity` durations, oldest overwritten first. */
export class SampleRing {
  readonly #values: number[] = [];
  readonly #capacity: number;
  #next = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(value: number): void {
    if (this.#values.length < this.#capacity) this.#values.push(value);
    else this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  values(): readonly number[] {
    return this.#values;
  }
}
