import { Throttled } from '../model/index.ts';
import type { Clock } from '../shared/index.ts';
import { decideScaleUp, refill, refund, type ScaleUpBucket, type ScaleUpRate } from './scale-up-decision.ts';

/**
 * Applies the scale-up decision per function: one token bucket each. Taking a
 * token returns its refund, for a cold start that did not happen after all.
 */
export class ScaleUpLimiter {
  readonly #rate: ScaleUpRate;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, ScaleUpBucket>();

  constructor(rate: ScaleUpRate, clock: Clock) {
    this.#rate = rate;
    this.#clock = clock;
  }

  /**
   * Takes one new-sandbox token of `functionName`, or throws Throttled
   * (FunctionInvocationRateLimitExceeded, with the time until the next token).
   * Returns the refund (idempotent).
   */
  take(functionName: string): () => void {
    const decision = decideScaleUp(this.#buckets.get(functionName), this.#clock.now(), this.#rate);
    this.#buckets.set(functionName, decision.bucket);
    if (!decision.admit) throw new Throttled('FunctionInvocationRateLimitExceeded', decision.retryAfterMs);
    let refunded = false;
    return () => {
      if (refunded) return;
      refunded = true;
      const bucket = this.#buckets.get(functionName);
      if (bucket !== undefined) this.#buckets.set(functionName, refund(bucket, this.#clock.now(), this.#rate));
    };
  }

  /** Forgets buckets that have refilled completely (they equal a fresh one). */
  prune(): void {
    const now = this.#clock.now();
    for (const [name, bucket] of this.#buckets) if (refill(bucket, now, this.#rate).tokens >= this.#rate.burst) this.#buckets.delete(name);
  }
}
