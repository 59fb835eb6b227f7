import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RuntimeApiListenerHandle } from '../sandbox/sandbox-driver.ts';
import { RuntimeApiServer } from './runtime-api-server.ts';
import { RuntimeInitError, type Invocation } from './invocation.ts';
import type { RuntimeSessionHandle } from './runtime-session.ts';

const BASE = '/2018-06-01';

function invocation(requestId: string, extra: Partial<Invocation> = {}): Invocation {
  return {
    requestId, payload: Buffer.from('{"a":1}'), deadlineMs: 1_700_000_000_000,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', ...extra,
  };
}

async function call(address: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`http://${address}${BASE}${path}`, { method, body, headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function openSession(server: RuntimeApiServer, id: string): Promise<{ session: RuntimeSessionHandle; address: string }> {
  const session = server.open(id);
  const address = await server.bind(id, { listenHost: '127.0.0.1' });
  return { session, address };
}

/** One request on a new connection, as a newly started runtime makes it (restart() closes the old runtime's connections). */
function callFresh(address: string, method: string, path: string, body?: string) {
  const [host, port] = address.split(':');
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
    const req = request({ host, port: Number(port), method, path: `${BASE}${path}`, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Specializes, consumes the init doc and makes the first /next (so ready() resolves); returns that pending /next. */
async function readySession(server: RuntimeApiServer, id: string) {
  const { session, address } = await openSession(server, id);
  session.specialize({ env: { A: '1' }, handler: 'index.handler' });
  await call(address, 'GET', '/flint/specialize');
  const next = call(address, 'GET', '/runtime/invocation/next');
  await session.ready();
  return { session, address, next };
}

describe('RuntimeApiServer', () => {
  let server: RuntimeApiServer;
  before(() => {
    server = new RuntimeApiServer();
  });
  after(() => server.close());

  it('delivers the specialization as JSON and as KEY=VALUE\\0 records', async () => {
    const { session, address } = await openSession(server, 'spec-json');
    const parked = call(address, 'GET', '/flint/specialize');
    session.specialize({ env: { A: '1', B: 'x y' }, handler: 'index.handler' });
    assert.deepEqual(JSON.parse((await parked).text), { handler: 'index.handler', env: { A: '1', B: 'x y' } });
    session.close();
    const second = await openSession(server, 'spec-env0');
    second.session.specialize({ env: { A: '1', B: 'x y' }, handler: 'h.h' });
    assert.equal((await call(second.address, 'GET', '/flint/specialize?format=env0')).text, 'A=1\0B=x y\0');
    second.session.close();
  });

  it('hands an invocation to /next with every Lambda-Runtime header and settles it with /response', async () => {
    const { session, address, next } = await readySession(server, 'happy');
    const outcome = session.invoke(invocation('req-1', {
      traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
      clientContext: '{"custom":{"k":"v"}}', cognitoIdentity: '{"cognitoIdentityId":"id"}',
    }));
    const got = await next;
    assert.equal(got.status, 200);
    assert.equal(got.text, '{"a":1}');
    assert.equal(got.headers.get('lambda-runtime-aws-request-id'), 'req-1');
    assert.equal(got.headers.get('lambda-runtime-deadline-ms'), '1700000000000');
    assert.equal(got.headers.get('lambda-runtime-invoked-function-arn'), 'arn:aws:lambda:us-east-1:000000000000:function:f');
    assert.equal(got.headers.get('lambda-runtime-trace-id'), 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1');
    assert.equal(got.headers.get('lambda-runtime-client-context'), '{"custom":{"k":"v"}}');
    assert.equal(got.headers.get('lambda-runtime-cognito-identity'), '{"cognitoIdentityId":"id"}');
    assert.equal(got.headers.get('content-type'), 'application/json');
    const posted = await call(address, 'POST', '/runtime/invocation/req-1/response', '"done"');
    assert.deepEqual([posted.status, posted.text], [202, '{"status":"OK"}']);
    const result = await outcome;
    assert.equal(result.functionError, undefined);
    assert.equal(result.payload.toString(), '"done"');
    session.close();
  });

  it('refuses a second answer and an unknown request id with 400 InvalidRequestID', async () => {
    const { session, address, next } = await readySession(server, 'ids');
    const outcome = session.invoke(invocation('req-2'));
    await next;
    const wrong = await call(address, 'POST', '/runtime/invocation/other/response', '1');
    assert.deepEqual([wrong.status, JSON.parse(wrong.text)], [400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' }]);
    assert.equal((await call(address, 'POST', '/runtime/invocation/req-2/error', '{}', { 'Lambda-Runtime-Function-Error-Type': 'Error' })).status, 202);
    const result = await outcome;
    assert.deepEqual([result.functionError, result.errorType], ['Unhandled', 'Error']);
    const again = await call(address, 'POST', '/runtime/invocation/req-2/response', '1');
    assert.equal(again.status, 400);
    session.close();
  });

  it('refuses /response before the first /next and /init/error after init with 403 InvalidStateTransition', async () => {
    const { session, address } = await openSession(server, 'states');
    const early = await call(address, 'POST', '/runtime/invocation/x/response', '1');
    assert.equal(early.status, 403);
    assert.deepEqual(JSON.parse(early.text), {
      errorMessage: 'State transition from Started to InvocationResponse failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
    session.specialize({ env: {}, handler: 'h.h' });
    await call(address, 'GET', '/flint/specialize');
    void call(address, 'GET', '/runtime/invocation/next').catch(() => {});
    await session.ready();
    const late = await call(address, 'POST', '/runtime/init/error', '{}');
    assert.equal(late.status, 403);
    assert.match(JSON.parse(late.text).errorMessage, /^State transition from Ready to InitError failed/);
    const twice = await call(address, 'GET', '/runtime/invocation/next');
    assert.equal(twice.status, 403, 'a second concurrent /next is refused');
    session.close();
  });

  it('fails an oversize response with Function.ResponseSizeTooLarge and answers the runtime 413', async () => {
    const { session, address, next } = await readySession(server, 'big');
    const outcome = session.invoke(invocation('req-big'));
    await next;
    const big = Buffer.alloc(6 * 1024 * 1024 + 101, 0x61);
    const posted = await call(address, 'POST', '/runtime/invocation/req-big/response', big);
    assert.deepEqual([posted.status, JSON.parse(posted.text)], [413, {
      errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge',
    }]);
    const result = await outcome;
    assert.equal(result.functionError, 'Unhandled');
    assert.deepEqual(JSON.parse(result.payload.toString()), {
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    session.close();
  });

  it('rejects ready() with the /init/error document and serves it to the waiting invocation', async () => {
    const { session, address } = await openSession(server, 'init-error');
    session.specialize({ env: {}, handler: 'h.h' });
    const waiting = session.invoke(invocation('req-init'));
    const doc = '{"errorType":"Runtime.ImportModuleError","errorMessage":"nope"}';
    const posted = await call(address, 'POST', '/runtime/init/error', doc, { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' });
    assert.equal(posted.status, 202);
    await assert.rejects(session.ready(), (err: unknown) => err instanceof RuntimeInitError && err.errorType === 'Runtime.ImportModuleError');
    const result = await waiting;
    assert.equal(result.errorType, 'Runtime.ImportModuleError');
    assert.equal(result.payload.toString(), doc);
    session.close();
  });

  it('settles the in-flight invocation when the host fails the session', async () => {
    const { session, next } = await readySession(server, 'fail');
    const outcome = session.invoke(invocation('req-f'));
    await next;
    session.fail({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 1' });
    const result = await outcome;
    assert.deepEqual(JSON.parse(result.payload.toString()), {
      errorType: 'Runtime.ExitError', errorMessage: 'RequestId: req-f Error: Runtime exited with error: exit status 1',
    });
    session.close();
  });

  it('after a restart, delivers the same function environment to the new runtime and serves invocations again', async () => {
    const { session, address, next } = await readySession(server, 'restart');
    const timedOut = session.invoke(invocation('req-t'));
    await next;
    session.fail({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
    assert.equal((await timedOut).functionError, 'Unhandled');
    assert.throws(() => session.specialize({ env: {}, handler: 'x' }), /specialize\(\) in state Failed/);
    session.restart();
    assert.equal(session.state, 'Initializing');
    assert.throws(() => session.restart(), /restart\(\) in state Initializing/, 'only a failed runtime is restarted');
    const init = await callFresh(address, 'GET', '/flint/specialize');
    assert.deepEqual(JSON.parse(init.text), { handler: 'index.handler', env: { A: '1' } });
    const secondNext = callFresh(address, 'GET', '/runtime/invocation/next');
    await session.ready();
    const outcome = session.invoke(invocation('req-2'));
    assert.equal((await secondNext).headers['lambda-runtime-aws-request-id'], 'req-2');
    assert.equal((await callFresh(address, 'POST', '/runtime/invocation/req-2/response', '"again"')).status, 202);
    assert.equal((await outcome).payload.toString(), '"again"');
    session.close();
  });

  it('serves a listener handed over by another process (as a sandbox\'s supervisor does) to its own session only, and closes it with the session', async () => {
    const [a, b] = await Promise.all([handedListener(), handedListener()]);
    const sessions = (['handed-a', 'handed-b'] as const).map((id) => server.open(id));
    const [addressA, addressB] = await Promise.all([
      server.bind('handed-a', { listener: a.handle, address: a.address }),
      server.bind('handed-b', { listener: b.handle, address: b.address }),
    ]);
    assert.deepEqual([addressA, addressB], [a.address, b.address], 'the address is the one the sandbox listens on');
    sessions[0]!.specialize({ env: {}, handler: 'a.handler' });
    sessions[1]!.specialize({ env: {}, handler: 'b.handler' });
    assert.equal(JSON.parse((await call(a.address, 'GET', '/flint/specialize')).text).handler, 'a.handler');
    assert.equal(JSON.parse((await call(b.address, 'GET', '/flint/specialize')).text).handler, 'b.handler');
    sessions[0]!.close();
    await assert.rejects(call(a.address, 'GET', '/ping'), 'the listener closed with its session');
    assert.equal((await call(b.address, 'GET', '/ping')).status, 200);
    sessions[1]!.close();
  });

  it('closes a handed listener it cannot use', async () => {
    const a = await handedListener();
    await assert.rejects(server.bind('never-opened', { listener: a.handle, address: a.address }), /not open/);
    await assert.rejects(call(a.address, 'GET', '/ping'));
  });
});

/**
 * A socket listening on an ephemeral loopback port, made by a Python process and handed over
 * Node's IPC channel the way flint-sandbox-helper's supervisor does: one JSON line
 * (`NODE_HANDLE`, `net.Native`) with the descriptor attached (SCM_RIGHTS).
 */
async function handedListener(): Promise<{ handle: RuntimeApiListenerHandle; address: string }> {
  const script = `import json, socket
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
address = '127.0.0.1:%d' % s.getsockname()[1]
channel = socket.socket(fileno=3)
line = json.dumps({'cmd': 'NODE_HANDLE', 'type': 'net.Native', 'msg': {'runtimeApi': address}}) + '\\n'
socket.send_fds(channel, [line.encode()], [s.fileno()])
s.close()
channel.recv(100)  # Node's NODE_HANDLE_ACK
`;
  const child = spawn('/usr/bin/python3', ['-c', script], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [message, handle] = (await once(child, 'message')) as [{ runtimeApi: string }, RuntimeApiListenerHandle];
  child.disconnect();
  return { handle, address: message.runtimeApi };
}
