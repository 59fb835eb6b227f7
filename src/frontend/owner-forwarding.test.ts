import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiServer } from '../api/index.ts';
import { PlatformFault, Throttled, type InvokeRequest, type InvokeResult, type ResolvedTarget } from '../model/index.ts';
import { createLogger } from '../shared/index.ts';
import { OwnerInvoker, registerForwardedInvokeRoute } from './owner-forwarding.ts';

const target = { config: { functionName: 'f', version: '$LATEST' }, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' } as unknown as ResolvedTarget;
const request: InvokeRequest = { entry: 'Invoke', requestId: 'r1', functionName: 'f', qualifier: undefined, invocationType: 'RequestResponse', payload: Buffer.from('{"x":1}') };

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
    const result = await new OwnerInvoker('k'.repeat(43)).invoke(endpoint, request);
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
    await assert.rejects(new OwnerInvoker('k'.repeat(43)).invoke(endpoint, request), (err: unknown) => err instanceof Throttled && err.reason === 'ReservedFunctionConcurrentInvocationLimitExceeded');
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
    await assert.rejects(new OwnerInvoker('wrong').invoke(endpoint, request), (err: unknown) => err instanceof PlatformFault && /403/.test(err.message));
    assert.equal(ran, false);
  } finally {
    await app.close();
  }
  assert.equal(await new OwnerInvoker('k'.repeat(43)).invoke(endpoint, request), 'unreachable');
});

test('an owner lost after it took the invoke is a platform fault (it may have run: never run it twice)', async () => {
  let took = 0;
  const server = createServer((req) => {
    took++;
    req.socket.destroy(); // the owner died holding the request
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await assert.rejects(new OwnerInvoker('k'.repeat(43)).invoke(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, request), PlatformFault);
    assert.equal(took, 1);
  } finally {
    server.close();
  }
});
