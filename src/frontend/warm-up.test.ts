import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { FunctionNotFound, type InvokeRequest, type ResolvedTarget } from '../model/index.ts';
import { functionVersion } from '../model/testing/function-version.ts';
import { createLogger } from '../shared/index.ts';
import { localWarmUp, unobservedWarmUp, WARM_UP_FUNCTION, warmUpInvokePath, WarmUpResolver, type WarmUpDeps, type WarmUpDoor } from './warm-up.ts';

const userTarget: ResolvedTarget = { config: functionVersion('f'), invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' };
const controlPlane = { resolve: async (name: string) => (name === 'f' ? userTarget : Promise.reject(new FunctionNotFound(name))) };

/** Deps over fakes that record what the warm-up did to the code store, logs and workers. */
function harness(options: { door?: WarmUpDoor; invokes?: number; maxMs?: number; codeStored?: boolean; stepMs?: number } = {}) {
  const resolver = new WarmUpResolver(controlPlane);
  const did: string[] = [];
  const seen: ResolvedTarget[] = [];
  const blobs = new Set<string>();
  let now = 0;
  const deps: WarmUpDeps = {
    resolver,
    door:
      options.door ??
      (async () => {
        seen.push(await resolver.resolve(WARM_UP_FUNCTION, undefined));
        now += options.stepMs ?? 1;
      }),
    workers: { retire: async (name) => void did.push(`retire ${name}`) },
    code: {
      has: async (sha) => options.codeStored === true || blobs.has(sha),
      put: async (zip) => {
        const sha256Hex = createHash('sha256').update(zip).digest('hex');
        blobs.add(sha256Hex);
        did.push('put');
        return { sha256Hex, size: zip.length };
      },
      delete: async (sha) => {
        blobs.delete(sha);
        did.push('delete code');
      },
    },
    logs: { deleteGroup: async (group) => (did.push(`delete ${group}`), true) },
    account: { region: 'us-east-1', accountId: '000000000000' },
    runtime: 'nodejs24.x',
    invokes: options.invokes ?? 5,
    maxMs: options.maxMs ?? 60_000,
    clock: { now: () => now },
    logger: createLogger('silent'),
  };
  return { deps, resolver, did, seen, blobs };
}

describe('WarmUpResolver', () => {
  it('resolves the warm-up function only between begin and end, and every other name through the control plane', async () => {
    const resolver = new WarmUpResolver(controlPlane);
    await assert.rejects(resolver.resolve(WARM_UP_FUNCTION, undefined), FunctionNotFound);
    const target: ResolvedTarget = { config: functionVersion(WARM_UP_FUNCTION), invokedFunctionArn: 'arn' };
    resolver.begin(target);
    assert.equal(await resolver.resolve(WARM_UP_FUNCTION, undefined), target);
    assert.equal(await resolver.resolve('f', undefined), userTarget);
    resolver.end();
    await assert.rejects(resolver.resolve(WARM_UP_FUNCTION, undefined), FunctionNotFound);
    assert.equal(await resolver.resolve('f', undefined), userTarget);
  });
});

describe('unobservedWarmUp', () => {
  it("passes on every function's invokes and throttles but the warm-up's", () => {
    const seen: string[] = [];
    const observer = unobservedWarmUp({ invoked: (name, result) => seen.push(`${name} ${result}`), throttled: (name, reason) => seen.push(`${name} throttled ${reason}`) });
    observer.invoked(WARM_UP_FUNCTION, 'success', true, 1, 2);
    observer.throttled(WARM_UP_FUNCTION, 'rate');
    observer.invoked('f', 'error', false, 1, undefined);
    observer.throttled('f', 'concurrency');
    assert.deepEqual(seen, ['f error', 'f throttled concurrency']);
  });
});

describe('localWarmUp', () => {
  it("keeps the warm-up's function on this front end and routes every other function as before", async () => {
    const forwarded: string[] = [];
    const routing = localWarmUp({
      ownerOf: () => 'http://other-front-end:9000', // another live front end owns every name
      forward: async (endpoint, request) => {
        forwarded.push(`${endpoint} ${request.functionName}`);
        return 'unreachable';
      },
    });
    assert.equal(routing.ownerOf(WARM_UP_FUNCTION), undefined);
    assert.equal(routing.ownerOf('f'), 'http://other-front-end:9000');
    const request: InvokeRequest = { entry: 'Invoke', requestId: 'r', functionName: 'f', qualifier: undefined, invocationType: 'RequestResponse', payload: Buffer.from('{}') };
    assert.equal(await routing.forward('http://other-front-end:9000', request, 3000), 'unreachable');
    assert.deepEqual(forwarded, ['http://other-front-end:9000 f']);
  });
});

describe('warmUpInvokePath', () => {
  it('runs the count through the door with a Node function of its own, then retires it and removes its log group and package', async () => {
    const h = harness({ invokes: 7 });
    const report = await warmUpInvokePath(h.deps);
    assert.equal(report?.invokes, 7);
    assert.equal(h.seen.length, 7);
    const config = h.seen[0]!.config;
    assert.equal(config.functionName, WARM_UP_FUNCTION);
    assert.equal(config.runtime, 'nodejs24.x');
    assert.equal(config.state, 'Active');
    assert.match(config.loggingConfig.LogGroup, /^\/flint\/warm-up\/[0-9a-f]{16}$/);
    assert.deepEqual(h.did, ['put', `retire ${WARM_UP_FUNCTION}`, `delete ${config.loggingConfig.LogGroup}`, 'delete code']);
    assert.equal(h.blobs.size, 0);
    await assert.rejects(h.resolver.resolve(WARM_UP_FUNCTION, undefined), FunctionNotFound, 'the function is gone after');
  });

  it('keeps a package that was stored before it (a user may have uploaded the same bytes)', async () => {
    const h = harness({ codeStored: true });
    await warmUpInvokePath(h.deps);
    assert.ok(!h.did.includes('delete code'));
  });

  it('makes the same package every time (one key, reused)', async () => {
    const a = harness({ invokes: 1 });
    const b = harness({ invokes: 1 });
    await warmUpInvokePath(a.deps);
    await warmUpInvokePath(b.deps);
    assert.equal(a.seen[0]!.config.codeSha256Hex, b.seen[0]!.config.codeSha256Hex);
    assert.notEqual(a.seen[0]!.config.loggingConfig.LogGroup, b.seen[0]!.config.loggingConfig.LogGroup, 'a log group of its own each time');
  });

  it('stops at its time limit whatever the count', async () => {
    const h = harness({ invokes: 1000, maxMs: 50, stepMs: 10 });
    const report = await warmUpInvokePath(h.deps);
    assert.equal(report?.invokes, 5);
  });

  it('ends at the first failed invoke without failing, and still cleans up', async () => {
    let calls = 0;
    const h = harness({
      invokes: 10,
      door: async () => {
        if (++calls === 3) throw new Error('a warm-up invoke was answered 500');
      },
    });
    assert.equal(await warmUpInvokePath(h.deps), undefined);
    assert.equal(calls, 3);
    assert.equal(h.did.filter((d) => d.startsWith('retire') || d.startsWith('delete')).length, 3);
  });

  it('runs nothing, and removes no package, when the code store cannot say whether it holds the package', async () => {
    const h = harness();
    let doors = 0;
    const deps: WarmUpDeps = { ...h.deps, code: { ...h.deps.code, has: () => Promise.reject(new Error('database unreachable')) }, door: async () => void doors++ };
    assert.equal(await warmUpInvokePath(deps), undefined);
    assert.equal(doors, 0);
    assert.ok(!h.did.includes('put') && !h.did.includes('delete code'));
  });

  it('runs nothing when its package cannot be stored', async () => {
    const h = harness();
    let doors = 0;
    const deps: WarmUpDeps = { ...h.deps, code: { ...h.deps.code, put: () => Promise.reject(new Error('disk full')) }, door: async () => void doors++ };
    assert.equal(await warmUpInvokePath(deps), undefined);
    assert.equal(doors, 0);
    assert.ok(!h.did.includes('delete code'), 'nothing of its own to remove');
  });
});
