/**
 * Reserved concurrency, provisioned concurrency configs and the account's
 * unreserved figure through the AWS SDK, on an account of 200 (100 must stay
 * unreserved). Tests run in order and leave the account as they found it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvalidParameterValueException,
  ListProvisionedConcurrencyConfigsCommand,
  ProvisionedConcurrencyConfigNotFoundException,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { arnOf, createFunction, createSettledFunction, rejectsWith, uniqueName } from './lambda-support.ts';

const BELOW_MINIMUM = "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].";

describe('reserved and provisioned concurrency through the AWS SDK', () => {
  let flint: FlintProcess;
  let lambda: LambdaClient;
  before(async () => {
    flint = await startFlintProcess({ args: ['--account-concurrency', '200'] });
    lambda = flint.client();
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  const unreserved = async () => (await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions;
  const reserve = (name: string, n: number) => lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: n }));
  const provision = (name: string, qualifier: string, n: number) =>
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier, ProvisionedConcurrentExecutions: n }));
  /** A function with version 1 published. */
  async function publishedFunction(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    await createSettledFunction(lambda, name);
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    return name;
  }

  it('puts, reads and deletes a reservation, reported by GetFunction and GetAccountSettings', async () => {
    const name = uniqueName('res');
    await createFunction(lambda, name);
    assert.equal(await unreserved(), 200);
    assert.equal((await reserve(name, 0)).ReservedConcurrentExecutions, 0);
    const put = await reserve(name, 60);
    assert.equal(put.$metadata.httpStatusCode, 200);
    assert.equal(put.ReservedConcurrentExecutions, 60);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions, 60);
    assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Concurrency, { ReservedConcurrentExecutions: 60 });
    assert.equal(await unreserved(), 140);
    const del = await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: arnOf(name) }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions, undefined);
    assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Concurrency, undefined);
    assert.equal(await unreserved(), 200);
  });

  it('keeps the minimum unreserved, counting a replaced reservation once, and gives it back when the function is deleted', async () => {
    const a = uniqueName('min');
    const b = uniqueName('min');
    await createFunction(lambda, a);
    await createFunction(lambda, b);
    await rejectsWith(reserve(a, 101), InvalidParameterValueException, 400, BELOW_MINIMUM);
    await reserve(a, 100);
    await reserve(a, 100); // replacing its own reservation is fine
    await rejectsWith(reserve(b, 1), InvalidParameterValueException, 400, BELOW_MINIMUM);
    assert.equal(await unreserved(), 100);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: a }));
    assert.equal(await unreserved(), 200);
    await reserve(b, 1);
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: b }));
  });

  it('refuses reservations on versions, of missing functions and below zero', async () => {
    const name = await publishedFunction('reserr');
    await rejectsWith(
      reserve(`${arnOf(name)}:1`, 1),
      InvalidParameterValueException,
      400,
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    );
    await rejectsWith(reserve('doesnotexist', 1), ResourceNotFoundException, 404, `Function not found: ${arnOf('doesnotexist')}:$LATEST`);
    await rejectsWith(reserve(name, -1), 'ValidationException', 400, /at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0/);
    await rejectsWith(lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'doesnotexist' })), ResourceNotFoundException, 404);
  });

  it('puts, reads, lists and deletes provisioned concurrency configs on versions and aliases', async () => {
    const name = await publishedFunction('pc');
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    const put = await provision(name, '1', 5);
    assert.equal(put.$metadata.httpStatusCode, 202);
    assert.equal(put.RequestedProvisionedConcurrentExecutions, 5);
    assert.equal(put.AllocatedProvisionedConcurrentExecutions, 0);
    assert.equal(put.Status, 'IN_PROGRESS');
    assert.match(String(put.LastModified), /^\d{4}-\d{2}-\d{2}T/);
    const got = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '1' }));
    assert.equal(got.RequestedProvisionedConcurrentExecutions, 5);
    assert.ok(got.Status === 'IN_PROGRESS' || got.Status === 'READY', String(got.Status));
    assert.equal(await unreserved(), 195);
    await rejectsWith(provision(name, 'live', 2), ResourceConflictException, 409, "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
    await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '1' }));
    await provision(name, 'live', 2);
    await rejectsWith(provision(name, '1', 1), ResourceConflictException, 409, 'Version is pointed by a Provisioned Concurrency alias');
    const list = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name }));
    assert.deepEqual(list.ProvisionedConcurrencyConfigs?.map((c) => [c.FunctionArn, c.RequestedProvisionedConcurrentExecutions]), [[`${arnOf(name)}:live`, 2]]);
    const del = await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: 'live' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: 'live' })); // nothing left: still 204
    assert.deepEqual((await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name }))).ProvisionedConcurrencyConfigs, []);
    assert.equal(await unreserved(), 200);
  });

  it('answers provisioned concurrency errors with Lambda codes and texts', async () => {
    const name = await publishedFunction('pcerr');
    await rejectsWith(provision(name, '$LATEST', 1), InvalidParameterValueException, 400, 'Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
    await rejectsWith(
      lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '$LATEST' })),
      InvalidParameterValueException,
      400,
      'The function resource provided must be an alias or a published version.',
    );
    await rejectsWith(provision(name, 'ghost', 1), ResourceNotFoundException, 404, `Cannot find alias arn: ${arnOf(name)}:ghost`);
    await rejectsWith(provision(name, '9', 1), ResourceNotFoundException, 404, `Function not found: ${arnOf(name)}:9`);
    await rejectsWith(
      lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '1' })),
      ProvisionedConcurrencyConfigNotFoundException,
      404,
      'No Provisioned Concurrency Config found for this function',
    );
    await rejectsWith(
      provision(name, '1', 101),
      InvalidParameterValueException,
      400,
      "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    await reserve(name, 3);
    await rejectsWith(provision(name, '1', 4), InvalidParameterValueException, 400, 'Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function');
    await provision(name, '1', 3);
    await rejectsWith(reserve(name, 2), InvalidParameterValueException, 400, " ReservedConcurrentExecutions  2 should not be lower than function's total provisioned concurrency [3].");
    assert.equal(await unreserved(), 197, 'provisioned concurrency within a reservation takes nothing more');
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    assert.equal(await unreserved(), 200);
  });
});
