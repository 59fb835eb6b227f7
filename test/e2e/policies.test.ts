/**
 * Resource-based policies through the AWS SDK (and the AWS CLI v2): AddPermission, GetPolicy and
 * RemovePermission on functions, versions and aliases, with Lambda's validation, codes and texts,
 * RevisionIds shared with the version or alias, and policies going with what they belong to.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  InvalidParameterValueException,
  PolicyLengthExceededException,
  PreconditionFailedException,
  PublishVersionCommand,
  RemovePermissionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  type AddPermissionCommandInput,
} from '@aws-sdk/client-lambda';
import { requirePrerequisite } from '../helpers/prerequisite.ts';
import { removeDataDir, startFlintProcess, useFlint } from '../helpers/flint-process.ts';
import { ACCOUNT, arnOf, createSettledFunction, rejectsWith, uniqueName } from './lambda-support.ts';

const run = promisify(execFile);
const AWS_CLI = '/usr/bin/aws';

describe('resource-based policies through the AWS SDK', () => {
  const server = useFlint();

  const fn = async (prefix: string) => {
    const name = uniqueName(prefix);
    await createSettledFunction(server.client, name);
    return name;
  };
  const add = (input: Partial<AddPermissionCommandInput> & { FunctionName: string }) =>
    server.client.send(new AddPermissionCommand({ StatementId: 'sid', Action: 'lambda:InvokeFunction', Principal: '*', ...input }));
  const policyOf = async (name: string, qualifier?: string) => {
    const out = await server.client.send(new GetPolicyCommand({ FunctionName: name, Qualifier: qualifier }));
    return { policy: JSON.parse(out.Policy!) as { Version: string; Id: string; Statement: Array<Record<string, unknown>> }, revisionId: out.RevisionId };
  };
  const revisionOf = async (name: string, qualifier?: string) => (await server.client.send(new GetFunctionCommand({ FunctionName: name, Qualifier: qualifier }))).Configuration!.RevisionId;

  it('adds statements as Lambda writes them (201), and GetPolicy answers the document with the function\'s RevisionId', async () => {
    const name = await fn('pol');
    const before = await revisionOf(name);
    const s3 = await add({ FunctionName: name, StatementId: 's3', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::my-bucket', SourceAccount: '123456789012' });
    assert.equal(s3.$metadata.httpStatusCode, 201);
    assert.equal(
      s3.Statement,
      `{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"${arnOf(name)}","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::my-bucket"}}}`,
    );
    await add({ FunctionName: arnOf(name), StatementId: 'xaccount', Principal: '111122223333', Action: 'lambda:GetFunction' });
    await add({ FunctionName: name, StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE' });
    await add({ FunctionName: name, StatementId: 'FunctionURLAllowInvokeAction', InvokedViaFunctionUrl: true });
    await add({ FunctionName: name, StatementId: 'org', Action: 'lambda:*', PrincipalOrgID: 'o-a1b2c3d4e5' });
    const { policy, revisionId } = await policyOf(name);
    assert.equal(policy.Version, '2012-10-17');
    assert.equal(policy.Id, 'default');
    assert.deepEqual(policy.Statement.map((s) => s.Sid), ['s3', 'xaccount', 'FunctionURLAllowPublicAccess', 'FunctionURLAllowInvokeAction', 'org']);
    assert.deepEqual(policy.Statement[1], { Sid: 'xaccount', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'lambda:GetFunction', Resource: arnOf(name) });
    assert.deepEqual(policy.Statement[2], {
      Sid: 'FunctionURLAllowPublicAccess', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: arnOf(name),
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
    });
    assert.deepEqual(policy.Statement[3]!.Condition, { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } });
    assert.deepEqual(policy.Statement[4]!.Condition, { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    assert.notEqual(revisionId, before, 'every change of the policy gives the function a new RevisionId');
    assert.equal(revisionId, await revisionOf(name), 'the policy\'s RevisionId is the function\'s');
    const functionView = await server.client.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal('Policy' in functionView, false, 'GetFunction shows no policy, as on Lambda');
  });

  it('refuses a duplicate statement id (409), $LATEST as the qualifier, and a principal Lambda does not take', async () => {
    const name = await fn('dup');
    await add({ FunctionName: name, StatementId: 'one' });
    await rejectsWith(add({ FunctionName: name, StatementId: 'one', Principal: 'sns.amazonaws.com' }), ResourceConflictException, 409,
      'The statement id (one) provided already exists. Please provide a new statement id, or remove the existing statement.');
    await rejectsWith(add({ FunctionName: name, Qualifier: '$LATEST' }), InvalidParameterValueException, 400, 'We currently do not support adding policies for $LATEST.');
    await rejectsWith(add({ FunctionName: `${name}:$LATEST` }), InvalidParameterValueException, 400, 'We currently do not support adding policies for $LATEST.');
    await rejectsWith(add({ FunctionName: name, StatementId: 'two', Principal: 'somebody' }), InvalidParameterValueException, 400,
      'The provided principal was invalid. Please check the principal and try again.');
    assert.deepEqual((await policyOf(name)).policy.Statement.map((s) => s.Sid), ['one']);
  });

  it('refuses a statement that would take the policy over 20 KB (PolicyLengthExceededException)', async () => {
    const name = await fn('big');
    const long = (i: number) => add({ FunctionName: name, StatementId: `s${i}`, Principal: 'sns.amazonaws.com', SourceArn: `arn:aws:sns:us-east-1:${ACCOUNT}:${'t'.repeat(900)}${i}` });
    let i = 0;
    await assert.rejects(async () => {
      for (; i < 100; i++) await long(i);
    }, (err: unknown) => {
      assert.ok(err instanceof PolicyLengthExceededException, String(err));
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.match(err.message, /^The final policy size \(\d+\) is bigger than the limit \(20480\)\.$/);
      return true;
    });
    assert.ok(i > 10, `${i} statements of about 1 KB fit`);
    assert.equal((await policyOf(name)).policy.Statement.length, i, 'the refused statement was not added');
  });

  it('answers model violations as one ValidationException with Lambda\'s texts', async () => {
    const name = await fn('val');
    await rejectsWith(add({ FunctionName: name, StatementId: 'has space', Action: 's3:GetObject' }), 'ValidationException', 400,
      "2 validation errors detected: Value 'has space' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+); " +
        "Value 's3:GetObject' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])");
    await rejectsWith(add({ FunctionName: name, SourceAccount: '12345' }), 'ValidationException', 400,
      "1 validation error detected: Value '12345' at 'sourceAccount' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}");
    await rejectsWith(add({ FunctionName: name, FunctionUrlAuthType: 'PUBLIC' as 'NONE' }), 'ValidationException', 400,
      "1 validation error detected: Value 'PUBLIC' at 'functionUrlAuthType' failed to satisfy constraint: Member must satisfy enum value set: [NONE, AWS_IAM]");
    await rejectsWith(server.client.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'x'.repeat(101) })), 'ValidationException', 400,
      `1 validation error detected: Value '${'x'.repeat(101)}' at 'statementId' failed to satisfy constraint: Member must have length less than or equal to 100`);
    await rejectsWith(policyOf(name), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
  });

  it('checks RevisionId on AddPermission and RemovePermission (412), and removes statements until the policy is gone', async () => {
    const name = await fn('rev');
    const stale = await revisionOf(name);
    await add({ FunctionName: name, StatementId: 'a', RevisionId: stale });
    const REVISION_TEXT = 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';
    await rejectsWith(add({ FunctionName: name, StatementId: 'b', RevisionId: stale }), PreconditionFailedException, 412, REVISION_TEXT);
    const { revisionId } = await policyOf(name);
    await add({ FunctionName: name, StatementId: 'b', RevisionId: revisionId });
    await rejectsWith(server.client.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'a', RevisionId: revisionId })), PreconditionFailedException, 412, REVISION_TEXT);
    const removed = await server.client.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'a', RevisionId: (await policyOf(name)).revisionId }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    assert.deepEqual((await policyOf(name)).policy.Statement.map((s) => s.Sid), ['b']);
    await rejectsWith(server.client.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'a' })), ResourceNotFoundException, 404, 'Statement a is not found in resource policy.');
    await server.client.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'b' }));
    await rejectsWith(policyOf(name), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
    await rejectsWith(server.client.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'b' })), ResourceNotFoundException, 404, 'No policy is associated with the given resource.');
  });

  it('answers 404 for a function, version or alias that does not exist', async () => {
    const missing = uniqueName('none');
    await rejectsWith(add({ FunctionName: missing }), ResourceNotFoundException, 404, `Function not found: ${arnOf(missing)}`);
    await rejectsWith(policyOf(missing), ResourceNotFoundException, 404, `Function not found: ${arnOf(missing)}`);
    await rejectsWith(server.client.send(new RemovePermissionCommand({ FunctionName: missing, StatementId: 'a' })), ResourceNotFoundException, 404, `No policy found for: ${arnOf(missing)}`);
    const name = await fn('nover');
    await rejectsWith(add({ FunctionName: name, Qualifier: '9' }), ResourceNotFoundException, 404, `Function not found: ${arnOf(name)}:9`);
    await rejectsWith(add({ FunctionName: name, Qualifier: 'nope' }), ResourceNotFoundException, 404, `Cannot find alias arn: ${arnOf(name)}:nope`);
  });

  it('keeps one policy per version and alias, on their qualified ARNs and RevisionIds, and deletes them with the alias or function', async () => {
    const name = await fn('qual');
    await server.client.send(new PublishVersionCommand({ FunctionName: name }));
    await server.client.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    const aliasBefore = (await server.client.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }))).RevisionId;
    const onVersion = await add({ FunctionName: name, Qualifier: '1', StatementId: 'v' });
    assert.equal(JSON.parse(onVersion.Statement!).Resource, `${arnOf(name)}:1`);
    const onAlias = await add({ FunctionName: `${name}:live`, StatementId: 'same-sid' });
    assert.equal(JSON.parse(onAlias.Statement!).Resource, `${arnOf(name)}:live`);
    await add({ FunctionName: name, StatementId: 'same-sid' });
    assert.deepEqual((await policyOf(name, '1')).policy.Statement.map((s) => s.Sid), ['v']);
    assert.deepEqual((await policyOf(name)).policy.Statement.map((s) => s.Resource), [arnOf(name)]);
    const alias = await policyOf(name, 'live');
    assert.deepEqual(alias.policy.Statement.map((s) => s.Sid), ['same-sid']);
    const aliasNow = (await server.client.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }))).RevisionId;
    assert.notEqual(aliasNow, aliasBefore);
    assert.equal(alias.revisionId, aliasNow, 'an alias\'s policy has the alias\'s RevisionId');
    assert.equal((await policyOf(name, '1')).revisionId, await revisionOf(name, '1'));

    await server.client.send(new DeleteAliasCommand({ FunctionName: name, Name: 'live' }));
    await server.client.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    await rejectsWith(policyOf(name, 'live'), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
    await server.client.send(new DeleteAliasCommand({ FunctionName: name, Name: 'live' }));
    await server.client.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' }));
    await rejectsWith(policyOf(name, '1'), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
    await server.client.send(new DeleteFunctionCommand({ FunctionName: name }));
    await createSettledFunction(server.client, name);
    await rejectsWith(policyOf(name), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
  });

  describe('through the AWS CLI v2', () => {
    const skip = requirePrerequisite('the AWS CLI', existsSync(AWS_CLI), `${AWS_CLI} is absent: install the Debian package awscli (npm run setup does)`);
    const aws = async (...args: string[]) =>
      (await run(AWS_CLI, ['--endpoint-url', server.flint.endpoint, 'lambda', ...args], {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
      })).stdout;

    it('add-permission, get-policy and remove-permission', { skip }, async () => {
      const name = await fn('cli');
      const added = JSON.parse(await aws('add-permission', '--function-name', name, '--statement-id', 'sns', '--action', 'lambda:InvokeFunction',
        '--principal', 'sns.amazonaws.com', '--source-arn', `arn:aws:sns:us-east-1:${ACCOUNT}:topic`)) as { Statement: string };
      assert.deepEqual(JSON.parse(added.Statement), {
        Sid: 'sns', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: arnOf(name),
        Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:sns:us-east-1:${ACCOUNT}:topic` } },
      });
      const got = JSON.parse(await aws('get-policy', '--function-name', name)) as { Policy: string; RevisionId: string };
      assert.deepEqual(JSON.parse(got.Policy).Statement, [JSON.parse(added.Statement)]);
      assert.equal(got.RevisionId, await revisionOf(name));
      await assert.rejects(aws('add-permission', '--function-name', name, '--statement-id', 'sns', '--action', 'lambda:InvokeFunction', '--principal', '*'),
        /ResourceConflictException\) when calling the AddPermission operation: The statement id \(sns\) provided already exists/);
      await aws('remove-permission', '--function-name', name, '--statement-id', 'sns');
      await assert.rejects(aws('get-policy', '--function-name', name), /ResourceNotFoundException\) when calling the GetPolicy operation: The resource you requested does not exist\./);
    });
  });
});

describe('resource-based policies across a restart', () => {
  it('are kept in the data directory', { timeout: 60_000 }, async () => {
    const first = await startFlintProcess();
    const name = uniqueName('keep');
    try {
      await createSettledFunction(first.client(), name);
      await first.client().send(new AddPermissionCommand({ FunctionName: name, StatementId: 'kept', Action: 'lambda:InvokeFunction', Principal: '*' }));
    } finally {
      await first.stop();
    }
    const second = await startFlintProcess({ dataDir: first.dataDir });
    try {
      const out = await second.client().send(new GetPolicyCommand({ FunctionName: name }));
      assert.deepEqual((JSON.parse(out.Policy!) as { Statement: Array<{ Sid: string }> }).Statement.map((s) => s.Sid), ['kept']);
    } finally {
      await second.stop();
      removeDataDir(first.dataDir);
    }
  });
});
