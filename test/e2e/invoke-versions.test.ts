/**
 * Invoking published versions and aliases in sandboxes through the AWS SDK:
 * X-Amz-Executed-Version, the invoked ARN the handler sees, and weighted alias
 * routing within statistical bounds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { deploy, invoke } from './invoke-support.ts';
import { arnOf, rejectsWith } from './lambda-support.ts';

const HANDLER = [
  {
    name: 'index.js',
    content: `exports.handler = async (event, context) => ({
      value: process.env.VALUE, version: context.functionVersion, arn: context.invokedFunctionArn,
    });`,
  },
];

describe('invoking versions and aliases', () => {
  let flint: FlintProcess;
  let client: LambdaClient;
  let name: string;
  before(async () => {
    flint = await startFlintProcess();
    client = flint.client();
    name = (await deploy(client, HANDLER, { Environment: { Variables: { VALUE: 'one' } } })).name;
    await client.send(new PublishVersionCommand({ FunctionName: name }));
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { VALUE: 'two' } } }));
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
    await client.send(new PublishVersionCommand({ FunctionName: name }));
    await client.send(new CreateAliasCommand({ FunctionName: name, Name: 'stable', FunctionVersion: '1' }));
    await client.send(new CreateAliasCommand({ FunctionName: name, Name: 'canary', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.3 } } }));
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  it('runs a published version with its own configuration and reports it as the executed version', async () => {
    const v1 = await invoke(client, name, {}, { qualifier: '1' });
    assert.equal(v1.functionError, undefined, v1.text);
    assert.equal(v1.executedVersion, '1');
    assert.deepEqual(v1.json, { value: 'one', version: '1', arn: `${arnOf(name)}:1` });
    const latest = await invoke(client, name);
    assert.equal(latest.executedVersion, '$LATEST');
    assert.equal(latest.json?.value, 'two');
  });

  it('runs the version an alias points to, under the alias ARN', async () => {
    const r = await invoke(client, `${arnOf(name)}:stable`);
    assert.equal(r.functionError, undefined, r.text);
    assert.equal(r.executedVersion, '1');
    assert.deepEqual(r.json, { value: 'one', version: '1', arn: `${arnOf(name)}:stable` });
    await rejectsWith(invoke(client, name, {}, { qualifier: 'nosuchalias' }), ResourceNotFoundException, 404, `Function not found: ${arnOf(name)}:nosuchalias`);
  });

  it('splits a weighted alias between its two versions within statistical bounds', async () => {
    const runs = 200;
    let extra = 0;
    for (let i = 0; i < runs; i++) {
      const r = await invoke(client, name, {}, { qualifier: 'canary' });
      assert.equal(r.functionError, undefined, r.text);
      assert.equal(r.json?.version, r.executedVersion);
      if (r.executedVersion === '2') extra++;
      else assert.equal(r.executedVersion, '1');
    }
    // 200 draws at p = 0.3: mean 60, standard deviation ~6.5; accept four deviations either side.
    assert.ok(extra >= 34 && extra <= 86, `version 2 ran ${extra} of ${runs} times`);
  });
});
