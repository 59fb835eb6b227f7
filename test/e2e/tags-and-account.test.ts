/** TagResource / UntagResource / ListTags and GetAccountSettings through the AWS SDK. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  ListTagsCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startFlintProcess, removeDataDir, type FlintProcess } from '../helpers/flint-process.ts';
import { arnOf, createFunction, handlerZip, rejectsWith, uniqueName } from './lambda-support.ts';

describe('tags and account settings through the AWS SDK', () => {
  let flint: FlintProcess;
  let lambda: LambdaClient;
  before(async () => {
    flint = await startFlintProcess({ args: ['--account-concurrency', '500'] });
    lambda = flint.client();
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  it('tags, lists and untags a function by ARN', async () => {
    const name = uniqueName('tags');
    await createFunction(lambda, name, { Tags: { a: '1' } });
    const tagged = await lambda.send(new TagResourceCommand({ Resource: arnOf(name), Tags: { b: '2', c: '3' } }));
    assert.equal(tagged.$metadata.httpStatusCode, 204);
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: arnOf(name) }))).Tags, { a: '1', b: '2', c: '3' });
    const untagged = await lambda.send(new UntagResourceCommand({ Resource: arnOf(name), TagKeys: ['a', 'c'] }));
    assert.equal(untagged.$metadata.httpStatusCode, 204);
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: arnOf(name) }))).Tags, { b: '2' });
    assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Tags, { b: '2' });
  });

  it('answers an empty tag map for an untagged function', async () => {
    const name = uniqueName('notags');
    await createFunction(lambda, name);
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: arnOf(name) }))).Tags, {});
  });

  it('refuses tags on a qualified ARN, a missing function and a non-ARN', async () => {
    const name = uniqueName('tagerr');
    await createFunction(lambda, name);
    await rejectsWith(
      lambda.send(new TagResourceCommand({ Resource: `${arnOf(name)}:$LATEST`, Tags: { x: 'y' } })),
      InvalidParameterValueException,
      400,
      'Tags on function aliases and versions are not supported. Please specify a function ARN.',
    );
    await rejectsWith(lambda.send(new ListTagsCommand({ Resource: arnOf('missing-fn') })), ResourceNotFoundException, 404, `Function not found: ${arnOf('missing-fn')}`);
    await rejectsWith(lambda.send(new ListTagsCommand({ Resource: name })), 'ValidationException', 400, new RegExp(`^1 validation error detected: Value '${name}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:`));
    await rejectsWith(lambda.send(new TagResourceCommand({ Resource: arnOf(name), Tags: { 'aws:reserved': 'x' } })), InvalidParameterValueException, 400);
  });

  it('reports account limits and usage', async () => {
    const before = await lambda.send(new GetAccountSettingsCommand({}));
    assert.deepEqual(before.AccountLimit, {
      TotalCodeSize: 80 * 1024 * 1024 * 1024,
      CodeSizeUnzipped: 262144000,
      CodeSizeZipped: 52428800,
      ConcurrentExecutions: 500,
      UnreservedConcurrentExecutions: 500,
    });
    const zip = await handlerZip('return "account";');
    const name = uniqueName('acct');
    await createFunction(lambda, name, { Code: { ZipFile: zip } });
    const after = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(after.AccountUsage?.FunctionCount, (before.AccountUsage?.FunctionCount ?? 0) + 1);
    assert.equal(after.AccountUsage?.TotalCodeSize, (before.AccountUsage?.TotalCodeSize ?? 0) + zip.length);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    const deleted = await lambda.send(new GetAccountSettingsCommand({}));
    assert.deepEqual(deleted.AccountUsage, before.AccountUsage, 'deleting releases the package');
  });
});
