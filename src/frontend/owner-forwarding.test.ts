import { test } from 'node:test';
import assert from 'node:assert/strict';
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

test('a caller without the cluster key is refused, and a lost owner is a platform fault', async () => {
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
  await assert.rejects(new OwnerInvoker('k'.repeat(43)).invoke(endpoint, request), PlatformFault);
});
