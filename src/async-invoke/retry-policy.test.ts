import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_EVENT_INVOKE_SETTINGS, type EventInvokeSettings } from '../model/index.ts';
import { backoffDelayMs, decideAfterAttempt, isTooOld, type RetryDecision, type RetryInput } from './retry-policy.ts';

const MIN = 60_000;
const delays = { functionErrorBaseMs: MIN, backoffBaseMs: 1000, backoffMaxMs: 300_000 };
const base: RetryInput = { result: 'success', nowMs: 0, acceptedMs: 0, functionErrors: 0, backoffStreak: 0, settings: NO_EVENT_INVOKE_SETTINGS, delays };
const withSettings = (s: Partial<EventInvokeSettings>): EventInvokeSettings => ({ ...NO_EVENT_INVOKE_SETTINGS, ...s });
const dests = withSettings({ onSuccess: 'arn:ok', onFailure: 'arn:ko' });

const render = (d: RetryDecision): string =>
  d.action === 'ack' ? `ack ${d.destination ?? '-'}` : d.action === 'retry' ? `retry ${d.delayMs} ${d.reason}` : `fail ${d.condition} ${d.destination ?? 'dead-letter'}`;

describe('decideAfterAttempt', () => {
  const cases: Array<[string, Partial<RetryInput>, string]> = [
    ['acks a success with no destination', {}, 'ack -'],
    ['acks a success to its OnSuccess destination', { settings: dests }, 'ack arn:ok'],
    ['retries the first function error after one base delay', { result: 'function-error', functionErrors: 1 }, `retry ${MIN} function-error`],
    ['retries the second function error after two base delays', { result: 'function-error', functionErrors: 2 }, `retry ${2 * MIN} function-error`],
    ['fails the third function error as RetriesExhausted (default 2 retries)', { result: 'function-error', functionErrors: 3 }, 'fail RetriesExhausted dead-letter'],
    ['fails the first function error with MaximumRetryAttempts 0', { result: 'function-error', functionErrors: 1, settings: withSettings({ maximumRetryAttempts: 0 }) }, 'fail RetriesExhausted dead-letter'],
    ['retries once with MaximumRetryAttempts 1', { result: 'function-error', functionErrors: 1, settings: withSettings({ maximumRetryAttempts: 1 }) }, `retry ${MIN} function-error`],
    ['sends exhausted retries to OnFailure', { result: 'function-error', functionErrors: 3, settings: dests }, 'fail RetriesExhausted arn:ko'],
    [
      'fails a function error whose retry would start after the maximum age',
      { result: 'function-error', functionErrors: 1, nowMs: 30_000, settings: withSettings({ maximumEventAgeInSeconds: 60, onFailure: 'arn:ko' }) },
      'fail EventAgeExceeded arn:ko',
    ],
    ['backs off a throttle by one second first', { result: 'throttled', backoffStreak: 1 }, 'retry 1000 throttled'],
    ['doubles the backoff on each throttle in a row', { result: 'throttled', backoffStreak: 4 }, 'retry 8000 throttled'],
    ['caps the backoff at five minutes', { result: 'throttled', backoffStreak: 20 }, 'retry 300000 throttled'],
    ['retries platform errors like throttles', { result: 'platform-error', backoffStreak: 2 }, 'retry 2000 platform-error'],
    [
      'cuts the last throttle wait to what is left of the age',
      { result: 'throttled', backoffStreak: 20, nowMs: 59_500, settings: withSettings({ maximumEventAgeInSeconds: 60 }) },
      'retry 500 throttled',
    ],
    ['fails a throttle once the age is used up', { result: 'throttled', backoffStreak: 1, nowMs: 60_000, settings: withSettings({ maximumEventAgeInSeconds: 60 }) }, 'fail EventAgeExceeded dead-letter'],
    ['does not count throttles against MaximumRetryAttempts', { result: 'throttled', backoffStreak: 1, functionErrors: 2, settings: withSettings({ maximumRetryAttempts: 0 }) }, 'retry 1000 throttled'],
    ['fails an event taken too old as EventAgeExceeded to OnFailure', { result: 'too-old', settings: dests }, 'fail EventAgeExceeded arn:ko'],
    ['dead-letters an event whose function is gone, even with OnFailure', { result: 'function-gone', settings: dests }, 'fail FunctionNotFound dead-letter'],
  ];
  for (const [name, patch, expected] of cases) it(name, () => assert.equal(render(decideAfterAttempt({ ...base, ...patch })), expected));
});

describe('isTooOld', () => {
  const cases: Array<[number, number | undefined, boolean]> = [
    [60_000, 60, false],
    [60_001, 60, true],
    [21_600_000, undefined, false],
    [21_600_001, undefined, true],
  ];
  for (const [ageMs, maxAge, expected] of cases) {
    it(`an event ${ageMs} ms old with MaximumEventAgeInSeconds ${maxAge ?? 'default'} is ${expected ? '' : 'not '}too old`, () =>
      assert.equal(isTooOld(0, ageMs, withSettings({ maximumEventAgeInSeconds: maxAge })), expected));
  }
});

describe('backoffDelayMs', () => {
  it('treats a streak of 0 like the first throttle', () => assert.equal(backoffDelayMs(0, delays), 1000));
  it('never overflows on long streaks', () => assert.equal(backoffDelayMs(10_000, delays), 300_000));
});
