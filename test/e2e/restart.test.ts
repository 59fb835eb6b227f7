/** Everything the control plane accepted survives a restart (clean stop and crash) on the same data directory. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionCommand, ListFunctionsCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startFlintProcess, removeDataDir, type FlintProcess } from '../helpers/flint-process.ts';
import { createFunction, download, handlerZip } from './lambda-support.ts';
import { deploy, invoke } from './invoke-support.ts';
import { sandboxInstanceName } from '../../src/worker-host/sandbox/instance-claim.ts';
import { SANDBOX_CLAIMS_LOCK, withMachineLock } from '../../src/worker-host/sandbox/machine-lock.ts';
import { instanceResources, NOTHING } from '../sandbox/instance-resources.ts';
import { SKIP_WITHOUT_SANDBOXES } from '../sandbox/sandbox-fixture.ts';

describe('restart', () => {
  const running: FlintProcess[] = [];
  let dataDir: string | undefined;
  const otherDirs: string[] = [];
  after(async () => {
    for (const p of running) await p.stop();
    if (dataDir) removeDataDir(dataDir);
    otherDirs.forEach(removeDataDir);
  });

  it('keeps functions, configuration, tags and identical code across a stop and a crash', async () => {
    const first = await startFlintProcess();
    running.push(first);
    dataDir = first.dataDir;
    const lambda = first.client();
    const zip = await handlerZip('return "persisted";');
    await createFunction(lambda, 'keeper', { Code: { ZipFile: zip }, Tags: { keep: 'yes' }, Environment: { Variables: { MODE: 'prod' } } });
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: 'keeper' });
    const before = await lambda.send(new GetFunctionCommand({ FunctionName: 'keeper' }));
    await first.stop();

    const second = await startFlintProcess({ dataDir });
    running.push(second);
    const again = await second.client().send(new GetFunctionCommand({ FunctionName: 'keeper' }));
    assert.deepEqual(again.Configuration, before.Configuration);
    assert.deepEqual(again.Tags, { keep: 'yes' });
    const fetched = await download(String(again.Code?.Location));
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body, zip);

    // A write still InProgress when the process dies is settled on the next start.
    await second.client().send(new UpdateFunctionConfigurationCommand({ FunctionName: 'keeper', MemorySize: 512 }));
    await second.kill();
    const third = await startFlintProcess({ dataDir });
    running.push(third);
    const afterCrash = await third.client().send(new GetFunctionCommand({ FunctionName: 'keeper' }));
    assert.equal(afterCrash.Configuration?.MemorySize, 512);
    assert.equal(afterCrash.Configuration?.LastUpdateStatus, 'Successful');
    const listed = await third.client().send(new ListFunctionsCommand({}));
    assert.deepEqual(listed.Functions?.map((f) => f.FunctionName), ['keeper']);
  });

  it('a Flint killed with a sandbox alive leaves nothing on the machine once another Flint (another data directory) has started, and that one invokes', { skip: SKIP_WITHOUT_SANDBOXES }, async () => {
    const killed = await startFlintProcess();
    const hello = [{ name: 'index.js', content: 'exports.handler = async () => "hello";' }];
    const warm = await deploy(killed.client(), hello);
    assert.equal((await invoke(killed.client(), warm.name)).json, 'hello');
    const name = sandboxInstanceName(killed.dataDir);
    // under the claims lock: a Flint starting elsewhere meanwhile would reap the dead one before it is looked at
    const left = await withMachineLock(SANDBOX_CLAIMS_LOCK, async () => {
      await killed.kill();
      return instanceResources(name);
    });
    removeDataDir(killed.dataDir);
    assert.ok(left.cgroups.length > 4 && left.netns.length > 0 && left.iptables.length > 0 && left.claims.length === 1, `the killed Flint left its sandbox's resources: ${JSON.stringify(left)}`);

    const next = await startFlintProcess();
    running.push(next);
    otherDirs.push(next.dataDir);
    assert.deepEqual(instanceResources(name), NOTHING);
    const { name: fn } = await deploy(next.client(), hello);
    assert.equal((await invoke(next.client(), fn)).json, 'hello');
  });
});
