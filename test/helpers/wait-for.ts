/**
 * Polling instead of sleeping: tests wait for the condition they need, however busy the
 * machine, and fail with a message naming it when it never holds.
 */

export interface WaitOptions {
  /** Give up after this long (a bound for failure, not a speed claim). */
  readonly timeoutMs?: number;
  /** Pause between looks. */
  readonly everyMs?: number;
  /** Says what was awaited, in the error; a function is asked only then (to show the state at the timeout). */
  readonly what?: string | (() => string);
}

type Falsy = false | 0 | '' | null | undefined;

/** Resolves with the first truthy value of `condition`; rejects when `timeoutMs` pass without one. */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions = {}): Promise<Exclude<T, Falsy>> {
  const { timeoutMs = 10_000, everyMs = 10, what = 'the condition' } = options;
  const end = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as Exclude<T, Falsy>;
    if (performance.now() > end) throw new Error(`${typeof what === 'function' ? what() : what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
