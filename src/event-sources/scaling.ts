/**
 * How many batches a mapping's poller runs at once, as Lambda scales SQS pollers: up by one
 * while receives come back full (a backlog), down by one when they come back empty, halved when
 * the function is throttled; never below one nor above the cap (ScalingConfig.MaximumConcurrency,
 * the function's reserved concurrency, the poller's own ceiling).
 */

export interface ScalingInput {
  readonly current: number;
  readonly event: 'full-batch' | 'partial-batch' | 'empty' | 'throttled';
  readonly cap: number;
}

export function nextConcurrency(input: ScalingInput): number {
  const cap = Math.max(1, input.cap);
  const next = {
    'full-batch': input.current + 1,
    'partial-batch': input.current,
    empty: input.current - 1,
    throttled: Math.floor(input.current / 2),
  }[input.event];
  return Math.min(cap, Math.max(1, next));
}

/** The cap: the smallest of the limits that are set. */
export function concurrencyCap(ceiling: number, maximumConcurrency: number | undefined, reserved: number | undefined): number {
  return Math.min(ceiling, maximumConcurrency ?? Infinity, reserved ?? Infinity);
}

/** Delay before polling again after a throttle: doubling from `baseMs`, up to `maxMs`. */
export function throttleBackoffMs(streak: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, streak - 1));
}
