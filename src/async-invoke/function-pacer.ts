/**
 * How hard the pollers push one function. Each delivery beyond the function's warm
 * sandboxes costs a cold start, and more deliveries at once only help while the
 * machine has room for them, so a function starts at a few at once and earns more
 * only while it stays saturated (more events ready than it may run):
 *
 * - every `growIntervalMs` of saturation doubles the cap, up to the number of pollers,
 *   while the machine has room for more: its CPUs were idle at least `minIdleShare`
 *   of the time lately, and the function's deliveries have not slowed down against
 *   how long they take when few run at once (more than twice as long means its
 *   sandboxes compete for the CPU). Without room, more at once would only add cold
 *   starts, each costing the CPU time of dozens of short deliveries;
 * - a throttle or platform error pauses the function for the backoff delay and lowers
 *   its cap to what was running when it happened (the counting service said no);
 * - a function left alone for `forgetAfterMs` starts over.
 *
 * The decisions are pure functions over a PaceState; FunctionPacer keeps one per function.
 */
export interface PaceParams {
  /** Most deliveries in flight for one function (the number of pollers). */
  readonly maxLimit: number;
  /** Where a function starts. */
  readonly startLimit: number;
  /** Least idle share of the machine's CPUs (0..1) at which a function may still grow. */
  readonly minIdleShare: number;
  /** Saturation needed before each doubling. */
  readonly growIntervalMs: number;
  /** A function untouched this long starts over. */
  readonly forgetAfterMs: number;
}

export interface PaceState {
  /** Most deliveries of this function in flight at once. */
  readonly limit: number;
  /** No delivery starts before this time. */
  readonly pausedUntilMs: number;
  /** Throttles / platform errors in a row. */
  readonly streak: number;
  /** Moving average of how long a delivery took, once one has ended. */
  readonly avgDeliveryMs: number | undefined;
  /** The same over deliveries that ran with at most `startLimit` of the function at once: its speed without contention. */
  readonly baseDeliveryMs: number | undefined;
  /** Since when the function has been saturated without its cap growing (undefined: not saturated). */
  readonly saturatedSinceMs: number | undefined;
  readonly lastActiveMs: number;
}

const AVERAGE_WEIGHT = 0.2;
/** Deliveries this much slower than without contention (plus a little slack for timer noise) stop the growth. */
const CONTENTION_FACTOR = 2;
const CONTENTION_SLACK_MS = 2;

const average = (avg: number | undefined, sample: number) => (avg === undefined ? sample : avg + AVERAGE_WEIGHT * (sample - avg));

export function initialPace(p: PaceParams, nowMs: number): PaceState {
  return { limit: Math.min(p.startLimit, p.maxLimit), pausedUntilMs: 0, streak: 0, avgDeliveryMs: undefined, baseDeliveryMs: undefined, saturatedSinceMs: undefined, lastActiveMs: nowMs };
}

/** After a throttle or platform error with `othersInFlight` deliveries of the function still running. */
export function paceAfterRejection(s: PaceState, othersInFlight: number, nowMs: number, delayMs: number): PaceState {
  return {
    ...s,
    limit: Math.max(1, Math.min(s.limit, othersInFlight)),
    pausedUntilMs: Math.max(s.pausedUntilMs, nowMs + delayMs),
    streak: s.streak + 1,
    saturatedSinceMs: undefined,
    lastActiveMs: nowMs,
  };
}

/**
 * After an attempt the function accepted (whatever the handler then did), which took
 * `deliveryMs` while `concurrent` deliveries of the function (itself included) ran.
 */
export function paceAfterAdmission(s: PaceState, deliveryMs: number, concurrent: number, nowMs: number, p: PaceParams): PaceState {
  return {
    ...s,
    streak: 0,
    avgDeliveryMs: average(s.avgDeliveryMs, deliveryMs),
    baseDeliveryMs: concurrent <= p.startLimit ? average(s.baseDeliveryMs, deliveryMs) : s.baseDeliveryMs,
    lastActiveMs: nowMs,
  };
}

/** True when deliveries take much longer than without contention. */
export function contended(s: PaceState): boolean {
  if (s.avgDeliveryMs === undefined || s.baseDeliveryMs === undefined) return false;
  return s.avgDeliveryMs > CONTENTION_FACTOR * s.baseDeliveryMs + CONTENTION_SLACK_MS;
}

/**
 * The scheduler's view of the function now: `saturated` when more events are ready than
 * free slots it may use; `cpuIdleShare`: how idle the machine's CPUs were lately.
 */
export function paceOnLook(s: PaceState, saturated: boolean, nowMs: number, p: PaceParams, cpuIdleShare = 1): PaceState {
  if (!saturated || nowMs < s.pausedUntilMs) return s.saturatedSinceMs === undefined ? s : { ...s, saturatedSinceMs: undefined };
  if (s.saturatedSinceMs === undefined) return { ...s, saturatedSinceMs: nowMs, lastActiveMs: nowMs };
  if (nowMs - s.saturatedSinceMs < p.growIntervalMs) return s;
  const room = cpuIdleShare >= p.minIdleShare && !contended(s);
  const limit = room ? Math.min(p.maxLimit, s.limit * 2) : s.limit;
  return { ...s, limit, saturatedSinceMs: nowMs, lastActiveMs: nowMs };
}

/** The cap the scheduler applies now: 0 while the function is paused. */
export function currentLimit(s: PaceState, nowMs: number): number {
  return nowMs < s.pausedUntilMs ? 0 : s.limit;
}

/** When the pollers should look at this function again on its own account, if ever. */
export function nextLookMs(s: PaceState, nowMs: number, p: PaceParams): number | undefined {
  if (s.pausedUntilMs > nowMs) return s.pausedUntilMs;
  if (s.saturatedSinceMs !== undefined && s.limit < p.maxLimit) return s.saturatedSinceMs + p.growIntervalMs;
  return undefined;
}

export class FunctionPacer {
  readonly #params: PaceParams;
  readonly #states = new Map<string, PaceState>();

  constructor(params: PaceParams) {
    this.#params = params;
  }

  state(functionName: string, nowMs: number): PaceState {
    const s = this.#states.get(functionName);
    if (s === undefined || (nowMs - s.lastActiveMs > this.#params.forgetAfterMs && s.pausedUntilMs <= nowMs)) return initialPace(this.#params, nowMs);
    return s;
  }

  /** Notes whether the function is saturated now (see paceOnLook) and answers its cap. */
  look(functionName: string, saturated: boolean, nowMs: number, cpuIdleShare = 1): number {
    const before = this.#states.get(functionName);
    if (!saturated && before === undefined) return initialPace(this.#params, nowMs).limit;
    const next = paceOnLook(this.state(functionName, nowMs), saturated, nowMs, this.#params, cpuIdleShare);
    this.#states.set(functionName, next);
    return currentLimit(next, nowMs);
  }

  limit(functionName: string, nowMs: number): number {
    return currentLimit(this.state(functionName, nowMs), nowMs);
  }

  /** Records a throttle or platform error; `state(name).streak` then gives the backoff streak. */
  rejected(functionName: string, othersInFlight: number, nowMs: number, delayMs: number): void {
    this.#states.set(functionName, paceAfterRejection(this.state(functionName, nowMs), othersInFlight, nowMs, delayMs));
  }

  admitted(functionName: string, deliveryMs: number, concurrent: number, nowMs: number): void {
    this.#states.set(functionName, paceAfterAdmission(this.state(functionName, nowMs), deliveryMs, concurrent, nowMs, this.#params));
  }

  /** The earliest time a pause ends or a saturated function may grow (to wake the pollers then), if any. */
  nextLookMs(nowMs: number): number | undefined {
    let next: number | undefined;
    for (const [name, s] of this.#states) {
      if (nowMs - s.lastActiveMs > this.#params.forgetAfterMs && s.pausedUntilMs <= nowMs) {
        this.#states.delete(name);
        continue;
      }
      const t = nextLookMs(s, nowMs, this.#params);
      if (t !== undefined && (next === undefined || t < next)) next = t;
    }
    return next;
  }
}
