/**
 * The domain-error -> wire table: every domain error, the status, code, text,
 * `Reason` and `Retry-After` Lambda answers with, and (for a throttle) what the
 * AWS SDK makes of it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, TooManyRequestsException } from '@aws-sdk/client-lambda';
import {
  FunctionNotFound,
  FunctionNotReady,
  InvalidClientContext,
  InvalidPayload,
  PayloadTooLarge,
  PlatformFault,
  RuntimeUnavailable,
  ReservationBelowMinimum,
  Throttled,
  type KnownDomainError,
} from '../model/index.ts';
import { renderApiError } from '../shared/index.ts';
import { clientAnswering } from '../shared/testing/client-answering.ts';
import { wireError } from './domain-error-wire.ts';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:f';

/** [domain error, status, X-Amzn-ErrorType, message, extra body members, extra headers] */
const TABLE: Array<[KnownDomainError, number, string, string, Record<string, unknown>, Record<string, string>]> = [
  [new FunctionNotFound(`${ARN}:live`), 404, 'ResourceNotFoundException', `Function not found: ${ARN}:live`, {}, {}],
  [
    new FunctionNotReady('f', 'Pending'),
    409,
    'ResourceConflictException',
    'The operation cannot be performed at this time. The function is currently in the following state: Pending',
    {},
    {},
  ],
  [new PayloadTooLarge(6291457, 6291456, 'RequestResponse'), 413, 'RequestEntityTooLargeException', 'Request must be smaller than 6291456 bytes for the InvokeFunction operation', {}, {}],
  [new PayloadTooLarge(6291457, 6291456, 'DryRun'), 413, 'RequestEntityTooLargeException', 'Request must be smaller than 6291456 bytes for the InvokeFunction operation', {}, {}],
  [new PayloadTooLarge(1048577, 1048576, 'Event'), 413, 'RequestEntityTooLargeException', '1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)', {}, {}],
  [new PayloadTooLarge(262145, 262144, 'Event'), 413, 'RequestEntityTooLargeException', '262145 byte payload is too large for the Event invocation type (limit 262144 bytes)', {}, {}],
  [
    new InvalidPayload('Unexpected token n'),
    400,
    'InvalidRequestContentException',
    'Could not parse request body into json: Could not parse payload into json: Unexpected token n',
    {},
    {},
  ],
  [new InvalidClientContext('not-a-json-object'), 400, 'InvalidParameterValueException', 'Client context must be a valid Base64-encoded JSON object.', {}, {}],
  [
    new InvalidClientContext('too-long'),
    400,
    'InvalidParameterValueException',
    'Client context must be a valid Base64-encoded JSON object with a maximum size of 3583 bytes.',
    {},
    {},
  ],
  [new Throttled('ConcurrentInvocationLimitExceeded'), 429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: 'ConcurrentInvocationLimitExceeded' }, {}],
  [
    new Throttled('ReservedFunctionConcurrentInvocationLimitExceeded'),
    429,
    'TooManyRequestsException',
    'Rate Exceeded.',
    { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
    {},
  ],
  [
    new Throttled('FunctionInvocationRateLimitExceeded', 1001),
    429,
    'TooManyRequestsException',
    'Rate Exceeded.',
    { Reason: 'FunctionInvocationRateLimitExceeded' },
    { 'Retry-After': '2' },
  ],
  [new Throttled('FunctionInvocationRateLimitExceeded', 10), 429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: 'FunctionInvocationRateLimitExceeded' }, { 'Retry-After': '1' }],
  [new RuntimeUnavailable('unknown-runtime', 'Runtime java8 is not supported by Flint'), 502, 'InvalidRuntimeException', 'Runtime java8 is not supported by Flint', {}, {}],
  [new RuntimeUnavailable('not-installed', 'python3.11 is not installed'), 500, 'ServiceException', 'python3.11 is not installed', {}, {}],
  [new ReservationBelowMinimum(100), 400, 'InvalidParameterValueException', "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].", {}, {}],
  [new PlatformFault(new Error('secret internal detail')), 500, 'ServiceException', 'An internal error occurred. Please try again later.', {}, {}],
];

describe('domain errors on the wire', () => {
  for (const [err, status, code, message, extra, headers] of TABLE) {
    it(`renders ${err.name} (${err.message}) as ${status} ${code}${headers['Retry-After'] ? ` with Retry-After ${headers['Retry-After']}` : ''}`, () => {
      const rendered = renderApiError(wireError(err));
      const member = rendered.body['Message'] !== undefined ? 'Message' : 'message';
      const { Type: _type, [member]: text, ...rest } = rendered.body;
      assert.deepEqual([rendered.status, rendered.headers['X-Amzn-ErrorType'], text, rest], [status, code, message, extra]);
      assert.deepEqual(Object.fromEntries(Object.entries(rendered.headers).filter(([k]) => k !== 'X-Amzn-ErrorType')), headers);
    });
  }

  it('has a row for every kind of domain error', () => {
    const kinds: Array<KnownDomainError['kind']> = ['FunctionNotFound', 'FunctionNotReady', 'PayloadTooLarge', 'InvalidPayload', 'InvalidClientContext', 'Throttled', 'RuntimeUnavailable', 'ReservationBelowMinimum', 'PlatformFault'];
    assert.deepEqual([...new Set(TABLE.map(([e]) => e.kind))].sort(), kinds.sort());
  });

  it('reaches the AWS SDK as a TooManyRequestsException with its Reason and Retry-After', async () => {
    const client = clientAnswering(wireError(new Throttled('FunctionInvocationRateLimitExceeded', 2500)));
    try {
      await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'f' })), (err: unknown) => {
        assert.ok(err instanceof TooManyRequestsException);
        assert.deepEqual([err.Reason, err.retryAfterSeconds, err.message], ['FunctionInvocationRateLimitExceeded', '3', 'Rate Exceeded.']);
        return true;
      });
    } finally {
      client.destroy();
    }
  });
});
