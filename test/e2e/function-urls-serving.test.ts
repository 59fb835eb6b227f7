/** Function URLs served on Flint's port, through a real HTTP client: the 2.0 event, response mapping, CORS, access, errors and streaming. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand, RemovePermissionCommand, UpdateFunctionUrlConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { useFlint } from '../helpers/flint-process.ts';
import { deploy } from './invoke-support.ts';

const ROUTER = `exports.handler = async (event) => {
  switch (event.rawPath) {
    case '/echo': return { statusCode: 200, headers: { 'content-type': 'application/json', 'x-from': 'fn' }, body: JSON.stringify(event) };
    case '/binary': return { statusCode: 201, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true, cookies: ['a=1; Path=/', 'b=2'] };
    case '/plain': return { hello: 'world' };
    case '/string': return 'just a string';
    case '/fail': throw new Error('boom');
    default: return { statusCode: 404, body: 'no route' };
  }
};`;

const STREAMING = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const pause = () => new Promise((r) => setTimeout(r, 1000));
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'content-type': 'text/plain', 'x-streamed': 'yes' }, cookies: ['s=1'] });
  stream.write('one;');
  await pause();
  stream.write('two;');
  await pause();
  stream.write('three');
  stream.end();
});`;

/** The 2.0 event as the echo route returns it. */
type UrlEvent = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** performance.now() of the first body byte and of the end. */
  readonly firstByteAt: number;
  readonly endAt: number;
}

function call(endpoint: string, path: string, opts: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer | string } = {}): Promise<Answer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      let firstByteAt = Number.NaN;
      res.on('data', (c: Buffer) => {
        if (chunks.length === 0) firstByteAt = performance.now();
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), firstByteAt, endAt: performance.now() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The two grants that open a NONE URL to anyone (docs/policies.md), as the console adds them. */
async function grantPublicAccess(client: LambdaClient, name: string): Promise<void> {
  await client.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
  await client.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'FunctionURLAllowInvokeAction', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
}

/** A URL on the function (a NONE one opened to anyone unless `grant` is false). */
async function urlFor(client: LambdaClient, name: string, over: { AuthType?: 'NONE' | 'AWS_IAM'; InvokeMode?: 'BUFFERED' | 'RESPONSE_STREAM'; grant?: boolean } = {}): Promise<{ id: string; host: string }> {
  const created = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: over.AuthType ?? 'NONE', InvokeMode: over.InvokeMode }));
  if ((over.AuthType ?? 'NONE') === 'NONE' && over.grant !== false) await grantPublicAccess(client, name);
  const u = new URL(created.FunctionUrl!);
  return { id: u.hostname.split('.')[0]!, host: u.host };
}

describe('function URLs (serving)', () => {
  const server = useFlint();
  let router: { name: string; id: string; host: string } | undefined;
  const routerUrl = async () => {
    if (router) return router;
    const fn = await deploy(server.client, [{ name: 'index.js', content: ROUTER }]);
    router = { name: fn.name, ...(await urlFor(server.client, fn.name)) };
    return router;
  };

  it('builds the payload format 2.0 event from a request to the URL host', async () => {
    const { id, host } = await routerUrl();
    const r = await call(server.flint.endpoint, '/echo?a=1&a=2&b=x%20y', {
      method: 'POST',
      headers: { host, 'content-type': 'application/json', 'x-dup': ['one', 'two'], 'User-Agent': 'flint-test', cookie: 'c1=v1; c2=v2' },
      body: '{"in":true}',
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-from'], 'fn');
    const event = JSON.parse(r.body.toString()) as UrlEvent;
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/echo');
    assert.equal(event.rawQueryString, 'a=1&a=2&b=x%20y');
    assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2']);
    assert.deepEqual(event.queryStringParameters, { a: '1,2', b: 'x y' });
    assert.equal(event.headers['x-dup'], 'one,two');
    assert.equal(event.headers['user-agent'], 'flint-test');
    assert.equal(event.headers['content-type'], 'application/json');
    assert.equal(event.headers.cookie, undefined, 'cookies travel in the cookies list');
    assert.equal(event.body, '{"in":true}');
    assert.equal(event.isBase64Encoded, false);
    const ctx = event.requestContext;
    assert.equal(ctx.apiId, id);
    assert.equal(ctx.domainPrefix, id);
    assert.equal(ctx.domainName, `${id}.lambda-url.us-east-1.localhost`);
    assert.equal(ctx.accountId, 'anonymous');
    assert.deepEqual({ ...ctx.http, sourceIp: undefined }, { method: 'POST', path: '/echo', protocol: 'HTTP/1.1', sourceIp: undefined, userAgent: 'flint-test' });
    assert.match(ctx.http.sourceIp, /^(::ffff:)?127\.0\.0\.1$|^::1$/);
    assert.equal(ctx.requestId, r.headers['x-amzn-requestid']);
    assert.equal(ctx.routeKey, '$default');
    assert.equal(ctx.stage, '$default');
    assert.match(ctx.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(typeof ctx.timeEpoch, 'number');
  });

  it('serves the path form /lambda-url/<id>/... for clients that cannot set Host', async () => {
    const { id } = await routerUrl();
    const r = await fetch(`${server.flint.endpoint}/lambda-url/${id}/echo?q=1`);
    assert.equal(r.status, 200);
    const event = (await r.json()) as UrlEvent;
    assert.equal(event.rawPath, '/echo');
    assert.equal(event.rawQueryString, 'q=1');
    assert.equal(event.requestContext.http.method, 'GET');
    assert.equal(event.body, undefined);
    const root = await fetch(`${server.flint.endpoint}/lambda-url/${id}`);
    assert.equal(root.status, 404, "the function's own 404 for /");
    assert.equal(await root.text(), 'no route');
  });

  it('passes binary bodies base64-encoded, and maps status, base64 bodies and cookies back', async () => {
    const { id, host } = await routerUrl();
    const bytes = Buffer.from([0, 159, 146, 150, 255]);
    const echoed = await call(server.flint.endpoint, '/echo', { method: 'PUT', headers: { host, 'content-type': 'application/octet-stream' }, body: bytes });
    const event = JSON.parse(echoed.body.toString()) as UrlEvent;
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(event.body, 'base64'), bytes);

    const untyped = await call(server.flint.endpoint, '/echo', { method: 'POST', headers: { host }, body: 'no type' });
    const untypedEvent = JSON.parse(untyped.body.toString()) as UrlEvent;
    assert.equal(untypedEvent.isBase64Encoded, true, 'a body without a content type is base64');
    assert.equal(Buffer.from(untypedEvent.body, 'base64').toString(), 'no type');

    const r = await call(server.flint.endpoint, `/lambda-url/${id}/binary`);
    assert.equal(r.status, 201);
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    assert.deepEqual(r.body, Buffer.from([0, 1, 2, 255]));
    assert.deepEqual(r.headers['set-cookie'], ['a=1; Path=/', 'b=2']);
  });

  it('answers any other JSON value as a 200 application/json body', async () => {
    const { id } = await routerUrl();
    const plain = await fetch(`${server.flint.endpoint}/lambda-url/${id}/plain`);
    assert.equal(plain.status, 200);
    assert.match(plain.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await plain.json(), { hello: 'world' });
    const text = await fetch(`${server.flint.endpoint}/lambda-url/${id}/string`);
    assert.equal(await text.text(), '"just a string"');
  });

  it('answers 502 when the function fails', async () => {
    const { id } = await routerUrl();
    const r = await fetch(`${server.flint.endpoint}/lambda-url/${id}/fail`);
    assert.equal(r.status, 502);
    assert.equal(await r.text(), 'Internal Server Error');
  });

  it('answers CORS preflights from the config and adds CORS headers to responses', async () => {
    const fn = await deploy(server.client, [{ name: 'index.js', content: ROUTER }]);
    const { id } = await urlFor(server.client, fn.name);
    await server.client.send(new UpdateFunctionUrlConfigCommand({
      FunctionName: fn.name,
      Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-from'], AllowCredentials: true, MaxAge: 300 },
    }));
    const pre = await call(server.flint.endpoint, `/lambda-url/${id}/echo`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-custom' },
    });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(pre.headers['access-control-allow-methods'], 'GET,POST');
    assert.equal(pre.headers['access-control-allow-headers'], 'x-custom');
    assert.equal(pre.headers['access-control-allow-credentials'], 'true');
    assert.equal(pre.headers['access-control-max-age'], '300');
    assert.equal(pre.body.length, 0, 'the function is not invoked for a preflight');

    const other = await call(server.flint.endpoint, `/lambda-url/${id}/echo`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(other.headers['access-control-allow-origin'], undefined);

    const actual = await call(server.flint.endpoint, `/lambda-url/${id}/echo`, { headers: { origin: 'https://app.example' } });
    assert.equal(actual.status, 200);
    assert.equal(actual.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(actual.headers['access-control-expose-headers'], 'x-from');
    assert.equal(actual.headers['access-control-allow-credentials'], 'true');
  });

  it('answers 403 for an unknown URL and for an unsigned request to an AWS_IAM URL', async () => {
    const unknown = await fetch(`${server.flint.endpoint}/lambda-url/${'0'.repeat(32)}/`);
    assert.equal(unknown.status, 403);
    assert.deepEqual(await unknown.json(), { Message: 'Forbidden' });

    const fn = await deploy(server.client, [{ name: 'index.js', content: ROUTER }]);
    const { id, host } = await urlFor(server.client, fn.name, { AuthType: 'AWS_IAM' });
    const unsigned = await call(server.flint.endpoint, '/echo', { headers: { host } });
    assert.equal(unsigned.status, 403);
    assert.deepEqual(JSON.parse(unsigned.body.toString()), { Message: 'Forbidden' });
    const signed = await call(server.flint.endpoint, `/lambda-url/${id}/echo`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=abc' },
    });
    assert.equal(signed.status, 200);
    const event = JSON.parse(signed.body.toString()) as UrlEvent;
    assert.equal(event.requestContext.authorizer.iam.accessKey, 'AKIDEXAMPLE');
  });

  it('answers 403 on a NONE URL until the policy grants anyone both lambda:InvokeFunctionUrl and lambda:InvokeFunction, and again once a grant is removed', async () => {
    const fn = await deploy(server.client, [{ name: 'index.js', content: ROUTER }]);
    const { id } = await urlFor(server.client, fn.name, { grant: false });
    const status = async () => (await call(server.flint.endpoint, `/lambda-url/${id}/echo`)).status;
    assert.equal(await status(), 403, 'no policy: closed');
    await server.client.send(new AddPermissionCommand({ FunctionName: fn.name, StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    assert.equal(await status(), 403, 'lambda:InvokeFunctionUrl alone is not enough (October 2025 rule)');
    await server.client.send(new AddPermissionCommand({ FunctionName: fn.name, StatementId: 'invoke', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
    assert.equal(await status(), 200, 'both grants: open');
    await server.client.send(new RemovePermissionCommand({ FunctionName: fn.name, StatementId: 'url' }));
    assert.equal(await status(), 403, 'a grant removed closes it again');
  });

  it('refuses a request body over 6 MB with 413', async () => {
    const { id } = await routerUrl();
    const r = await call(server.flint.endpoint, `/lambda-url/${id}/echo`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(6 * 1024 * 1024 + 1) });
    assert.equal(r.status, 413);
  });

  it('streams a RESPONSE_STREAM URL as the function writes, with the status and headers of its prelude (chunks 1 s apart)', async () => {
    const fn = await deploy(server.client, [{ name: 'index.js', content: STREAMING }]);
    const { host } = await urlFor(server.client, fn.name, { InvokeMode: 'RESPONSE_STREAM' });
    const r = await call(server.flint.endpoint, '/', { headers: { host } });
    assert.equal(r.status, 201);
    assert.equal(r.headers['x-streamed'], 'yes');
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.deepEqual(r.headers['set-cookie'], ['s=1']);
    assert.equal(r.body.toString(), 'one;two;three');
    // Ordering, not performance: the first bytes were there before the 2 s of writing were over.
    const lead = r.endAt - r.firstByteAt;
    assert.ok(lead >= 500, `the first chunk arrived only ${lead.toFixed(0)} ms before the end`);

    await server.client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: fn.name, InvokeMode: 'BUFFERED' }));
    const buffered = await call(server.flint.endpoint, '/', { headers: { host } });
    assert.equal(buffered.status, 201, 'a BUFFERED URL reads the prelude of the buffered stream');
    assert.equal(buffered.headers['x-streamed'], 'yes');
    assert.equal(buffered.body.toString(), 'one;two;three');
  });

  it('answers a RESPONSE_STREAM URL of a function that does not stream as a buffered one, and 502 when it fails', async () => {
    const fn = await deploy(server.client, [{ name: 'index.js', content: ROUTER }]);
    const { id } = await urlFor(server.client, fn.name, { InvokeMode: 'RESPONSE_STREAM' });
    const r = await call(server.flint.endpoint, `/lambda-url/${id}/binary`);
    assert.equal(r.status, 201);
    assert.deepEqual(r.body, Buffer.from([0, 1, 2, 255]));
    assert.deepEqual(r.headers['set-cookie'], ['a=1; Path=/', 'b=2']);
    const failed = await call(server.flint.endpoint, `/lambda-url/${id}/fail`);
    assert.equal(failed.status, 502);
  });
});
