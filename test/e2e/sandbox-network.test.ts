import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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

  it('keeps a sandbox from reaching another sandbox or a host port that is not offered to it', async () => {
    const fn = await deploy(
      server.client,
      js(`const net = require('net');
        const tryConnect = (host, port) => new Promise((resolve) => {
          const s = net.connect({ host, port, timeout: 1000 }, () => { s.destroy(); resolve('open'); });
          s.on('error', (e) => resolve(e.code)); s.on('timeout', () => { s.destroy(); resolve('timeout'); });
        });
        const own = Object.values(require('os').networkInterfaces()).flat().find((a) => a.family === 'IPv4' && !a.internal).address;
        const next = own.replace(/\d+$/, (d) => String(Number(d) + 1));
        const prev = own.replace(/\d+$/, (d) => String(Number(d) - 1));
        exports.handler = async () => ({ own, hostSsh: await tryConnect('host.flint.internal', 22),
          next: await tryConnect(next, 9001), prev: await tryConnect(prev, 9001) });`),
    );
    // keep two more sandboxes of it alive next to the one probing
    const [me] = await Promise.all([invoke(server.client, fn.name), invoke(server.client, fn.name), invoke(server.client, fn.name)]);
    assert.match(me.json.own, /^169\.254\./);
    assert.notEqual(me.json.hostSsh, 'open');
    assert.notEqual(me.json.next, 'open');
    assert.notEqual(me.json.prev, 'open');
  });
});
