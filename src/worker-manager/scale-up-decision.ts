/**
 * The per-function scale-up rate limit as a pure token bucket, after Lambda's
 * concurrency scaling rate: each function may add `perInterval` new sandboxes
 * every `intervalMs` (Lambda: 1,000 per 10 s), refilled continuously, never
 * holding more than `burst` (unused rate does not accumulate). A cold start
 * takes one token; without one the invoke is throttled at once (429), as Lambda
 * answers requests that arrive faster than the function can scale.
 */
export interface ScaleUpRate {
  /** New sandboxes per interval. */
  readonly perInterval: number;
  readonly intervalMs: number;
  /** Bucket capacity: the most sandboxes a function may add at once. */
  readonly burst: number;
}

export interface ScaleUpBucket {
  readonly tokens: number;
  readonly updatedMs: number;
}

export type ScaleUpDecision =
  | { readonly admit: true; readonly bucket: ScaleUpBucket }
  | { readonly admit: false; readonly bucket: ScaleUpBucket; readonly retryAfterMs: number };

/** The bucket refilled up to `nowMs` (a function never seen starts full). */
export function refill(bucket: ScaleUpBucket | undefined, nowMs: number, rate: ScaleUpRate): ScaleUpBucket {
  if (bucket === undefined) return { tokens: rate.burst, updatedMs: nowMs };
  const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
  return { tokens: Math.min(rate.burst, bucket.tokens + (elapsedMs * rate.perInterval) / rate.intervalMs), updatedMs: nowMs };
}

/** May the function start one more sandbox now; if not, when will it be able to. */
export function decideScaleUp(bucket: ScaleUpBucket | undefined, nowMs: number, rate: ScaleUpRate): ScaleUpDecision {
  const current = refill(bucket, nowMs, rate);
  if (current.tokens >= 1) return { admit: true, bucket: { tokens: current.tokens - 1, updatedMs: nowMs } };
  const retryAfterMs = Math.ceil(((1 - current.tokens) * rate.intervalMs) / rate.perInterval);
  return { admit: false, bucket: current, retryAfterMs };
}

/** Gives back the token of a cold start that never happened (placement refused, the sandbox failed to start). */
export function refund(bucket: ScaleUpBucket, nowMs: number, rate: ScaleUpRate): ScaleUpBucket {
  const current = refill(bucket, nowMs, rate);
  return { tokens: Math.min(rate.burst, current.tokens + 1), updatedMs: nowMs };
}
