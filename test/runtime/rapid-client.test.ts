/**
 * The Node runtime client's hand-written HTTP/1.1 client (src/sandbox-runtime/nodejs/rapid-client.mjs)
 * against a real node:http server: the framings an answer may use, connections the server closes,
 * and requests queued behind one on the wire. (The Runtime API contract itself is covered by
 * nodejs-runtime.test.ts through the real Runtime API server.)
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}
interface Client {
  request(method: string, path: string, body?: Buffer | string, headers?: Record<string, string>): Promise<Answer>;
}
// The runtime client is plain JavaScript checked on its own (src/sandbox-runtime/tsconfig.json).
const modulePath: string = '../../src/sandbox-runtime/nodejs/rapid-client.mjs';
const { RapidClient } = (await import(modulePath)) as { RapidClient: new (hostPort: string) => Client };

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly remotePort: number;
}
const seen: Seen[] = [];
type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes: Record<string, Route> = {
  '/length': (_req, res) => {
    res.writeHead(202, { 'Content-Type': 'application/json', 'X-Twice': ['a', 'b'], 'Content-Length': 15 });
    res.end('{"status":"OK"}');
  },
  '/chunked': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('first ');
    setImmediate(() => res.end('second'));
  },
  '/close': (_req, res) => {
    res.writeHead(200, { Connection: 'close', 'Content-Length': 4 });
    res.end('done');
  },
  '/hang-up': (req) => req.socket.destroy(),
};
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort! });
    (routes[req.url!] ?? routes['/length']!)(req, res);
  });
});
let hostPort = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test('a request goes out with its method, path, headers and a UTF-8 body; the answer comes back with lower-case headers', async () => {
  seen.length = 0;
  const client = new RapidClient(hostPort);
  const answer = await client.request('POST', '/length', '{"é":"ü"}', { 'Content-Type': 'application/json' });
  assert.equal(answer.status, 202);
  assert.equal(answer.body.toString(), '{"status":"OK"}');
  assert.equal(answer.headers['content-type'], 'application/json');
  assert.equal(answer.headers['x-twice'], 'a, b', 'repeated headers are joined as node:http joins them');
  assert.equal(seen[0]?.method, 'POST');
  assert.equal(seen[0]?.body, '{"é":"ü"}');
  assert.equal(seen[0]?.headers['content-length'], String(Buffer.byteLength('{"é":"ü"}')));
  assert.equal(seen[0]?.headers['content-type'], 'application/json');
  assert.equal(seen[0]?.headers['host'], hostPort);
});

test('a chunked answer is put together; the connection is kept for the next request', async () => {
  seen.length = 0;
  const client = new RapidClient(hostPort);
  const answer = await client.request('GET', '/chunked');
  assert.equal(answer.status, 200);
  assert.equal(answer.body.toString(), 'first second');
  await client.request('GET', '/length');
  assert.equal(seen.length, 2);
  assert.equal(seen[0]!.remotePort, seen[1]!.remotePort, 'one kept-alive connection');
});

test('after an answer with Connection: close, or once the server closed an idle connection, the next request opens a new one', async () => {
  seen.length = 0;
  const client = new RapidClient(hostPort);
  assert.equal((await client.request('GET', '/close')).body.toString(), 'done');
  assert.equal((await client.request('GET', '/length')).status, 202);
  server.closeIdleConnections();
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the client see the close
  assert.equal((await client.request('GET', '/length')).status, 202);
  assert.equal(new Set(seen.map((s) => s.remotePort)).size, 3, 'three connections');
});

test('requests made together go out one after the other, each answered in turn', async () => {
  seen.length = 0;
  const client = new RapidClient(hostPort);
  const answers = await Promise.all([client.request('GET', '/chunked'), client.request('POST', '/length', 'x'), client.request('GET', '/chunked')]);
  assert.deepEqual(answers.map((a) => a.body.toString()), ['first second', '{"status":"OK"}', 'first second']);
  assert.deepEqual(seen.map((s) => s.method), ['GET', 'POST', 'GET']);
  assert.equal(new Set(seen.map((s) => s.remotePort)).size, 1);
});

test('a connection the server drops under a request fails that request; the next one succeeds on a new connection', async () => {
  const client = new RapidClient(hostPort);
  await assert.rejects(client.request('GET', '/hang-up'), /socket hang up|ECONNRESET/);
  assert.equal((await client.request('GET', '/length')).status, 202);
});
