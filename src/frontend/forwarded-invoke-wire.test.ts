import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionNotFound, FunctionNotReady, PlatformFault, ReservationBelowMinimum, RuntimeUnavailable, Throttled, type InvokeRequest, type KnownDomainError, type ResolvedTarget } from '../model/index.ts';
import { decodeForwardedAnswer, decodeForwardedRequest, encodeForwardedError, encodeForwardedRequest, encodeForwardedResult, MAX_HEAD_BYTES, type Frame } from './forwarded-invoke-wire.ts';

/** What the other side receives: the head length as a header string, and a copy of the body's bytes. */
const received = (f: Frame): [string, Buffer] => [String(f.headLength), Buffer.from(f.body)];

test('an invoke request crosses intact, binary payload included, and the payload travels as raw bytes', () => {
  const payload = Buffer.from([0, 255, 10, 123, 0x7b, 0x22]);
  const request: InvokeRequest = { entry: 'Invoke', requestId: 'r1', functionName: 'arn:aws:lambda:us-east-1:000000000000:function:f', qualifier: 'live', invocationType: 'RequestResponse', payload, clientContext: 'e30=', tailLog: true };
  const frame = encodeForwardedRequest(request);
  assert.deepEqual(frame.body.subarray(frame.headLength), payload);
  assert.deepEqual(decodeForwardedRequest(...received(frame)), request);
  const bare: InvokeRequest = { entry: 'AsyncDelivery', requestId: 'r2', functionName: 'f', qualifier: undefined, invocationType: 'RequestResponse', payload: Buffer.alloc(0) };
  assert.deepEqual(decodeForwardedRequest(...received(encodeForwardedRequest(bare))), { ...bare, clientContext: undefined, tailLog: false });
});

test('a completed result crosses intact, with a configuration too large for any header', () => {
  const environment = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`VAR_${i}`, 'é'.repeat(40)]));
  const target = { config: { functionName: 'f', version: '$LATEST', environment }, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' } as unknown as ResolvedTarget;
  const outcome = { payload: Buffer.from('{"a":1}'), functionError: 'Unhandled' as const, errorType: 'Error', logResult: 'bG9n', durationMs: 3.2, initDurationMs: 120.5 };
  const frame = encodeForwardedResult({ kind: 'completed', target, outcome });
  assert.ok(frame.headLength > 16 * 1024);
  assert.deepEqual(decodeForwardedAnswer(...received(frame)), { kind: 'completed', target, outcome });
  const empty = { payload: Buffer.alloc(0), durationMs: 1 };
  assert.deepEqual(decodeForwardedAnswer(...received(encodeForwardedResult({ kind: 'completed', target, outcome: empty }))), { kind: 'completed', target, outcome: empty });
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
    assert.throws(() => decodeForwardedAnswer(...received(encodeForwardedError(err))), (thrown: unknown) => {
      assert.equal((thrown as KnownDomainError).kind, err.kind);
      assert.deepEqual({ ...(thrown as object) }, { ...err });
      return true;
    });
  }
});

test('anything else comes back as a platform fault naming the cause', () => {
  for (const err of [new PlatformFault(new Error('host went away')), new ReservationBelowMinimum(100)]) {
    assert.throws(() => decodeForwardedAnswer(...received(encodeForwardedError(err))), (thrown: unknown) => thrown instanceof PlatformFault && /on the owning front end/.test(thrown.message));
  }
});

test('a malformed frame is refused, never misread', () => {
  const frame = encodeForwardedRequest({ entry: 'Invoke', requestId: 'r', functionName: 'f', qualifier: undefined, invocationType: 'RequestResponse', payload: Buffer.from('{}') });
  for (const length of [undefined, '', 'x', '-1', '1.5', String(frame.body.length + 1), String(MAX_HEAD_BYTES + 1)]) {
    assert.throws(() => decodeForwardedRequest(length, frame.body), /malformed forwarded invoke frame/);
  }
  assert.throws(() => decodeForwardedRequest(String(frame.headLength - 1), frame.body), SyntaxError);
});
