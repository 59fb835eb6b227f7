import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FunctionNotFound,
  FunctionNotReady,
  InvalidClientContext,
  InvalidPayload,
  PayloadTooLarge,
  PlatformFault,
  Throttled,
  type FunctionVersionConfig,
  type InvocationOutcome,
  type InvocationRequest,
  type InvokeRequest,
} from '../model/index.ts';
import { ApiError } from '../shared/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { InvokeService } from './invoke-service.ts';
import type { SandboxClaim } from './ports.ts';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const MB = 1024 * 1024;
const ok: InvocationOutcome = { payload: Buffer.from('"done"'), durationMs: 2 };

type ClaimStep = () => Promise<void>;

/** An InvokeService over fakes: one function `f` (state settable), a counting fake with a limit, a scripted worker fake. */
function harness(options: { state?: FunctionVersionConfig['state']; limit?: number; claim?: ClaimStep; run?: (r: InvocationRequest) => Promise<InvocationOutcome> } = {}) {
  const config = functionVersion('f', { state: options.state ?? 'Active' });
  const held = { leases: 0, claims: 0, leasesTaken: 0, claimsTaken: 0 };
  const sandboxRequests: InvocationRequest[] = [];
  const enqueued: Array<{ requestId: string; payload: string }> = [];
  const observed: string[] = [];
  const service = new InvokeService({
    resolver: {
      resolve: async (name, qualifier) => {
        if (name === 'bad name!') throw new ApiError('ValidationException', '1 validation error detected');
        if (name !== 'f' || (qualifier !== undefined && qualifier !== '$LATEST')) throw new FunctionNotFound(qualifier === undefined ? `${ARN.slice(0, -1)}${name}` : `${ARN}:${qualifier}`);
        return { config, invokedFunctionArn: qualifier === undefined ? ARN : `${ARN}:${qualifier}` };
      },
    },
    counting: {
      acquire: () => {
        if (held.leases >= (options.limit ?? 10)) throw new Throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
        held.leases++;
        held.leasesTaken++;
        let released = false;
        return { release: () => (released ? undefined : ((released = true), held.leases--)) };
      },
    },
    workers: {
      claim: async (): Promise<SandboxClaim> => {
        await options.claim?.();
        held.claims++;
        held.claimsTaken++;
        let released = false;
        return {
          cold: true,
          sandbox: { invoke: async (r) => (sandboxRequests.push(r), options.run ? options.run(r) : ok) },
          release: () => (released ? undefined : ((released = true), held.claims--)),
        };
      },
    },
    events: { enqueue: async (target, r) => void enqueued.push({ requestId: r.requestId, payload: `${target.invokedFunctionArn} ${r.payload.toString()}` }) },
    observer: {
      invoked: (fn, result, cold) => void observed.push(`invoked ${fn} ${result} ${cold ? 'cold' : 'warm'}`),
      throttled: (fn, reason) => void observed.push(`throttled ${fn} ${reason}`),
    },
  });
  return { service, held, sandboxRequests, enqueued, observed };
}

const request = (over: Partial<InvokeRequest> = {}): InvokeRequest => ({
  entry: 'Invoke',
  requestId: 'req-1',
  functionName: 'f',
  qualifier: undefined,
  invocationType: 'RequestResponse',
  payload: Buffer.from('{"a":1}'),
  ...over,
});

describe('InvokeService', () => {
  it('runs a RequestResponse invoke in a claimed sandbox and releases the claim and the lease', async () => {
    const h = harness();
    const context = Buffer.from('{"custom":{"k":"v"}}').toString('base64');
    const result = await h.service.invoke(request({ clientContext: context, tailLog: true }));
    assert.equal(result.kind, 'completed');
    assert.equal(result.kind === 'completed' && result.outcome, ok);
    assert.equal(result.target.config.version, '$LATEST');
    assert.deepEqual(h.sandboxRequests.map((r) => [r.requestId, r.payload.toString(), r.invokedFunctionArn, r.clientContext, r.tailLog]), [
      ['req-1', '{"a":1}', ARN, '{"custom":{"k":"v"}}', true],
    ]);
    assert.deepEqual(h.held, { leases: 0, claims: 0, leasesTaken: 1, claimsTaken: 1 });
    assert.deepEqual(h.observed, ['invoked f success cold']);
  });

  it('returns a function error as an outcome (never thrown), still releasing the claim and the lease', async () => {
    const failed: InvocationOutcome = { payload: Buffer.from('{"errorType":"Error"}'), functionError: 'Unhandled', errorType: 'Error', durationMs: 1 };
    const h = harness({ run: async () => failed });
    const result = await h.service.invoke(request());
    assert.equal(result.kind === 'completed' && result.outcome.functionError, 'Unhandled');
    assert.deepEqual([h.held.leases, h.held.claims], [0, 0]);
    assert.deepEqual(h.observed, ['invoked f error cold']);
  });

  it('throws FunctionNotFound for a function or qualifier that does not exist, before taking any capacity', async () => {
    const h = harness();
    await assert.rejects(h.service.invoke(request({ functionName: 'nope' })), (err) => err instanceof FunctionNotFound && err.resource.endsWith(':function:nope'));
    await assert.rejects(h.service.invoke(request({ qualifier: 'live' })), (err) => err instanceof FunctionNotFound && err.resource === `${ARN}:live`);
    assert.deepEqual([h.held.leasesTaken, h.held.claimsTaken], [0, 0]);
  });

  it("passes the resolver's API errors (a malformed name) through as they are", async () => {
    const h = harness();
    await assert.rejects(h.service.invoke(request({ functionName: 'bad name!' })), (err) => err instanceof ApiError && err.code === 'ValidationException');
  });

  it('refuses a Pending version as FunctionNotReady for every invocation type, before looking at the payload', async () => {
    const h = harness({ state: 'Pending' });
    for (const invocationType of ['RequestResponse', 'Event', 'DryRun'] as const) {
      await assert.rejects(h.service.invoke(request({ invocationType, payload: Buffer.alloc(7 * MB) })), (err) => err instanceof FunctionNotReady && err.state === 'Pending');
    }
    assert.deepEqual([h.held.leasesTaken, h.enqueued.length], [0, 0]);
  });

  const limits: Array<[string, Partial<InvokeRequest>, number]> = [
    ['RequestResponse through Invoke', { entry: 'Invoke', invocationType: 'RequestResponse' }, 6 * MB],
    ['DryRun through Invoke', { entry: 'Invoke', invocationType: 'DryRun' }, 6 * MB],
    ['Event through Invoke', { entry: 'Invoke', invocationType: 'Event' }, 1 * MB],
    ['Event through InvokeAsync', { entry: 'InvokeAsync', invocationType: 'Event' }, 256 * 1024],
  ];
  for (const [name, over, limit] of limits) {
    // (the size is checked before the JSON: one byte over needs no parse, which keeps this cheap)
    it(`refuses one byte over ${limit} with PayloadTooLarge naming that limit: ${name}`, async () => {
      const h = harness();
      await assert.rejects(
        h.service.invoke(request({ ...over, payload: Buffer.alloc(limit + 1) })),
        (err) => err instanceof PayloadTooLarge && err.sizeBytes === limit + 1 && err.limitBytes === limit && err.invocationType === over.invocationType,
      );
      assert.deepEqual([h.held.leasesTaken, h.enqueued.length], [0, 0]);
    });
  }

  it('refuses a payload that is not JSON with InvalidPayload, and hands an empty one to the function as {}', async () => {
    const h = harness();
    await assert.rejects(h.service.invoke(request({ payload: Buffer.from('{nope') })), InvalidPayload);
    await h.service.invoke(request({ payload: Buffer.alloc(0) }));
    assert.deepEqual(h.sandboxRequests.map((r) => r.payload.toString()), ['{}']);
  });

  it('refuses a client context that is not base64 JSON with InvalidClientContext, taking no capacity', async () => {
    const h = harness();
    await assert.rejects(h.service.invoke(request({ clientContext: '!!!' })), (err) => err instanceof InvalidClientContext && err.problem === 'not-a-json-object');
    await assert.rejects(h.service.invoke(request({ clientContext: 'e'.repeat(3584) })), (err) => err instanceof InvalidClientContext && err.problem === 'too-long');
    assert.equal(h.held.leasesTaken, 0);
  });

  it('delivers an async event as it was accepted, without checking its payload again', async () => {
    const h = harness();
    const result = await h.service.invoke(request({ entry: 'AsyncDelivery', payload: Buffer.alloc(7 * MB, 'x') }));
    assert.equal(result.kind, 'completed');
    assert.equal(h.sandboxRequests[0]?.payload.length, 7 * MB);
  });

  it('answers DryRun after the checks, with no lease, claim or enqueue', async () => {
    const h = harness();
    assert.equal((await h.service.invoke(request({ invocationType: 'DryRun', payload: Buffer.from('{nope') }))).kind, 'dry-run');
    assert.deepEqual([h.held.leasesTaken, h.held.claimsTaken, h.enqueued.length], [0, 0, 0]);
  });

  it('queues an Event invoke durably (normalised payload, ARN as invoked) with no lease or claim', async () => {
    const h = harness();
    const result = await h.service.invoke(request({ invocationType: 'Event', qualifier: '$LATEST', payload: Buffer.alloc(0) }));
    assert.equal(result.kind, 'queued');
    assert.deepEqual(h.enqueued, [{ requestId: 'req-1', payload: `${ARN}:$LATEST {}` }]);
    assert.deepEqual([h.held.leasesTaken, h.held.claimsTaken], [0, 0]);
  });

  it('throttles with the counting service reason when the function is at its concurrency, and claims nothing', async () => {
    const h = harness({ limit: 0 });
    await assert.rejects(h.service.invoke(request()), (err) => err instanceof Throttled && err.reason === 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.equal(h.held.claimsTaken, 0);
    assert.deepEqual(h.observed, ['throttled f ReservedFunctionConcurrentInvocationLimitExceeded']);
  });

  const claimThrottles: Array<[string, Throttled]> = [
    ['the scale-up rate', new Throttled('FunctionInvocationRateLimitExceeded', 1500)],
    ['placement finding no room', new Throttled('ConcurrentInvocationLimitExceeded')],
  ];
  for (const [name, throttle] of claimThrottles) {
    it(`throttles with the reason of ${name} and releases the lease`, async () => {
      const h = harness({ claim: async () => Promise.reject(throttle) });
      await assert.rejects(h.service.invoke(request()), (err) => err === throttle);
      assert.deepEqual([h.held.leasesTaken, h.held.leases], [1, 0]);
      assert.deepEqual(h.observed, [`throttled f ${throttle.reason}`]);
    });
  }

  it('turns an unexpected claim failure into a PlatformFault carrying it, and releases the lease', async () => {
    const cause = new Error('sandbox failed to start');
    const h = harness({ claim: async () => Promise.reject(cause) });
    await assert.rejects(h.service.invoke(request()), (err) => err instanceof PlatformFault && err.cause === cause);
    assert.deepEqual([h.held.leasesTaken, h.held.leases], [1, 0]);
    assert.deepEqual(h.observed, []);
  });

  it('releases the claim and the lease when the sandbox fails, reporting a PlatformFault with the cause', async () => {
    const cause = new Error('host lost');
    const h = harness({ run: async () => Promise.reject(cause) });
    await assert.rejects(h.service.invoke(request()), (err) => err instanceof PlatformFault && err.cause === cause);
    assert.deepEqual(h.held, { leases: 0, claims: 0, leasesTaken: 1, claimsTaken: 1 });
  });

  it('holds one lease and one claim per invocation in flight', async () => {
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const h = harness({ limit: 2, run: async () => (await gate, ok) });
    const running = [h.service.invoke(request()), h.service.invoke(request())];
    await new Promise((r) => setImmediate(r));
    assert.deepEqual([h.held.leases, h.held.claims], [2, 2]);
    await assert.rejects(h.service.invoke(request()), Throttled);
    finish();
    await Promise.all(running);
    assert.deepEqual([h.held.leases, h.held.claims], [0, 0]);
  });
});
