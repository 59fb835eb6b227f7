import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attemptLine, type AttemptLineInput } from './attempt-line.ts';

const base: AttemptLineInput = { requestId: 'r1', attempt: 1, maxAttempts: 3, result: 'Success', decision: { action: 'ack', destination: undefined } };

describe('attemptLine', () => {
  const cases: Array<[string, Partial<AttemptLineInput>, string]> = [
    ['a success with nothing after it', {}, 'ASYNC RequestId: r1\tAttempt: 1 of 3\tResult: Success\tNext: done'],
    ['a success sent on', { decision: { action: 'ack', destination: 'arn:d' } }, 'ASYNC RequestId: r1\tAttempt: 1 of 3\tResult: Success\tNext: OnSuccess arn:d'],
    [
      'a function error to retry',
      { attempt: 2, result: 'Unhandled (Error)', decision: { action: 'retry', delayMs: 120_000, reason: 'function-error' } },
      'ASYNC RequestId: r1\tAttempt: 2 of 3\tResult: Unhandled (Error)\tNext: retry in 120000 ms',
    ],
    [
      'the last failure to OnFailure',
      { attempt: 3, result: 'Unhandled (Error)', decision: { action: 'fail', condition: 'RetriesExhausted', destination: 'arn:f' } },
      'ASYNC RequestId: r1\tAttempt: 3 of 3\tResult: Unhandled (Error)\tNext: OnFailure arn:f (RetriesExhausted)',
    ],
    [
      'an event that aged out before running',
      { attempt: 0, result: 'EventAgeExceeded', decision: { action: 'fail', condition: 'EventAgeExceeded', destination: undefined } },
      'ASYNC RequestId: r1\tResult: EventAgeExceeded\tNext: dead-letter (EventAgeExceeded)',
    ],
  ];
  for (const [name, patch, expected] of cases) it(`renders ${name}`, () => assert.equal(attemptLine({ ...base, ...patch }), expected));
});
