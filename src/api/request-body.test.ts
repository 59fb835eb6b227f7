import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../shared/index.ts';
import { jsonBody, MAX_NESTING_DEPTH, nestingDepth } from './request-body.ts';
import { parseBody } from './request-parts.ts';

const SEED = 1406; // fixed, so a run is repeatable (test/fuzz/ takes FUZZ_SEED to explore)
const withBody = (body: string | Buffer): FastifyRequest => ({ body: typeof body === 'string' ? Buffer.from(body) : body }) as FastifyRequest;
const schema = z.object({ FunctionName: z.string().optional(), Tags: z.record(z.string(), z.string()).optional(), Environment: z.object({ Variables: z.record(z.string(), z.string()).optional() }).optional() });
const deep = (n: number, inner = '1'): string => `{"FunctionName":${'['.repeat(n)}${inner}${']'.repeat(n)}}`;

/** Runs `fn`; anything it throws must be an ApiError (a caller's fault, never an unhandled one). */
function onlyApiErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `threw ${String(err)}`);
    assert.ok(err.status < 500);
  }
}

describe('request bodies under hostile input', () => {
  it('any bytes, any JSON: an object or a 4xx ApiError, never another throw', () => {
    const bodies = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
      fc.integer({ min: 1, max: 30_000 }).map((n) => deep(n)),
      fc.integer({ min: 1, max: 30_000 }).map((n) => `{"Tags":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`),
    );
    fc.assert(fc.property(bodies, (body) => onlyApiErrors(() => parseBody(withBody(body), schema))), { seed: SEED, numRuns: 300 });
  });

  it('regression (fuzz): a body nested 5000 deep was a RangeError (stack) and a 500; it is InvalidRequestContentException', () => {
    assert.throws(() => parseBody(withBody(deep(5000)), schema), (err) => err instanceof ApiError && err.code === 'InvalidRequestContentException' && /nesting depth/.test(err.message));
    assert.doesNotThrow(() => jsonBody(withBody(`{"a":${'['.repeat(MAX_NESTING_DEPTH - 1)}${']'.repeat(MAX_NESTING_DEPTH - 1)}}`)));
    assert.throws(() => jsonBody(withBody(`{"a":${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}}`)), ApiError);
  });

  it('nestingDepth counts objects and arrays, scalars being depth 0', () => {
    assert.equal(nestingDepth(1, 10), 0);
    assert.equal(nestingDepth({}, 10), 1);
    assert.equal(nestingDepth({ a: [1, { b: [] }] }, 10), 4);
    assert.equal(nestingDepth(JSON.parse(deep(50)), 10), 11, 'stops past the limit');
  });
});
