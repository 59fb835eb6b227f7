import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PeerCallFailed, PeerHttp } from './peer-http.ts';

async function peer(handle: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void) {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

test('raw bytes cross both ways with the headers, over one kept-alive connection', async () => {
  const p = await peer((req, res, body) => {
    res.setHeader('x-got-length', String(req.headers['content-length']));
    res.setHeader('x-echo', String(req.headers['x-flint-thing']));
    res.end(Buffer.concat([body, body]));
  });
  const http = new PeerHttp(p.endpoint);
  try {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    for (let i = 0; i < 3; i++) {
      const res = await http.call({ method: 'POST', path: '/x?y=1', headers: { 'x-flint-thing': 'v' }, body: bytes, timeoutMs: 5000 });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, Buffer.concat([bytes, bytes]));
      assert.equal(res.headers['x-got-length'], '70000');
      assert.equal(res.headers['x-echo'], 'v');
    }
    assert.equal(p.connections(), 1);
  } finally {
    http.close();
    await p.close();
  }
});

test('a refused connection is told apart from a peer lost after it took the request', async () => {
  const p = await peer((req) => req.socket.destroy());
  const http = new PeerHttp(p.endpoint);
  try {
    await assert.rejects(http.call({ method: 'POST', path: '/', body: '{}', timeoutMs: 5000 }), (err: unknown) => err instanceof PeerCallFailed && !err.refused);
  } finally {
    await p.close();
  }
  await assert.rejects(http.call({ method: 'POST', path: '/', body: '{}', timeoutMs: 5000 }), (err: unknown) => err instanceof PeerCallFailed && err.refused && err.code === 'ECONNREFUSED');
});

test('a peer lost halfway through its answer fails the call (never a hang, never half a body)', async () => {
  const p = await peer((req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write(Buffer.alloc(10), () => req.socket.destroy());
  });
  const http = new PeerHttp(p.endpoint);
  try {
    await assert.rejects(http.call({ method: 'GET', path: '/', timeoutMs: 5000 }), (err: unknown) => err instanceof PeerCallFailed && !err.refused);
  } finally {
    http.close();
    await p.close();
  }
});

test("a call in flight ends with the caller's signal, or at its deadline, with the reason", async () => {
  let taken: () => void = () => undefined;
  const p = await peer(() => taken()); // never answers
  const http = new PeerHttp(p.endpoint);
  try {
    const lost = new AbortController();
    const took = new Promise<void>((r) => (taken = r));
    const call = http.call({ method: 'POST', path: '/', body: '', timeoutMs: 60_000, signal: lost.signal });
    await took;
    lost.abort(new Error('the host missed its heartbeats'));
    await assert.rejects(call, (err: unknown) => err instanceof PeerCallFailed && /missed its heartbeats/.test(err.message));
    await assert.rejects(http.call({ method: 'POST', path: '/', timeoutMs: 60_000, signal: lost.signal }), /missed its heartbeats/);
    await assert.rejects(http.call({ method: 'POST', path: '/', timeoutMs: 50 }), (err: unknown) => err instanceof PeerCallFailed && /no answer within 50 ms/.test(err.message));
  } finally {
    http.close();
    await p.close();
  }
});
