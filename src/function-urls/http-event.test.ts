import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildHttpEvent, isTextContentType, queryParameters, requestTime, type UrlRequest } from './http-event.ts';

const base: UrlRequest = {
  method: 'POST',
  rawPath: '/p',
  rawQueryString: '',
  rawHeaders: ['Host', 'x.lambda-url.us-east-1.localhost', 'Content-Type', 'application/json', 'X-A', '1', 'x-a', '2', 'Cookie', 'a=1; b=2', 'cookie', 'c=3'],
  body: Buffer.from('{"k":1}'),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
  urlId: 'u'.repeat(32),
  domainName: 'd',
  accountId: '000000000000',
  requestId: 'rid',
  timeMs: Date.UTC(2020, 2, 12, 19, 3, 58, 390),
};

describe('the payload format 2.0 event of a URL request', () => {
  it('lower-cases header names, joins repeats with commas and moves cookies to their own list', () => {
    const e = buildHttpEvent(base) as { headers: Record<string, string>; cookies: string[] };
    assert.equal(e.headers['x-a'], '1,2');
    assert.equal(e.headers['content-type'], 'application/json');
    assert.equal(e.headers['cookie'], undefined);
    assert.deepEqual(e.cookies, ['a=1', 'b=2', 'c=3']);
    assert.equal(e.headers['x-forwarded-for'], '127.0.0.1');
  });

  it('leaves out cookies and queryStringParameters when there are none, and the body when empty', () => {
    const e = buildHttpEvent({ ...base, rawHeaders: [], body: Buffer.alloc(0) });
    assert.equal('cookies' in e, false);
    assert.equal('queryStringParameters' in e, false);
    assert.equal('body' in e, false);
    assert.equal(e.isBase64Encoded, false);
  });

  it('decodes query parameters and joins repeats with commas', () => {
    assert.deepEqual(queryParameters('a=1&a=2&b=x%20y&c=p+q&d'), { a: '1,2', b: 'x y', c: 'p q', d: '' });
    assert.equal(queryParameters(''), undefined);
  });

  it('keeps text bodies as text and base64-encodes the others', () => {
    for (const t of ['text/plain', 'application/json; charset=utf-8', 'application/problem+json', 'application/xml', 'image/svg+xml']) assert.equal(isTextContentType(t), true, t);
    for (const t of [undefined, 'application/octet-stream', 'image/png', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) assert.equal(isTextContentType(t), false, String(t));
    const binary = buildHttpEvent({ ...base, rawHeaders: ['content-type', 'image/png'], body: Buffer.from([0, 255]) });
    assert.equal(binary.body, 'AP8=');
    assert.equal(binary.isBase64Encoded, true);
  });

  it('formats the request time as Lambda does', () => {
    assert.equal(requestTime(base.timeMs), '12/Mar/2020:19:03:58 +0000');
    const ctx = buildHttpEvent(base).requestContext as Record<string, unknown>;
    assert.equal(ctx.timeEpoch, base.timeMs);
    assert.equal(ctx.accountId, 'anonymous');
    assert.equal(ctx.authorizer, undefined);
    const iam = buildHttpEvent({ ...base, iamAccessKey: 'AKID' }).requestContext as { accountId: string; authorizer: { iam: { accessKey: string } } };
    assert.equal(iam.accountId, '000000000000');
    assert.equal(iam.authorizer.iam.accessKey, 'AKID');
  });
});
