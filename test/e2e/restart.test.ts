/** Everything the control plane accepted survives a restart (clean stop and crash) on the same data directory. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionCommand, ListFunctionsCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startFlintProcess, removeDataDir, type FlintProcess } from '../helpers/flint-process.ts';
import { createFunction, download, handlerZip } from './lambda-support.ts';

describe('restart', () => {
  const running: FlintProcess[] = [];
  let dataDir: string | undefined;
  after(async () => {
    for (const p of running) await p.stop();
    if (dataDir) removeDataDir(dataDir);
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
});
