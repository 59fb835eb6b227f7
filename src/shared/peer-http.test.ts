import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { CONNECT_TIMEOUT, PeerCallFailed, PeerHttp } from './peer-http.ts';

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
    await assert.rejects(http.call({ method: 'POST', path: '/', body: '{}', timeoutMs: 5000 }), (err: unknown) => err instanceof PeerCallFailed && !err.neverReached);
  } finally {
    await p.close();
  }
  await assert.rejects(http.call({ method: 'POST', path: '/', body: '{}', timeoutMs: 5000 }), (err: unknown) => err instanceof PeerCallFailed && err.neverReached && err.code === 'ECONNREFUSED');
});

test('a peer lost halfway through its answer fails the call (never a hang, never half a body)', async () => {
  const p = await peer((req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write(Buffer.alloc(10), () => req.socket.destroy());
  });
  const http = new PeerHttp(p.endpoint);
  try {
    await assert.rejects(http.call({ method: 'GET', path: '/', timeoutMs: 5000 }), (err: unknown) => err instanceof PeerCallFailed && !err.neverReached);
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

test('a peer that accepts no connection in time was never reached (the request cannot have run there)', async () => {
  // A listener that takes no connection: a stopped process whose accept queue (backlog 1) is full, so the kernel drops new SYNs.
  const child = spawn(process.execPath, ['-e', "require('net').createServer().listen({ host: '127.0.0.1', port: 0, backlog: 1 }, function () { process.stdout.write(String(this.address().port) + '\\n'); })"], { stdio: ['ignore', 'pipe', 'inherit'] });
  const fillers: Socket[] = [];
  try {
    const port = Number((await once(child.stdout!, 'data'))[0].toString().trim());
    child.kill('SIGSTOP');
    for (let full = false; !full && fillers.length < 64; ) {
      const s = connect(port, '127.0.0.1');
      fillers.push(s);
      full = (await Promise.race([once(s, 'connect').then(() => false), sleep(500).then(() => true)])) === true;
    }
    const http = new PeerHttp(`http://127.0.0.1:${port}`, { connectTimeoutMs: 300 });
    await assert.rejects(http.call({ method: 'POST', path: '/', body: '{}', timeoutMs: 60_000 }), (err: unknown) => err instanceof PeerCallFailed && err.neverReached && err.code === CONNECT_TIMEOUT);
    http.close();
  } finally {
    for (const s of fillers) s.destroy();
    child.kill('SIGKILL');
  }
});
