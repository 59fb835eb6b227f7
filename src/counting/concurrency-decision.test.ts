import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canReserve, decideAdmission, type ConcurrencySnapshot } from './concurrency-decision.ts';

const base: ConcurrencySnapshot = { accountLimit: 10, totalReserved: 0, unreservedInUse: 0, reserved: undefined, functionInUse: 0 };

describe('decideAdmission', () => {
  const cases: Array<[string, Partial<ConcurrencySnapshot>, string]> = [
    ['admits an unreserved function below the pool', { unreservedInUse: 9 }, 'admit'],
    ['throttles an unreserved function at the pool', { unreservedInUse: 10 }, 'ConcurrentInvocationLimitExceeded'],
    ['shrinks the unreserved pool by reservations', { totalReserved: 4, unreservedInUse: 6 }, 'ConcurrentInvocationLimitExceeded'],
    ['admits a reserved function below its reservation', { reserved: 2, functionInUse: 1, unreservedInUse: 10 }, 'admit'],
    ['throttles a reserved function at its reservation', { reserved: 2, functionInUse: 2 }, 'ReservedFunctionConcurrentInvocationLimitExceeded'],
    ['throttles every invoke of a function reserved at 0', { reserved: 0 }, 'ReservedFunctionConcurrentInvocationLimitExceeded'],
    ["admits an unreserved function below this front end's share", { unreservedShare: 4, unreservedInUse: 3 }, 'admit'],
    ["throttles an unreserved function at this front end's share", { unreservedShare: 4, unreservedInUse: 4 }, 'ConcurrentInvocationLimitExceeded'],
    ['a share larger than the pool does not widen it', { unreservedShare: 50, totalReserved: 4, unreservedInUse: 6 }, 'ConcurrentInvocationLimitExceeded'],
    ['a share does not limit a reserved function', { unreservedShare: 0, reserved: 2, functionInUse: 1 }, 'admit'],
  ];
  for (const [name, patch, expected] of cases) {
    it(name, () => {
      const d = decideAdmission({ ...base, ...patch });
      assert.equal(d.admit ? 'admit' : d.reason, expected);
    });
  }
});

describe('canReserve', () => {
  it('allows reserving down to the unreserved minimum', () => assert.equal(canReserve(1000, 100, 0, undefined, 900), true));
  it('refuses reserving past the unreserved minimum', () => assert.equal(canReserve(1000, 100, 0, undefined, 901), false));
  it('counts a replaced reservation once', () => assert.equal(canReserve(1000, 100, 900, 900, 900), true));
});
