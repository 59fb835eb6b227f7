import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { ResponseSink } from '../../model/index.ts';
import { RuntimeApiServer } from './runtime-api-server.ts';
import type { Invocation } from './invocation.ts';
import { MAX_STREAMED_RESPONSE_BYTES } from './rendering.ts';

const BASE = '/2018-06-01';

function invocation(requestId: string, sink?: ResponseSink): Invocation {
  return { requestId, payload: Buffer.from('{}'), deadlineMs: Date.now() + 60_000, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', sink };
}

/** A session whose runtime holds `requestId`: specialised, ready, the invocation taken from /next. */
async function running(server: RuntimeApiServer, id: string, inv: Invocation) {
  const session = server.open(id);
  const address = await server.bind(id, { listenHost: '127.0.0.1' });
  session.specialize({ env: {}, handler: 'index.handler' });
  await fetch(`http://${address}${BASE}/flint/specialize`).then((r) => r.text());
  const next = fetch(`http://${address}${BASE}/runtime/invocation/next`).then((r) => r.text());
  await session.ready();
  const outcome = session.invoke(inv);
  await next;
  return { session, address, outcome };
}

/** Opens a streamed `/response` (chunked, as AWS's runtime clients send it); the caller writes and ends it. */
function streamedResponse(address: string, requestId: string): { req: ClientRequest; answer: Promise<{ status: number; body: string }> } {
  const [host, port] = address.split(':');
  let req!: ClientRequest;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = request({
      host, port: Number(port), method: 'POST', agent: false,
      path: `${BASE}/runtime/invocation/${requestId}/response`,
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Transfer-Encoding': 'chunked', 'Content-Type': 'text/plain',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  return { req, answer };
}

/** A sink that records what it got and lets a test wait for the n-th piece. */
function recordingSink() {
  const pieces: Buffer[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const begun: Array<{ contentType: string | undefined; piecesBefore: number }> = [];
  const sink: ResponseSink = {
    begin(contentType) {
      begun.push({ contentType, piecesBefore: pieces.length });
    },
    write(chunk) {
      pieces.push(chunk);
      for (const w of waiters.filter((x) => pieces.length >= x.n)) w.resolve();
      return undefined;
    },
  };
  const received = (n: number) => new Promise<void>((resolve) => (pieces.length >= n ? resolve() : waiters.push({ n, resolve })));
  return { sink, pieces, begun, received, text: () => Buffer.concat(pieces).toString() };
}

describe('Runtime API streamed responses', () => {
  let server: RuntimeApiServer;
  before(() => {
    server = new RuntimeApiServer();
  });
  after(() => server.close());

  it('passes each piece to the sink as it arrives, before the body ends', async () => {
    const rec = recordingSink();
    const { session, address, outcome } = await running(server, 'stream-ok', invocation('req-1', rec.sink));
    const { req, answer } = streamedResponse(address, 'req-1');
    req.write('first;');
    await rec.received(1); // the body is still open
    assert.equal(rec.text(), 'first;');
    req.end('second');
    assert.deepEqual(await answer, { status: 202, body: '{"status":"OK"}' });
    const result = await outcome;
    assert.equal(rec.text(), 'first;second');
    assert.deepEqual(rec.begun, [{ contentType: 'text/plain', piecesBefore: 0 }], 'the content type comes once, before the first piece');
    assert.deepEqual({ ...result, payload: result.payload.toString() }, { payload: '', contentType: 'text/plain', streamed: true });
    session.close();
  });

  it('ends the invocation with the error of the trailers after the bytes already sent', async () => {
    const rec = recordingSink();
    const { session, address, outcome } = await running(server, 'stream-error', invocation('req-2', rec.sink));
    const { req, answer } = streamedResponse(address, 'req-2');
    req.write('partial');
    const doc = { errorType: 'TypeError', errorMessage: 'boom', trace: [] };
    req.addTrailers({
      'Lambda-Runtime-Function-Error-Type': 'TypeError',
      'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(doc)).toString('base64'),
    });
    req.end();
    assert.equal((await answer).status, 202);
    const result = await outcome;
    assert.equal(rec.text(), 'partial');
    assert.equal(result.functionError, 'Unhandled');
    assert.equal(result.errorType, 'TypeError');
    assert.equal(result.streamed, true);
    assert.deepEqual(JSON.parse(result.payload.toString()), doc);
    session.close();
  });

  it('takes an error body with a long trace in the trailers (past the 16 KB header default)', async () => {
    const rec = recordingSink();
    const { session, address, outcome } = await running(server, 'stream-long-trace', invocation('req-6', rec.sink));
    const { req, answer } = streamedResponse(address, 'req-6');
    req.write('x');
    const doc = { errorType: 'Error', errorMessage: 'deep', trace: Array.from({ length: 400 }, (_, i) => `    at frame${i} (/var/task/index.js:${i}:1)`) };
    const body = Buffer.from(JSON.stringify(doc)).toString('base64');
    assert.ok(body.length > 16 * 1024);
    req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': 'Error', 'Lambda-Runtime-Function-Error-Body': body });
    req.end();
    assert.equal((await answer).status, 202);
    assert.deepEqual(JSON.parse((await outcome).payload.toString()), doc);
    session.close();
  });

  it('buffers a streamed response when the invocation has no sink (a plain Invoke)', async () => {
    const { session, address, outcome } = await running(server, 'stream-buffered', invocation('req-3'));
    const { req, answer } = streamedResponse(address, 'req-3');
    req.write('a');
    setTimeout(() => req.end('b'), 20);
    assert.equal((await answer).status, 202);
    const result = await outcome;
    assert.equal(result.payload.toString(), 'ab');
    assert.equal(result.functionError, undefined);
    assert.equal(result.streamed, false);
    session.close();
  });

  it('keeps the buffered limit without a sink: 413 and Function.ResponseSizeTooLarge', async () => {
    const { session, address, outcome } = await running(server, 'stream-buffered-big', invocation('req-4'));
    const { req, answer } = streamedResponse(address, 'req-4');
    req.end(Buffer.alloc(6 * 1024 * 1024 + 101, 0x61));
    assert.equal((await answer).status, 413);
    const result = await outcome;
    assert.equal(result.errorType, 'Function.ResponseSizeTooLarge');
    assert.match(result.payload.toString(), /maximum allowed payload size \(6291556 bytes\)/);
    session.close();
  });

  it('streams past 6 MB up to 20 MiB, then stops forwarding and fails with Function.ResponseSizeTooLarge', async () => {
    let forwarded = 0;
    const sink: ResponseSink = { write: (chunk) => void (forwarded += chunk.length) };
    const { session, address, outcome } = await running(server, 'stream-big', invocation('req-5', sink));
    const { req, answer } = streamedResponse(address, 'req-5');
    const piece = Buffer.alloc(1024 * 1024, 0x62);
    for (let i = 0; i < 21; i++) {
      if (!req.write(piece)) await new Promise((r) => req.once('drain', r));
    }
    req.end();
    assert.equal((await answer).status, 413);
    const result = await outcome;
    assert.equal(forwarded, MAX_STREAMED_RESPONSE_BYTES);
    assert.equal(result.errorType, 'Function.ResponseSizeTooLarge');
    assert.match(result.payload.toString(), /\(20971520 bytes\)/);
    session.close();
  });
});
