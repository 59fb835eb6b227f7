/**
 * Provisioned concurrency in the data plane, through the AWS SDK: sandboxes
 * initialised ahead of time (IN_PROGRESS -> READY), serving the first invokes
 * with no cold start, kept past keep-alive, resized and torn down with their
 * config, and FAILED when the function's init fails. Keep-alive is 500 ms here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { concurrently, deployQuick, invokeIdentity, sandboxRows, until } from './data-plane-support.ts';

describe('provisioned concurrency in the data plane', () => {
  let flint: FlintProcess;
  let client: LambdaClient;
  before(async () => {
    flint = await startFlintProcess({ args: ['--sandbox-idle-timeout-ms', '500'] });
    client = flint.client();
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  const put = (name: string, n: number) => client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '1', ProvisionedConcurrentExecutions: n }));
  const get = (name: string) => client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '1' }));
  const version1 = async (name: string) => (await sandboxRows(flint.endpoint, name)).find((r) => r.version === '1');
  async function published(source?: string): Promise<string> {
    const name = await deployQuick(client, source);
    await client.send(new PublishVersionCommand({ FunctionName: name }));
    return name;
  }

  it('initialises the sandboxes ahead of time and serves the first invokes from them, without a cold start', async () => {
    const name = await published();
    assert.equal((await put(name, 2)).Status, 'IN_PROGRESS');
    await until(async () => (await get(name)).Status === 'READY');
    const ready = await get(name);
    assert.equal(ready.AvailableProvisionedConcurrentExecutions, 2);
    assert.equal(ready.AllocatedProvisionedConcurrentExecutions, 2);

    const outcomes = await concurrently(client, name, 3, 300, '1');
    const provisioned = outcomes.filter((o) => o.identity!.initType === 'provisioned-concurrency');
    const onDemand = outcomes.filter((o) => o.identity!.initType === 'on-demand');
    assert.equal(provisioned.length, 2, 'the first two invokes run on provisioned sandboxes');
    assert.ok(provisioned.every((o) => o.cold === false && o.identity!.count === 1), 'no Init Duration in their REPORT');
    assert.equal(new Set(provisioned.map((o) => o.identity!.sandboxId)).size, 2);
    assert.deepEqual(onDemand.map((o) => o.cold), [true], 'the third is an on-demand cold start');
  });

  it('keeps provisioned sandboxes past keep-alive while on-demand ones are reclaimed', async () => {
    const name = await published();
    await put(name, 1);
    await until(async () => (await get(name)).Status === 'READY');
    await concurrently(client, name, 2, 100, '1'); // one provisioned, one on-demand
    assert.equal((await version1(name))?.idle, 2);
    await until(async () => (await version1(name))?.idle === 1, 30_000);
    await new Promise((r) => setTimeout(r, 800));
    assert.deepEqual(await version1(name), { function: name, version: '1', host: 'local', idle: 1, busy: 0, provisioned: 1 });
  });

  it('resizes with the config and tears every sandbox down when it is deleted', async () => {
    const name = await published();
    await put(name, 3);
    await until(async () => (await get(name)).Status === 'READY');
    assert.equal((await version1(name))?.provisioned, 3);
    await put(name, 1);
    await until(async () => (await get(name)).Status === 'READY');
    await until(async () => (await version1(name))?.provisioned === 1);
    assert.equal((await version1(name))?.idle, 1, 'the surplus was destroyed');
    await client.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '1' }));
    await until(async () => (await version1(name)) === undefined);
  });

  it('reports FAILED with FUNCTION_ERROR_INIT_FAILURE when the init phase fails', async () => {
    const name = await published(`throw new Error('broken at load');`);
    await put(name, 1);
    await until(async () => (await get(name)).Status !== 'IN_PROGRESS');
    const failed = await get(name);
    assert.equal(failed.Status, 'FAILED');
    assert.equal(failed.StatusReason, 'FUNCTION_ERROR_INIT_FAILURE');
    assert.equal(await version1(name), undefined, 'no broken sandbox is kept');
  });
});

describe('provisioned sandboxes past their maximum lifetime', () => {
  let flint: FlintProcess;
  let client: LambdaClient;
  before(async () => {
    flint = await startFlintProcess({ args: ['--sandbox-idle-timeout-ms', '400', '--sandbox-max-lifetime-ms', '1500'] });
    client = flint.client();
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  it('are replaced by new provisioned sandboxes, and no invoke meanwhile pays a cold start', async () => {
    const name = await deployQuick(client);
    await client.send(new PublishVersionCommand({ FunctionName: name }));
    await client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
    await until(async () => (await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '1' }))).Status === 'READY');
    const first = await invokeIdentity(client, name, {}, '1');
    const seen = [first];
    await until(async () => {
      seen.push(await invokeIdentity(client, name, {}, '1'));
      return seen.at(-1)!.identity!.sandboxId !== first.identity!.sandboxId;
    }, 15_000, 200);
    const replacement = seen.at(-1)!;
    assert.equal(replacement.identity!.initType, 'provisioned-concurrency', 'the replacement was initialised as provisioned');
    assert.deepEqual(seen.filter((o) => o.cold), [], 'no invoke paid a cold start');
    await until(async () => (await sandboxRows(flint.endpoint, name)).find((r) => r.version === '1')?.idle === 1, 30_000);
  });
});
