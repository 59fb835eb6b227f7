/**
 * The async retry policy as one pure decision: after an attempt (or instead of
 * one, for an event already too old), ack, retry after a delay, or fail to the
 * OnFailure destination / the dead-letter store.
 *
 * Lambda's rules: a function error (user error, timeout, crash, out of memory)
 * is retried MaximumRetryAttempts times (default 2), one base delay after the
 * first failure and two after the second (1 and 2 minutes); throttles and
 * platform errors are retried with exponential backoff (1 s doubling to 5 min)
 * for as long as the event is younger than MaximumEventAgeInSeconds (default 6 h).
 */
import {
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  type EventInvokeSettings,
  type FailureCondition,
} from '../model/index.ts';

export type AttemptResult = 'success' | 'function-error' | 'throttled' | 'platform-error' | 'function-gone' | 'too-old';

export interface RetryDelays {
  /** First delay after a function error; the n-th failure waits n times this. */
  readonly functionErrorBaseMs: number;
  /** First delay after a throttle or platform error; doubles on each one in a row. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

export interface RetryInput {
  readonly result: AttemptResult;
  readonly nowMs: number;
  readonly acceptedMs: number;
  /** Function errors of this event so far, this attempt's included. */
  readonly functionErrors: number;
  /** Throttles / platform errors in a row for this function, this one included (>= 1 when relevant). */
  readonly backoffStreak: number;
  readonly settings: EventInvokeSettings;
  readonly delays: RetryDelays;
}

export type RetryDecision =
  | { readonly action: 'ack'; readonly destination: string | undefined }
  | { readonly action: 'retry'; readonly delayMs: number; readonly reason: 'function-error' | 'throttled' | 'platform-error' }
  /** `destination` undefined: the event goes to the dead-letter store. */
  | { readonly action: 'fail'; readonly condition: FailureCondition; readonly destination: string | undefined };

export function maxEventAgeMs(settings: EventInvokeSettings): number {
  return (settings.maximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
}

/** True when the event may no longer be sent to the function. */
export function isTooOld(acceptedMs: number, nowMs: number, settings: EventInvokeSettings): boolean {
  return nowMs - acceptedMs > maxEventAgeMs(settings);
}

export function backoffDelayMs(streak: number, delays: RetryDelays): number {
  const exponent = Math.min(Math.max(streak, 1) - 1, 30);
  return Math.min(delays.backoffMaxMs, delays.backoffBaseMs * 2 ** exponent);
}

export function decideAfterAttempt(input: RetryInput): RetryDecision {
  const { settings } = input;
  const fail = (condition: FailureCondition): RetryDecision => ({
    action: 'fail',
    condition,
    destination: condition === 'FunctionNotFound' ? undefined : settings.onFailure,
  });
  switch (input.result) {
    case 'success':
      return { action: 'ack', destination: settings.onSuccess };
    case 'too-old':
      return fail('EventAgeExceeded');
    case 'function-gone':
      return fail('FunctionNotFound');
    case 'function-error': {
      if (input.functionErrors > (settings.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS)) return fail('RetriesExhausted');
      // A retry that could only start after the event's maximum age is not made.
      const delayMs = input.delays.functionErrorBaseMs * input.functionErrors;
      return retryWithinAge(input, delayMs, 'function-error') ?? fail('EventAgeExceeded');
    }
    case 'throttled':
    case 'platform-error': {
      // Keep trying up to the event's last moment: the final wait is cut to what is left of its age.
      const leftMs = maxEventAgeMs(settings) - (input.nowMs - input.acceptedMs);
      if (leftMs <= 0) return fail('EventAgeExceeded');
      return { action: 'retry', delayMs: Math.min(backoffDelayMs(input.backoffStreak, input.delays), leftMs), reason: input.result };
    }
  }
}

function retryWithinAge(input: RetryInput, delayMs: number, reason: 'function-error'): RetryDecision | undefined {
  if (isTooOld(input.acceptedMs, input.nowMs + delayMs, input.settings)) return undefined;
  return { action: 'retry', delayMs, reason };
}
