import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiServer } from '../api/index.ts';
import { PlatformFault, Throttled, type InvokeRequest, type InvokeResult, type ResolvedTarget } from '../model/index.ts';
import { createLogger } from '../shared/index.ts';
import { MAX_SYNC_PAYLOAD_BYTES } from './invoke-limits.ts';
import { OwnerInvoker, registerForwardedInvokeRoute } from './owner-forwarding.ts';

const target = { config: { functionName: 'f', version: '$LATEST' }, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' } as unknown as ResolvedTarget;
const request: InvokeRequest = { entry: 'Invoke', requestId: 'r1', functionName: 'f', qualifier: undefined, invocationType: 'RequestResponse', payload: Buffer.from('{"x":1}') };

const invoker = (clusterKey = 'k'.repeat(43), marginMs = 1000) => new OwnerInvoker({ clusterKey, marginMs });

async function owner(runHere: (r: InvokeRequest) => Promise<InvokeResult>) {
  const app = createApiServer({ logger: createLogger('silent') });
  registerForwardedInvokeRoute(app, { clusterKey: 'k'.repeat(43), runHere });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, endpoint: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

test('an invoke forwarded to the owner runs there and its result comes back', async () => {
  const seen: InvokeRequest[] = [];
  const { app, endpoint } = await owner(async (r) => {
    seen.push(r);
    return { kind: 'completed', target, outcome: { payload: Buffer.from('{"ok":true}'), durationMs: 1.5 } };
  });
  try {
    const result = await invoker().invoke(endpoint, request, 3000);
    assert.notEqual(result, 'unreachable');
    if (result === 'unreachable') return;
    assert.equal(result.kind, 'completed');
    assert.equal(result.kind === 'completed' && result.outcome.payload.toString(), '{"ok":true}');
    assert.equal(seen[0]?.requestId, 'r1');
    assert.equal(seen[0]?.payload.toString(), '{"x":1}');
  } finally {
    await app.close();
  }
});

test("the owner's throttle is the caller's throttle", async () => {
  const { app, endpoint } = await owner(async () => {
    throw new Throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
  });
  try {
    await assert.rejects(invoker().invoke(endpoint, request, 3000), (err: unknown) => err instanceof Throttled && err.reason === 'ReservedFunctionConcurrentInvocationLimitExceeded');
  } finally {
    await app.close();
  }
});

test('a caller without the cluster key is refused, and an owner that is gone is unreachable (the invoke may run elsewhere)', async () => {
  let ran = false;
  const { app, endpoint } = await owner(async () => {
    ran = true;
    throw new Error('never');
  });
  try {
    await assert.rejects(invoker('wrong').invoke(endpoint, request, 3000), (err: unknown) => err instanceof PlatformFault && /403/.test(err.message));
    assert.equal(ran, false);
  } finally {
    await app.close();
  }
  assert.equal(await invoker().invoke(endpoint, request, 3000), 'unreachable');
});

test('an owner lost after it took the invoke is a platform fault (it may have run: never run it twice)', async () => {
  let took = 0;
  const server = createServer((req) => {
    took++;
    req.socket.destroy(); // the owner died holding the request
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await assert.rejects(invoker().invoke(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, request, 3000), PlatformFault);
    assert.equal(took, 1);
  } finally {
    server.close();
  }
});

test('a payload of the largest size crosses both ways byte for byte', async () => {
  const big = Buffer.alloc(MAX_SYNC_PAYLOAD_BYTES, 0xab);
  big.write('{"start":"é"}', 0);
  const { app, endpoint } = await owner(async (r) => ({ kind: 'completed', target, outcome: { payload: Buffer.from(r.payload), durationMs: 1 } }));
  try {
    const result = await invoker().invoke(endpoint, { ...request, payload: big }, 3000);
    assert.ok(result !== 'unreachable' && result.kind === 'completed' && result.outcome.payload.equals(big));
  } finally {
    await app.close();
  }
});

test("a forwarded invoke waits as long as the function may run (fetch gave up at 300 s): the function's timeout plus the margin ends the wait", async () => {
  // A fake clock: ten minutes pass while the owner holds the answer. The only timer on the way is the caller's deadline.
  let release: () => void = () => undefined;
  let arrived: () => void = () => undefined;
  const took = new Promise<void>((r) => (arrived = r));
  const { app, endpoint } = await owner(async () => {
    arrived();
    await new Promise<void>((r) => (release = r));
    return { kind: 'completed', target, outcome: { payload: Buffer.from('"late"'), durationMs: 600_000 } };
  });
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const fifteenMinutes = invoker('k'.repeat(43), 5000).invoke(endpoint, request, 900_000);
    await took;
    mock.timers.tick(600_000);
    release();
    const result = await fifteenMinutes;
    assert.ok(result !== 'unreachable' && result.kind === 'completed' && result.outcome.payload.toString() === '"late"');

    const held = new Promise<void>((r) => (arrived = r));
    const overdue = invoker('k'.repeat(43), 5000).invoke(endpoint, request, 900_000);
    await held;
    mock.timers.tick(904_999);
    mock.timers.tick(1);
    await assert.rejects(overdue, (err: unknown) => err instanceof PlatformFault && /no answer within 905000 ms/.test(err.message));
    release();
  } finally {
    mock.timers.reset();
    await app.close();
  }
});
