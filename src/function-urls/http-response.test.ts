import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BAD_GATEWAY, mapFunctionResponse } from './http-response.ts';

const map = (value: unknown) => mapFunctionResponse(Buffer.from(JSON.stringify(value)), 'application/json');

describe('a function answer as the HTTP response of its URL', () => {
  it('takes status, headers, cookies and body from a statusCode object', () => {
    const r = map({ statusCode: 418, headers: { 'X-Thing': 'a', n: 5 }, cookies: ['a=1', 'b=2'], body: 'tea' });
    assert.equal(r.status, 418);
    assert.deepEqual(r.headers, { 'x-thing': 'a', n: '5', 'content-type': 'application/json' });
    assert.deepEqual(r.cookies, ['a=1', 'b=2']);
    assert.equal(r.body.toString(), 'tea');
  });

  it('decodes a base64 body and keeps the content type given', () => {
    const r = map({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: 'AAEC/w==', isBase64Encoded: true });
    assert.deepEqual(r.body, Buffer.from([0, 1, 2, 255]));
    assert.equal(r.headers['content-type'], 'image/png');
  });

  it('answers any other JSON value as a 200 application/json body', () => {
    for (const value of [{ hello: 'world' }, 'text', 42, [1, 2], null]) {
      const r = map(value);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.body.toString(), JSON.stringify(value));
    }
  });

  it('answers 502 for a statusCode that is not an HTTP status', () => {
    assert.deepEqual(map({ statusCode: 99 }), BAD_GATEWAY);
    assert.deepEqual(map({ statusCode: 'teapot' }), BAD_GATEWAY);
    assert.equal(map({ statusCode: '204' }).status, 204);
  });

  it('reads the prelude of a buffered HttpResponseStream answer', () => {
    const payload = Buffer.concat([Buffer.from('{"statusCode":202,"headers":{"X-A":"1"},"cookies":["c=1"]}'), Buffer.alloc(8), Buffer.from('body')]);
    const r = mapFunctionResponse(payload, 'application/vnd.awslambda.http-integration-response');
    assert.equal(r.status, 202);
    assert.deepEqual(r.headers, { 'x-a': '1', 'content-type': 'application/octet-stream' });
    assert.deepEqual(r.cookies, ['c=1']);
    assert.equal(r.body.toString(), 'body');
  });
});
