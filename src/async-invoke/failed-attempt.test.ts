import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionNotFound, FunctionNotReady, PlatformFault, RuntimeUnavailable, Throttled } from '../model/index.ts';
import { ApiError } from '../shared/index.ts';
import { classifyFailure } from './failed-attempt.ts';

describe('classifyFailure', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['a throttle of the counting service', new Throttled('ReservedFunctionConcurrentInvocationLimitExceeded'), 'throttled', 'Throttled (ReservedFunctionConcurrentInvocationLimitExceeded)'],
    ['a throttle of the scale-up rate', new Throttled('FunctionInvocationRateLimitExceeded', 900), 'throttled', 'Throttled (FunctionInvocationRateLimitExceeded)'],
    ['a full platform', new Throttled('ConcurrentInvocationLimitExceeded'), 'throttled', 'Throttled (ConcurrentInvocationLimitExceeded)'],
    ['a version still Pending (waits like a throttle)', new FunctionNotReady('f', 'Pending'), 'throttled', 'FunctionNotReady (Pending)'],
    ['a deleted function or version', new FunctionNotFound('arn:aws:lambda:us-east-1:000000000000:function:f:3'), 'function-gone', 'FunctionNotFound'],
    ['a sandbox that failed to start', new PlatformFault(new Error('sandbox failed to start')), 'platform-error', 'PlatformError (Error)'],
    ['a runtime missing on the host', new RuntimeUnavailable('not-installed', 'python3.11 is not installed'), 'platform-error', 'PlatformError (RuntimeUnavailable)'],
    ['an API error (a 404 code is not a FunctionNotFound)', new ApiError('ResourceNotFoundException', 'Function not found: x'), 'platform-error', 'PlatformError (ResourceNotFoundException)'],
    ['anything else', new TypeError('x is undefined'), 'platform-error', 'PlatformError (TypeError)'],
  ];
  for (const [name, err, result, label] of cases) {
    it(`classifies ${name} as ${result}`, () => assert.deepEqual([classifyFailure(err).result, classifyFailure(err).label], [result, label]));
  }

  it('hands a platform fault\'s cause over for the log', () => {
    const cause = new Error('host lost');
    assert.equal(classifyFailure(new PlatformFault(cause)).cause, cause);
  });
});
