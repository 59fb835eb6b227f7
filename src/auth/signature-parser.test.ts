import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ApiError } from '../shared/index.ts';
import { Authenticator } from './authenticator.ts';
import { parseAmzDate, parseSignature } from './signature-parser.ts';
import type { SignedRequest } from './signed-request.ts';

/** Pieces a hostile or broken client puts where a signature goes. */
const piece = fc.oneof(
  fc.string(),
  fc.constantFrom('AWS4-HMAC-SHA256', 'Credential=', 'SignedHeaders=host;x-amz-date', 'Signature=', ',', '/', '=', ' ', 'aws4_request', '%', '%zz', '__proto__', 'constructor', '\u0000', '\r\n'),
  fc.stringMatching(/^AKIA[A-Z0-9]{0,20}\/\d{8}\/[a-z0-9-]{0,12}\/[a-z]{0,8}\/aws4_request$/),
  fc.stringMatching(/^[0-9a-f]{60,66}$/),
  fc.stringMatching(/^\d{8}T\d{6}Z$/),
);
const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
const request: fc.Arbitrary<SignedRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  path: fc.oneof(fc.constant('/2015-03-31/functions'), text.map((t) => `/${t}`)),
  query: fc.oneof(
    text,
    fc.array(fc.tuple(fc.constantFrom('X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token', '__proto__', 'a'), text)).map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')),
  ),
  headers: fc.record(
    { host: text, authorization: text, 'x-amz-date': text, 'x-amz-security-token': text, 'x-amz-content-sha256': text, __proto__: text },
    { requiredKeys: [] },
  ),
  body: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
});

/** Every refusal is a 4xx ApiError; its message carries no stack frame. */
function assertClientError(err: unknown): void {
  assert.ok(err instanceof ApiError, `not an ApiError: ${String(err)}`);
  assert.ok(err.status >= 400 && err.status < 500, `status ${err.status}`);
  assert.doesNotMatch(err.message, /\n\s+at /);
}

describe('the SigV4 signature parser (property-based)', () => {
  it('refuses any malformed signature with a 4xx ApiError and never anything else', () => {
    fc.assert(
      fc.property(request, (req) => {
        try {
          parseSignature(req);
        } catch (err) {
          assertClientError(err);
        }
      }),
      { numRuns: 3000 },
    );
    console.log('# fuzz runs: SigV4 parser: random signature text: 3000');
  });

  it('authenticating any such request rejects with a 4xx ApiError', async () => {
    const authenticator = new Authenticator({ keys: { lookup: () => Promise.resolve({ secretAccessKey: 's', identity: { kind: 'root', accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', accessKeyId: 'k' } }) }, region: 'us-east-1', clock: { now: () => Date.UTC(2026, 0, 1) } });
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        await authenticator.authenticate(req, 'lambda').then(
          () => assert.fail('a random request was accepted'),
          (err: unknown) => assertClientError(err),
        );
      }),
      { numRuns: 1000 },
    );
    console.log('# fuzz runs: SigV4 authenticator: random signature text: 1000');
  });

  it('takes near-valid header and presigned signatures apart: each parses, or is refused with a 4xx ApiError', async () => {
    const authenticator = new Authenticator({ keys: { lookup: () => Promise.resolve({ secretAccessKey: 's', identity: { kind: 'root', accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', accessKeyId: 'k' } }) }, region: 'us-east-1', clock: { now: () => Date.UTC(2026, 0, 1) } });
    const one = <T,>(valid: T, ...odd: T[]): fc.Arbitrary<T> => fc.oneof({ weight: 7, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: fc.constantFrom(...odd) });
    const nearValid = fc.record({
      form: fc.constantFrom('header', 'query'),
      algorithm: one('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512', 'aws4-hmac-sha256', '', 'AWS4-HMAC-SHA256 '),
      credential: one('AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request', 'AKIDEXAMPLE/20260101/us-east-1/lambda', 'AKIDEXAMPLE//us-east-1/lambda/aws4_request', '/20260101/us-east-1/lambda/aws4_request', 'AKIDEXAMPLE/20260102/us-east-1/lambda/aws4_request', 'AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request/x', 'AKID%2FEXAMPLE/20260101/us-east-1/lambda/aws4_request', 'AKIDEXAMPLE/2026-01-01/eu-west-1/sqs/aws4_request'),
      signedHeaders: one('host;x-amz-date', 'x-amz-date', 'Host;X-Amz-Date', 'host;;x-amz-date', '', 'host;bad header', ';host'),
      signature: one('a'.repeat(64), 'a'.repeat(63), 'A'.repeat(64), '', 'g'.repeat(64), 'a'.repeat(65)),
      date: one('20260101T000000Z', '20260101T000000', '20260230T000000Z', '', '20251231T000000Z', '2026-01-01T00:00:00Z'),
      expires: one('300', '0', '604801', '-1', '1e3', 'x', '', '604800'),
      token: fc.option(fc.constantFrom('token', '', '%zz'), { nil: undefined }),
      drop: one<string | undefined>(undefined, 'Algorithm', 'Credential', 'SignedHeaders', 'Signature', 'Date', 'Expires'),
      twice: one(false, true),
      separator: one(', ', ',', ' ', ',,', ', '),
    }).map((p): SignedRequest => {
      const fields: Array<[string, string]> = [['Algorithm', p.algorithm], ['Credential', p.credential], ['SignedHeaders', p.signedHeaders], ['Signature', p.signature], ['Date', p.date], ['Expires', p.expires]];
      const kept = fields.filter(([n]) => n !== p.drop);
      if (p.twice) kept.push(kept[1] ?? ['Credential', 'x']);
      const headers: Record<string, string> = { host: 'localhost' };
      if (p.token !== undefined) headers['x-amz-security-token'] = p.token;
      if (p.form === 'header') {
        const auth = kept.filter(([n]) => n === 'Credential' || n === 'SignedHeaders' || n === 'Signature').map(([n, v]) => `${n}=${v}`).join(p.separator);
        const algorithm = kept.find(([n]) => n === 'Algorithm')?.[1] ?? '';
        const date = kept.find(([n]) => n === 'Date')?.[1];
        return { method: 'GET', path: '/2015-03-31/functions', query: '', headers: { ...headers, authorization: `${algorithm} ${auth}`, ...(date === undefined ? {} : { 'x-amz-date': date }) }, body: undefined };
      }
      const query = kept.map(([n, v]) => `X-Amz-${n}=${encodeURIComponent(v)}`).join('&');
      return { method: 'GET', path: '/2015-03-31/functions', query, headers, body: undefined };
    });
    const parsed = { header: 0, query: 0 };
    const numRuns = 4000;
    await fc.assert(
      fc.asyncProperty(nearValid, async (req) => {
        try {
          parseSignature(req);
          parsed[req.query === '' ? 'header' : 'query']++;
        } catch (err) {
          assertClientError(err);
        }
        await authenticator.authenticate(req, 'lambda').then(() => assert.fail('a forged signature was accepted'), (err: unknown) => assertClientError(err));
      }),
      { numRuns },
    );
    console.log(`# fuzz runs: SigV4 parser: near-valid header and presigned signatures: ${numRuns} (${parsed.header} header and ${parsed.query} presigned parsed in full)`);
    // the inputs reach past the first checks: a good share of each form parses in full
    assert.ok(parsed.header > numRuns / 20 && parsed.query > numRuns / 20, JSON.stringify(parsed));
  });

  it('reads only real calendar dates', () => {
    assert.equal(parseAmzDate('20261206T080000Z'), Date.UTC(2026, 11, 6, 8));
    for (const bad of ['20260230T000000Z', '20261206T250000Z', '20261206T080000', '2026-12-06T08:00:00Z']) assert.equal(parseAmzDate(bad), undefined, bad);
  });
});
