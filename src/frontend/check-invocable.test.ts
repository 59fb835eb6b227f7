import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionVersionConfig } from '../model/index.ts';
import type { ApiError } from '../shared/index.ts';
import { checkInvocable } from './check-invocable.ts';

const outcome = (state: FunctionVersionConfig['state'], lastUpdateStatus: FunctionVersionConfig['lastUpdateStatus'] = 'Successful'): string => {
  try {
    checkInvocable({ state, lastUpdateStatus } as FunctionVersionConfig);
    return 'invocable';
  } catch (err) {
    return `${(err as ApiError).code}: ${(err as ApiError).message}`;
  }
};

describe('checkInvocable', () => {
  const cases: Array<[string, FunctionVersionConfig['state'], FunctionVersionConfig['lastUpdateStatus'], string]> = [
    ['invokes an Active version', 'Active', 'Successful', 'invocable'],
    ['invokes an Active version while an update is in progress', 'Active', 'InProgress', 'invocable'],
    [
      'refuses a Pending version with 409 naming the state',
      'Pending',
      'InProgress',
      'ResourceConflictException: The operation cannot be performed at this time. The function is currently in the following state: Pending',
    ],
  ];
  for (const [name, state, update, expected] of cases) it(name, () => assert.equal(outcome(state, update), expected));
});
