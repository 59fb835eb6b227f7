import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { TUTORIAL_BOOTSTRAP, TUTORIAL_FUNCTION } from '../helpers/custom-runtime-tutorial.ts';
import { useFlint } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';

const js = (source: string) => [{ name: 'index.js', content: source }];

describe('sandbox network', () => {
  const server = useFlint();

  it('lets a handler invoke another Flint function through the AWS SDK with no endpoint configured', async () => {
    const callee = await deploy(server.client, js(`exports.handler = async (e) => ({ doubled: e.n * 2 });`));
    const caller = await deploy(
      server.client,
      js(`const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
        const lambda = new LambdaClient({});
        exports.handler = async (e) => {
          const r = await lambda.send(new InvokeCommand({ FunctionName: e.target, Payload: JSON.stringify({ n: 21 }) }));
          return { endpoint: process.env.AWS_ENDPOINT_URL_LAMBDA, answer: JSON.parse(Buffer.from(r.Payload).toString()) };
        };`),
      { Timeout: 15, MemorySize: 512 },
    );
    const r = await invoke(server.client, caller.name, { target: callee.name });
    assert.equal(r.functionError, undefined, r.text);
    assert.match(r.json.endpoint, /^http:\/\/host\.flint\.internal:\d+$/);
    assert.deepEqual(r.json.answer, { doubled: 42 });
  });

  it('lets a handler reach an HTTP server on the host as host.flint.internal', async () => {
    const fn = await deploy(
      server.client,
      js(`const http = require('http');
        exports.handler = async () => new Promise((resolve, reject) => {
          http.get(process.env.AWS_ENDPOINT_URL_LAMBDA + '/2016-08-19/account-settings', (res) => {
            let body = ''; res.on('data', (d) => (body += d)); res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
          }).on('error', reject);
        });`),
    );
    const r = await invoke(server.client, fn.name);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json.status, 200);
    assert.ok(r.json.body.AccountLimit.ConcurrentExecutions > 0);
  });

  it('lets a handler reach a host service listening on all addresses as host.flint.internal (the default while Flint listens on loopback), not one bound to 127.0.0.1 only, and says so at start', async () => {
    const wildcard = await hostServer('0.0.0.0');
    const loopbackOnly = await hostServer('127.0.0.1');
    try {
      const fn = await deploy(server.client, js(`${PROBE}
        exports.handler = async (e) => ({ wildcard: await get('host.flint.internal', e.wildcard), loopbackOnly: await tryConnect('host.flint.internal', e.loopbackOnly) });`));
      const r = await invoke(server.client, fn.name, { wildcard: wildcard.port, loopbackOnly: loopbackOnly.port });
      assert.equal(r.functionError, undefined, r.text);
      assert.match(r.json.wildcard, /^169\.254\./, 'the host service answered with the sandbox\'s own address');
      assert.notEqual(r.json.loopbackOnly, 'open');
      assert.equal(await hostConnect('127.0.0.1', loopbackOnly.port), 'open', 'the 127.0.0.1 listener is up');
      assert.match(server.flint.output(), /Functions reach every port the host listens on .*--sandbox-host-access all, the default while Flint listens on loopback only/);
    } finally {
      wildcard.server.close();
      loopbackOnly.server.close();
    }
  });

  it('keeps a sandbox from reaching a listener in another sandbox, which the host reaches', async () => {
    const listener = await deploy(server.client, js(`const net = require('net');
      const server = net.createServer((s) => s.end('hi')).listen(9100, '0.0.0.0');
      const listening = new Promise((resolve) => server.once('listening', resolve));
      exports.handler = async () => { await listening; return { own: Object.values(require('os').networkInterfaces()).flat().find((a) => a.family === 'IPv4' && !a.internal).address }; };`));
    const prober = await deploy(server.client, js(`${PROBE}
      exports.handler = async (e) => ({ neighbour: await tryConnect(e.address, 9100) });`));
    const l = await invoke(server.client, listener.name);
    assert.equal(l.functionError, undefined, l.text);
    assert.match(l.json.own, /^169\.254\./);
    const p = await invoke(server.client, prober.name, { address: l.json.own });
    assert.equal(p.functionError, undefined, p.text);
    assert.equal(await hostConnect(l.json.own, 9100), 'open', 'the neighbour\'s listener is up and reachable from the host');
    assert.equal(p.json.neighbour, 'timeout', 'no sandbox-to-sandbox connection');
  });
});

describe('sandbox network with --sandbox-host-access none', () => {
  const server = useFlint({ args: ['--sandbox-host-access', 'none'] });

  it('still invokes (node and a bash + curl provided bootstrap): the Runtime API is the sandbox\'s own 127.0.0.1:9001, and another sandbox\'s is out of reach', async () => {
    const prober = await deploy(server.client, js(`${PROBE}
      const own = Object.values(require('os').networkInterfaces()).flat().find((a) => a.family === 'IPv4' && !a.internal).address;
      exports.handler = async (e) => ({
        api: process.env.AWS_LAMBDA_RUNTIME_API, own, ownApi: await tryConnect('127.0.0.1', 9001),
        otherApi: e.other ? await tryConnect(e.other, 9001) : undefined,
        gatewayApi: await tryConnect('host.flint.internal', 9001),
      });`));
    const other = await deploy(server.client, js(`${PROBE}
      exports.handler = async () => ({ own: Object.values(require('os').networkInterfaces()).flat().find((a) => a.family === 'IPv4' && !a.internal).address });`));
    const o = await invoke(server.client, other.name);
    assert.equal(o.functionError, undefined, o.text);
    const r = await invoke(server.client, prober.name, { other: o.json.own });
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.json.api, '127.0.0.1:9001');
    assert.equal(r.json.ownApi, 'open');
    assert.notEqual(r.json.own, o.json.own);
    assert.equal(r.json.otherApi, 'timeout', 'another sandbox\'s Runtime API is out of reach');
    assert.notEqual(r.json.gatewayApi, 'open', 'nothing of the host is reachable');
    assert.equal(await hostConnect(o.json.own, 9001), 'ECONNREFUSED', 'a Runtime API listens on its sandbox\'s loopback only');

    const provided = await deploy(
      server.client,
      [
        { name: 'bootstrap', content: TUTORIAL_BOOTSTRAP, mode: 0o100755 },
        { name: 'function.sh', content: TUTORIAL_FUNCTION },
      ],
      { Runtime: 'provided.al2023', Handler: 'function.handler' },
    );
    for (let i = 0; i < 2; i++) {
      const p = await invoke(server.client, provided.name, { text: 'hi' });
      assert.equal(p.functionError, undefined, p.text);
      assert.deepEqual(p.json, { statusCode: 200, body: 'Hello from Lambda!' });
    }
    assert.match(server.flint.output(), /Functions reach nothing of the host through host\.flint\.internal: --sandbox-host-access none/);
  });
});

/** Helpers run inside the handler: a TCP connect that reports 'open' or why not, and an HTTP GET of a body. */
const PROBE = `const net = require('net'); const http = require('http');
  const tryConnect = (host, port) => new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 1000 }, () => { s.destroy(); resolve('open'); });
    s.on('error', (e) => resolve(e.code)); s.on('timeout', () => { s.destroy(); resolve('timeout'); });
  });
  const get = (host, port) => new Promise((resolve, reject) => {
    http.get({ host, port, timeout: 2000 }, (res) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => resolve(b)); })
      .on('error', reject).on('timeout', () => reject(new Error('timeout')));
  });`;

/** An HTTP server on the host answering with the caller's address. */
async function hostServer(host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => res.end(req.socket.remoteAddress));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Connects from the test process: 'open' or the error code. */
function hostConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 }, () => (socket.destroy(), resolve('open')));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message)).on('timeout', () => (socket.destroy(), resolve('timeout')));
  });
}
