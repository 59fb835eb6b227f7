import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionNotFound, FunctionNotReady, PlatformFault, ReservationBelowMinimum, RuntimeUnavailable, Throttled, type InvokeRequest, type KnownDomainError, type ResolvedTarget } from '../model/index.ts';
import { decodeForwardedAnswer, decodeForwardedRequest, encodeForwardedError, encodeForwardedRequest, encodeForwardedResult } from './forwarded-invoke-wire.ts';

const roundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

test('an invoke request crosses intact, binary payload included', () => {
  const request: InvokeRequest = { entry: 'Invoke', requestId: 'r1', functionName: 'arn:aws:lambda:us-east-1:000000000000:function:f', qualifier: 'live', invocationType: 'RequestResponse', payload: Buffer.from([0, 255, 10, 123]), clientContext: 'e30=', tailLog: true };
  assert.deepEqual(decodeForwardedRequest(roundTrip(encodeForwardedRequest(request))), request);
  const bare: InvokeRequest = { entry: 'AsyncDelivery', requestId: 'r2', functionName: 'f', qualifier: undefined, invocationType: 'RequestResponse', payload: Buffer.alloc(0) };
  assert.deepEqual(decodeForwardedRequest(roundTrip(encodeForwardedRequest(bare))), { ...bare, clientContext: undefined, tailLog: false });
});

test('a completed result crosses intact', () => {
  const target = { config: { functionName: 'f', version: '$LATEST' }, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' } as unknown as ResolvedTarget;
  const outcome = { payload: Buffer.from('{"a":1}'), functionError: 'Unhandled' as const, errorType: 'Error', logResult: 'bG9n', durationMs: 3.2, initDurationMs: 120.5 };
  assert.deepEqual(decodeForwardedAnswer(roundTrip(encodeForwardedResult({ kind: 'completed', target, outcome }))), { kind: 'completed', target, outcome });
  assert.throws(() => encodeForwardedResult({ kind: 'queued', target }));
});

test("the owner's domain errors come back as the same errors", () => {
  const cases: KnownDomainError[] = [
    new FunctionNotFound('arn:aws:lambda:us-east-1:000000000000:function:gone'),
    new FunctionNotReady('f', 'Pending'),
    new Throttled('ReservedFunctionConcurrentInvocationLimitExceeded'),
    new Throttled('FunctionInvocationRateLimitExceeded', 500),
    new RuntimeUnavailable('not-installed', 'nodejs22.x is not installed'),
  ];
  for (const err of cases) {
    assert.throws(() => decodeForwardedAnswer(roundTrip(encodeForwardedError(err))), (thrown: unknown) => {
      assert.equal((thrown as KnownDomainError).kind, err.kind);
      assert.deepEqual({ ...(thrown as object) }, { ...err });
      return true;
    });
  }
});

test('anything else comes back as a platform fault naming the cause', () => {
  for (const err of [new PlatformFault(new Error('host went away')), new ReservationBelowMinimum(100)]) {
    assert.throws(() => decodeForwardedAnswer(roundTrip(encodeForwardedError(err))), (thrown: unknown) => thrown instanceof PlatformFault && /on the owning front end/.test(thrown.message));
  }
});
