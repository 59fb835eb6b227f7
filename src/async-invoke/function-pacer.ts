/**
 * How hard the pollers push one function, learned from the counting service's
 * answers (Flint's async path has no other view of a function's concurrency):
 * a throttle or platform error pauses the function for the backoff delay and
 * lowers its cap to what was running when it happened; each admitted attempt
 * raises the cap by one again (additive increase). The decisions are pure
 * functions over a PaceState; FunctionPacer only keeps one state per function.
 */
export interface PaceState {
  /** Most deliveries of this function in flight at once. */
  readonly limit: number;
  /** No delivery starts before this time. */
  readonly pausedUntilMs: number;
  /** Throttles / platform errors in a row. */
  readonly streak: number;
}

export function initialPace(maxLimit: number): PaceState {
  return { limit: maxLimit, pausedUntilMs: 0, streak: 0 };
}

/** After a throttle or platform error with `othersInFlight` deliveries of the function still running. */
export function paceAfterRejection(s: PaceState, othersInFlight: number, nowMs: number, delayMs: number): PaceState {
  return { limit: Math.max(1, Math.min(s.limit, othersInFlight)), pausedUntilMs: Math.max(s.pausedUntilMs, nowMs + delayMs), streak: s.streak + 1 };
}

/** After an attempt the function accepted (whatever the handler then did). */
export function paceAfterAdmission(s: PaceState, maxLimit: number): PaceState {
  return { limit: Math.min(maxLimit, s.limit + 1), pausedUntilMs: s.pausedUntilMs, streak: 0 };
}

/** The cap the scheduler applies now: 0 while the function is paused. */
export function currentLimit(s: PaceState, nowMs: number): number {
  return nowMs < s.pausedUntilMs ? 0 : s.limit;
}

export class FunctionPacer {
  readonly #maxLimit: number;
  readonly #states = new Map<string, PaceState>();

  constructor(maxLimit: number) {
    this.#maxLimit = maxLimit;
  }

  state(functionName: string): PaceState {
    return this.#states.get(functionName) ?? initialPace(this.#maxLimit);
  }

  limit(functionName: string, nowMs: number): number {
    return currentLimit(this.state(functionName), nowMs);
  }

  /** Records a throttle or platform error; `state(name).streak` then gives the backoff streak. */
  rejected(functionName: string, othersInFlight: number, nowMs: number, delayMs: number): void {
    this.#states.set(functionName, paceAfterRejection(this.state(functionName), othersInFlight, nowMs, delayMs));
  }

  admitted(functionName: string): void {
    const next = paceAfterAdmission(this.state(functionName), this.#maxLimit);
    if (next.limit === this.#maxLimit && next.pausedUntilMs === 0) this.#states.delete(functionName);
    else this.#states.set(functionName, next);
  }

  /** The earliest end of a pause still running (to wake the pollers then), if any. */
  nextResumeMs(nowMs: number): number | undefined {
    let next: number | undefined;
    for (const s of this.#states.values()) if (s.pausedUntilMs > nowMs && (next === undefined || s.pausedUntilMs < next)) next = s.pausedUntilMs;
    return next;
  }
}
