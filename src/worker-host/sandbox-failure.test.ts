import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exitFailure, timeoutFailure } from './sandbox-failure.ts';

describe('exitFailure', () => {
  const cases: Array<[string, { code: number | null; signal: string | null; oomKilled: boolean }, string, string]> = [
    ['an OOM kill', { code: null, signal: 'SIGKILL', oomKilled: true }, 'Runtime.OutOfMemory', 'Runtime exited with error: signal: killed'],
    ['a clean exit', { code: 0, signal: null, oomKilled: false }, 'Runtime.ExitError', 'Runtime exited without providing a reason'],
    ['a failing exit', { code: 127, signal: null, oomKilled: false }, 'Runtime.ExitError', 'Runtime exited with error: exit status 127'],
    ['a segfault', { code: null, signal: 'SIGSEGV', oomKilled: false }, 'Runtime.ExitError', 'Runtime exited with error: signal: segmentation fault'],
  ];
  for (const [name, exit, type, message] of cases) {
    it(`reports ${name} as ${type}`, () => assert.deepEqual(exitFailure(exit), { errorType: type, errorMessage: message }));
  }
});

describe('timeoutFailure', () => {
  it('says the configured timeout with two decimals', () =>
    assert.deepEqual(timeoutFailure(3), { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' }));
});
