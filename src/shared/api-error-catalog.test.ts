/**
 * Keeps the one error catalog in agreement with the AWS SDK's exception classes
 * (every modeled code exists there, with the same fault and message member, and
 * a rendered error deserialises into that class) and with docs/errors.md.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as sdk from '@aws-sdk/client-lambda';
import { GetFunctionCommand, LambdaServiceException } from '@aws-sdk/client-lambda';
import { API_ERRORS, type ApiErrorCode } from './api-error-catalog.ts';
import { ApiError } from './api-error.ts';
import { clientAnswering } from './testing/client-answering.ts';

/**
 * Codes real Lambda sends that its service model has no shape for, so the SDK
 * surfaces them as a LambdaServiceException carrying the code as `name`.
 */
const NOT_MODELED: Readonly<Partial<Record<ApiErrorCode, string>>> = {
  ValidationException: 'model-constraint violations ("1 validation error detected: ...")',
  RequestEntityTooLargeException: 'the model calls the 413 shape RequestTooLargeException; the wire code is RequestEntityTooLargeException',
  UnknownOperationException: 'a path that names no operation',
  MissingAuthenticationTokenException: 'SigV4 (docs/auth.md): a request that carries no signature, answered by the AWS front door',
  IncompleteSignatureException: 'SigV4: a signature missing one of its parts',
  UnrecognizedClientException: 'SigV4: an access key Flint does not know',
  InvalidSignatureException: 'SigV4: a signature that does not match, or a date outside 15 minutes',
  AccessDeniedException: 'authorisation: an action outside the caller\'s account that no resource-based policy allows',
};

const codes = Object.keys(API_ERRORS) as ApiErrorCode[];
const exported = sdk as unknown as Record<string, unknown>;

type ExceptionClass = new (opts: Record<string, unknown>) => LambdaServiceException & Record<string, unknown>;

describe('API error catalog', () => {
  for (const code of codes) {
    const spec = API_ERRORS[code];

    if (NOT_MODELED[code] === undefined) {
      it(`${code} is an exception class of @aws-sdk/client-lambda with the same fault and message member`, () => {
        const cls = exported[code] as ExceptionClass | undefined;
        assert.equal(typeof cls, 'function', `${code} is not exported by @aws-sdk/client-lambda`);
        const instance = new cls!({ $metadata: {}, message: 'm', Message: 'M', Type: 'User' });
        assert.ok(instance instanceof LambdaServiceException);
        assert.equal(instance.$fault, spec.status >= 500 ? 'server' : 'client');
        assert.equal(Object.hasOwn(instance, 'Message'), spec.messageField === 'Message', `message member of ${code}`);
      });
    }

    it(`${code} rendered by Flint deserialises through the SDK with its status and message`, async () => {
      const client = clientAnswering(new ApiError(code, `text of ${code}`));
      try {
        await assert.rejects(client.send(new GetFunctionCommand({ FunctionName: 'f' })), (err: unknown) => {
          const cls = exported[code] as ExceptionClass | undefined;
          if (NOT_MODELED[code] === undefined) assert.ok(err instanceof cls!, `expected ${code}, got ${(err as Error).name}`);
          assert.ok(err instanceof LambdaServiceException);
          assert.equal(err.name, code);
          assert.equal(err.message, `text of ${code}`);
          assert.equal(err.$metadata.httpStatusCode, spec.status);
          return true;
        });
      } finally {
        client.destroy();
      }
    });
  }

  it('agrees with docs/errors.md: every code, its status and message member, and nothing else', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
    const rows = new Map<string, { status: number; member: string }>();
    for (const m of doc.matchAll(/^\|\s*`(\w+)`\s*\|\s*(\d{3})\s*\|\s*`(\w+)`\s*\|/gm)) rows.set(m[1]!, { status: Number(m[2]), member: m[3]! });
    assert.deepEqual([...rows.keys()].sort(), [...codes].sort(), 'docs/errors.md lists exactly the catalog codes');
    for (const code of codes) {
      assert.deepEqual(rows.get(code), { status: API_ERRORS[code].status, member: API_ERRORS[code].messageField }, code);
    }
  });
});
