/** Versions, aliases and concurrency settings survive a crash and restart of the server. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionConcurrencyCommand,
  GetProvisionedConcurrencyConfigCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { createFunction, createSettledFunction, settled, uniqueName } from './lambda-support.ts';

describe('versions, aliases and concurrency across a restart', () => {
  let flint: FlintProcess | undefined;
  after(async () => {
    await flint?.stop();
    if (flint) removeDataDir(flint.dataDir);
  });

  it('keeps versions, version numbers, aliases, reservations and provisioned configs after SIGKILL', async () => {
    flint = await startFlintProcess({ args: ['--account-concurrency', '300'] });
    let lambda = flint.client();
    const name = uniqueName('persist');
    await createSettledFunction(lambda, name);
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 7 }));
    await settled(lambda, name);
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const alias = await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { 1: 0.5 } } }));
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 40 }));
    await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: 'live', ProvisionedConcurrentExecutions: 2 }));
    const other = uniqueName('persist');
    await createFunction(lambda, other, { Publish: true });
    await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: other, Qualifier: '1', ProvisionedConcurrentExecutions: 10 }));

    await flint.kill();
    flint = await startFlintProcess({ dataDir: flint.dataDir, args: ['--account-concurrency', '300'] });
    lambda = flint.client();

    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(versions.Versions?.map((v) => [v.Version, v.Timeout]), [['$LATEST', 7], ['1', 3], ['2', 7]]);
    const got = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
    assert.deepEqual([got.FunctionVersion, got.RoutingConfig, got.RevisionId], ['2', { AdditionalVersionWeights: { 1: 0.5 } }, alias.RevisionId]);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions, 40);
    const pc = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: 'live' }));
    assert.equal(pc.RequestedProvisionedConcurrentExecutions, 2);
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 300 - 40 - 10, 'reservations and provisioned totals are back in the counting service');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    await settled(lambda, name);
    assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version, '3');
  });
});
