import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionNotReady, type FunctionVersionConfig } from '../model/index.ts';
import { checkInvocable } from './check-invocable.ts';

const outcome = (state: FunctionVersionConfig['state'], lastUpdateStatus: FunctionVersionConfig['lastUpdateStatus'] = 'Successful'): string => {
  try {
    checkInvocable({ state, lastUpdateStatus } as FunctionVersionConfig);
    return 'invocable';
  } catch (err) {
    return err instanceof FunctionNotReady ? `not ready: ${err.state}` : String(err);
  }
};

describe('checkInvocable', () => {
  const cases: Array<[string, FunctionVersionConfig['state'], FunctionVersionConfig['lastUpdateStatus'], string]> = [
    ['invokes an Active version', 'Active', 'Successful', 'invocable'],
    ['invokes an Active version while an update is in progress', 'Active', 'InProgress', 'invocable'],
    ['refuses a Pending version as not ready, naming the state', 'Pending', 'InProgress', 'not ready: Pending'],
  ];
  for (const [name, state, update, expected] of cases) it(name, () => assert.equal(outcome(state, update), expected));
});
