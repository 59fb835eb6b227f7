import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createLogger } from '../shared/index.ts';
import { createApiServer, type FastifyInstance } from './index.ts';
import { parseBody } from './request-parts.ts';
import { z } from 'zod';

const SEED = 1406; // fixed, so a run is repeatable (test/fuzz/ takes FUZZ_SEED to explore)

describe('the API edge under hostile requests', () => {
  let app: FastifyInstance;
  const log = new PassThrough();
  let logged = '';
  log.on('data', (d: Buffer) => (logged += d.toString()));
  before(async () => {
    app = createApiServer({ logger: createLogger('info', log) });
    app.put('/2015-03-31/functions/:FunctionName/configuration', async (req) => ({ got: parseBody(req, z.object({ Description: z.string().optional() })) }));
    await app.ready();
  });
  after(() => app.close());

  it('regression (fuzz): a Content-Type that is no media type was a 500 ServiceException; it is UnsupportedMediaTypeException', async () => {
    for (const type of ['', '/', 'json', 'a b/c']) {
      const r = await app.inject({ method: 'PUT', url: '/2015-03-31/functions/f/configuration', headers: { 'content-type': type }, payload: '{}' });
      assert.equal(r.statusCode, 415, `Content-Type ${JSON.stringify(type)}: ${r.body}`);
      assert.equal(r.headers['x-amzn-errortype'], 'UnsupportedMediaTypeException');
      assert.ok(r.headers['x-amzn-requestid']);
    }
    assert.ok(!logged.includes('unhandled error'));
  });

  it('regression (fuzz): a path label over 1024 characters or one that does not percent-decode got Fastify\'s own body; it is a Lambda error', async () => {
    const long = await app.inject({ method: 'PUT', url: `/2015-03-31/functions/${'a'.repeat(2000)}/configuration`, payload: '{}' });
    assert.equal(long.statusCode, 400);
    assert.equal(long.headers['x-amzn-errortype'], 'ValidationException');
    assert.ok(!long.body.includes('aaaa'), 'the path is not echoed');
    const bad = await app.inject({ method: 'PUT', url: '/2015-03-31/functions/%E0%A4%A/configuration', payload: '{}' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.headers['x-amzn-errortype'], 'InvalidRequestContentException');
    assert.ok(bad.headers['x-amzn-requestid']);
  });

  it('any Content-Type, any label, any body: a 2xx or a Lambda 4xx with x-amzn-ErrorType', async () => {
    const label = fc.oneof(fc.stringMatching(/^[a-z]{1,10}$/), fc.string({ maxLength: 10 }).map(encodeURIComponent), fc.constantFrom('%', '%zz', '%C3%28', 'a'.repeat(1100)));
    await fc.assert(
      fc.asyncProperty(label, fc.string({ maxLength: 30 }), fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), async (name, type, payload) => {
        let r;
        try {
          r = await app.inject({ method: 'PUT', url: `/2015-03-31/functions/${name}/configuration`, headers: { 'content-type': type }, payload });
        } catch {
          return; // inject refused the header itself (characters HTTP does not allow)
        }
        assert.ok(r.statusCode < 500, `${name} ${JSON.stringify(type)} -> ${r.statusCode} ${r.body}`);
        if (r.statusCode >= 400) assert.ok(r.headers['x-amzn-errortype'], r.body);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
