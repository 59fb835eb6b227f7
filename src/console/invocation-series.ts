import type { InvokeObserver } from '../frontend/index.ts';
import type { Clock } from '../shared/index.ts';
import { distributionOf, LATENCY_BUCKET_BOUNDS_MS, SampleRing, type LatencyDistribution } from './latency-histogram.ts';

/** One second of invocations as the console plots them. */
export interface SecondCounts {
  /** Start of the second, Unix seconds. */
  readonly t: number;
  readonly invocations: number;
  readonly errors: number;
  readonly throttles: number;
  readonly coldStarts: number;
}

export interface SeriesSnapshot {
  /** Oldest first, one entry per second up to the current one (seconds with nothing are zeros). */
  readonly seconds: SecondCounts[];
  readonly latency: { readonly boundsMs: readonly number[]; readonly warm: LatencyDistribution; readonly cold: LatencyDistribution };
}

export interface InvocationSeriesOptions {
  readonly clock: Clock;
  /** How many seconds of counts to keep (the plot's window). */
  readonly windowSeconds?: number;
  /** How many warm and how many cold durations to keep for the distributions. */
  readonly latencySamples?: number;
}

type Counts = { invocations: number; errors: number; throttles: number; coldStarts: number };

/**
 * What the console plots, kept in memory by this front end: per-second counts of invocations,
 * function errors, throttles and cold starts over the last minutes (a ring of one slot per
 * second), and the last warm and cold latencies (a cold one is init plus invoke duration).
 * It observes the invoke path beside the metrics; `onChange` tells the live stream to push.
 */
export class InvocationSeries implements InvokeObserver {
  readonly #clock: Clock;
  readonly #window: number;
  /** Slot i holds the second `second` with second % window === i. */
  readonly #slots: Array<{ second: number; counts: Counts }>;
  readonly #warm: SampleRing;
  readonly #cold: SampleRing;
  readonly #listeners = new Set<() => void>();

  constructor(options: InvocationSeriesOptions) {
    this.#clock = options.clock;
    this.#window = options.windowSeconds ?? 300;
    this.#slots = Array.from({ length: this.#window }, () => ({ second: -1, counts: zero() }));
    this.#warm = new SampleRing(options.latencySamples ?? 1000);
    this.#cold = new SampleRing(options.latencySamples ?? 1000);
  }

  invoked(_functionName: string, result: 'success' | 'error', cold: boolean, durationMs: number, initDurationMs: number | undefined): void {
    const counts = this.#current();
    counts.invocations++;
    if (result === 'error') counts.errors++;
    if (cold) {
      counts.coldStarts++;
      this.#cold.add(durationMs + (initDurationMs ?? 0));
    } else {
      this.#warm.add(durationMs);
    }
    this.#changed();
  }

  throttled(): void {
    this.#current().throttles++;
    this.#changed();
  }

  /** Calls `listener` after every invocation or throttle; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  snapshot(): SeriesSnapshot {
    const now = this.#second();
    const seconds: SecondCounts[] = [];
    for (let s = now - this.#window + 1; s <= now; s++) {
      const slot = this.#slots[s % this.#window]!;
      seconds.push({ t: s, ...(slot.second === s ? slot.counts : zero()) });
    }
    return {
      seconds,
      latency: { boundsMs: LATENCY_BUCKET_BOUNDS_MS, warm: distributionOf(this.#warm.values()), cold: distributionOf(this.#cold.values()) },
    };
  }

  #second(): number {
    return Math.floor(this.#clock.now() / 1000);
  }

  #current(): Counts {
    const second = this.#second();
    const slot = this.#slots[second % this.#window]!;
    if (slot.second !== second) {
      slot.second = second;
      slot.counts = zero();
    }
    return slot.counts;
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

function zero(): Counts {
  return { invocations: 0, errors: 0, throttles: 0, coldStarts: 0 };
}
