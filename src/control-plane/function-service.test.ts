import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { InMemoryCodeStore } from '../code-store/testing/in-memory-code-store.ts';
import { CountingService } from '../counting/index.ts';
import { FunctionNotFound } from '../model/index.ts';
import { ApiError, type Clock } from '../shared/index.ts';
import { makeZip } from '../../test/helpers/zip.ts';
import { createControlPlane, type ControlPlane } from './index.ts';
import type { CreateFunctionCommand } from './function-commands.ts';
import { listFunctions } from './function-listing.ts';
import { openSqliteStorage, type Storage } from '../storage/index.ts';

const account = { region: 'us-east-1', accountId: '123456789012' };
const ROLE = 'arn:aws:iam::123456789012:role/r';

function isApiError(code: string) {
  return (err: unknown) => err instanceof ApiError && err.code === code;
}

describe('FunctionService', async () => {
  let storage: Storage;
  let store: InMemoryCodeStore;
  let cp: ControlPlane;
  const clock: Clock = { now: () => Date.UTC(2024, 0, 1) };
  const zipA = makeZip([{ name: 'index.js', content: 'exports.handler = async () => "a";' }]);
  const zipB = makeZip([{ name: 'index.js', content: 'exports.handler = async () => "b";' }]);

  const build = (): ControlPlane =>
    createControlPlane({
      storage,
      codeStore: store,
      account,
      quotas: { concurrentExecutions: 1000, totalCodeSizeBytes: 1e9 },
      ledger: new CountingService({ accountLimit: 1000, minUnreserved: 100 }),
      clock,
      logger: pino({ level: 'silent' }),
      codeLocationKey: Buffer.alloc(32, 7),
      settleDelayMs: 60_000,
    });
  const create = async (name: string, zip: Buffer, over: Partial<CreateFunctionCommand> = {}) =>
    await cp.functions.createFunction({ functionName: name, role: ROLE, runtime: 'nodejs22.x', handler: 'index.handler', code: { zipFile: zip }, publish: false, ...over });
  /** Creates and settles (Active, Successful), as a caller's waiter would see before its next write. */
  const createActive = async (name: string, zip: Buffer) => {
    await create(name, zip);
    await cp.start();
    return (await cp.resolver.resolve(name, undefined)).config;
  };

  beforeEach(() => {
    storage = openSqliteStorage(':memory:');
    store = new InMemoryCodeStore();
    cp = build();
  });
  afterEach(async () => {
    cp.stop();
    await storage.close();
  });

  it('creates a Pending $LATEST that settles to Active with a new RevisionId', async () => {
    const created = await create('f', await zipA);
    assert.equal(created.state, 'Pending');
    assert.equal(created.lastModifiedMs, clock.now());
    await cp.start(); // settles what is transient, as after a restart
    const settled = (await cp.resolver.resolve('f', undefined)).config;
    assert.equal(settled.state, 'Active');
    assert.equal(settled.lastUpdateStatus, 'Successful');
    assert.notEqual(settled.revisionId, created.revisionId);
  });

  it('writes nothing when the package is refused', async () => {
    await assert.rejects(create('bad', Buffer.from('not a zip')), isApiError('InvalidParameterValueException'));
    assert.equal(await store.totalSize(), 0);
    await assert.rejects(cp.resolver.resolve('bad', undefined), FunctionNotFound);
  });

  it('refuses a duplicate name with 409 and keeps the first function', async () => {
    const first = await create('dup', await zipA);
    await assert.rejects(create('dup', await zipB), (err: unknown) => isApiError('ResourceConflictException')(err) && (err as Error).message === 'Function already exist: dup');
    assert.equal((await cp.resolver.resolve('dup', undefined)).config.codeSha256Hex, first.codeSha256Hex);
    assert.equal(await store.totalSize(), (await zipA).length);
  });

  it('releases the old package on a code update unless another function uses it', async () => {
    const a = await zipA;
    const f = await createActive('f', a);
    await createActive('g', a);
    await await cp.functions.updateFunctionCode({ functionName: 'f', code: { zipFile: await zipB }, publish: false, dryRun: false });
    assert.equal(await store.has(f.codeSha256Hex), true, 'still used by g');
    await await cp.functions.deleteFunction('g', undefined);
    assert.equal(await store.has(f.codeSha256Hex), false);
  });

  it('applies the RevisionId precondition', async () => {
    const f = await createActive('f', await zipA);
    await assert.rejects(cp.functions.updateFunctionConfiguration({ functionName: 'f', revisionId: 'stale', memorySizeMb: 256 }), isApiError('PreconditionFailedException'));
    const updated = await cp.functions.updateFunctionConfiguration({ functionName: 'f', revisionId: f.revisionId, memorySizeMb: 256 });
    assert.equal(updated.memorySizeMb, 256);
    assert.notEqual(updated.revisionId, f.revisionId);
  });

  it('answers a dry run without storing or changing anything', async () => {
    const f = await createActive('f', await zipA);
    const dry = await await cp.functions.updateFunctionCode({ functionName: 'f', code: { zipFile: await zipB }, publish: false, dryRun: true });
    assert.notEqual(dry.codeSha256Hex, f.codeSha256Hex);
    assert.equal(await store.has(dry.codeSha256Hex), false);
    assert.deepEqual((await cp.resolver.resolve('f', undefined)).config, f);
  });

  it('refuses writes to a function while it is being created or updated, with Lambda\'s 409', async () => {
    await create('f', await zipA);
    const inProgress = /^The operation cannot be performed at this time\. An update is in progress for resource: arn:aws:lambda:[a-z0-9-]+:\d{12}:function:f$/;
    const refused = (write: Promise<unknown>) => assert.rejects(write, (err: unknown) => isApiError('ResourceConflictException')(err) && inProgress.test((err as Error).message));
    await refused(cp.functions.updateFunctionConfiguration({ functionName: 'f', memorySizeMb: 256 }));
    await assert.rejects(cp.functions.updateFunctionCode({ functionName: 'f', code: { zipFile: await zipB }, publish: false, dryRun: false }), isApiError('ResourceConflictException'));
    await cp.start();
    await cp.functions.updateFunctionConfiguration({ functionName: 'f', memorySizeMb: 256 });
    await refused(cp.functions.updateFunctionConfiguration({ functionName: 'f', memorySizeMb: 512 }));
    await cp.start();
    assert.equal((await cp.functions.updateFunctionConfiguration({ functionName: 'f', memorySizeMb: 512 })).memorySizeMb, 512);
  });

  it('pages in name order and survives deletions between pages', async () => {
    for (const n of ['c', 'a', 'e', 'b', 'd']) await create(n, await zipA);
    const first = await listFunctions(storage.functions, { maxItems: 2 });
    assert.deepEqual(first.configs.map((c) => c.functionName), ['a', 'b']);
    await await cp.functions.deleteFunction('c', undefined);
    const second = await listFunctions(storage.functions, { maxItems: 2, marker: first.nextMarker });
    assert.deepEqual(second.configs.map((c) => c.functionName), ['d', 'e']);
    assert.equal(second.nextMarker, undefined);
  });

  it('resolves names, partial ARNs and full ARNs to the same version for invokes', async () => {
    await create('f', await zipA);
    for (const spelling of ['f', '123456789012:function:f', 'arn:aws:lambda:us-east-1:123456789012:function:f', 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST']) {
      assert.equal((await cp.resolver.resolve(spelling, undefined)).config.functionName, 'f', spelling);
    }
    assert.equal((await cp.resolver.resolve('f', '$LATEST')).invokedFunctionArn, 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST');
    await assert.rejects(cp.resolver.resolve('f', '7'), (err: unknown) => err instanceof FunctionNotFound && /function:f:7$/.test(err.resource));
  });
});
