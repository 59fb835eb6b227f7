/**
 * What a delivery that did not reach the function comes to, decided by the
 * error's class (never by code strings): the retry policy's result and the
 * label of the attempt line.
 */
import { FunctionNotFound, FunctionNotReady, PlatformFault, Throttled } from '../model/index.ts';
import type { AttemptResult } from './retry-policy.ts';

export interface FailedAttempt {
  readonly result: Extract<AttemptResult, 'throttled' | 'function-gone' | 'platform-error'>;
  readonly label: string;
  /** For a platform error: what went wrong, to log (a PlatformFault's cause, else the error itself). */
  readonly cause?: unknown;
}

export function classifyFailure(err: unknown): FailedAttempt {
  if (err instanceof Throttled) return { result: 'throttled', label: `Throttled (${err.reason})` };
  // a version still being created waits like a throttle: backoff, not an attempt
  if (err instanceof FunctionNotReady) return { result: 'throttled', label: `FunctionNotReady (${err.state})` };
  if (err instanceof FunctionNotFound) return { result: 'function-gone', label: 'FunctionNotFound' };
  const cause = err instanceof PlatformFault ? err.cause : err;
  return { result: 'platform-error', label: `PlatformError (${cause instanceof Error ? cause.name : typeof cause})`, cause };
}
