/** Input validation through the AWS SDK: Lambda's error codes, statuses and texts, and the wire edge cases. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  ListFunctionsCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startFlintProcess, removeDataDir, type FlintProcess } from '../helpers/flint-process.ts';
import { ROLE, arnOf, createFunction, handlerZip, rejectsWith, uniqueName } from './lambda-support.ts';

describe('validation errors through the AWS SDK', () => {
  let flint: FlintProcess;
  let lambda: LambdaClient;
  let zip: Buffer;
  const base = (over: Partial<CreateFunctionCommandInput>): CreateFunctionCommandInput => ({
    FunctionName: uniqueName('v'),
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Role: ROLE,
    Code: { ZipFile: zip },
    ...over,
  });
  const create = (over: Partial<CreateFunctionCommandInput>) => lambda.send(new CreateFunctionCommand(base(over)));

  before(async () => {
    flint = await startFlintProcess();
    lambda = flint.client();
    zip = await handlerZip();
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  it('refuses a function name outside the pattern with a ValidationException', async () => {
    await rejectsWith(create({ FunctionName: 'bad name!' }), 'ValidationException', 400, /^1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: \(arn:/);
    await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'bad name!' })), 'ValidationException', 400, /at 'functionName'/);
  });

  it('refuses a name over 64 characters', async () => {
    const long = 'n'.repeat(65);
    await rejectsWith(create({ FunctionName: long }), InvalidParameterValueException, 400, `1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
  });

  it('refuses an unsupported runtime with the enum set', async () => {
    await rejectsWith(create({ Runtime: 'java8' as never }), InvalidParameterValueException, 400, /^Value java8 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs18\.x, nodejs20\.x, nodejs22\.x, nodejs24\.x, python3\.9, .*provided\.al2023\] or be a valid ARN$/);
  });

  it('accepts every supported runtime', async () => {
    for (const runtime of ['nodejs18.x', 'nodejs20.x', 'nodejs24.x', 'python3.9', 'python3.13', 'provided.al2', 'provided.al2023']) {
      const out = await create({ Runtime: runtime as never });
      assert.equal(out.Runtime, runtime);
    }
  });

  const ranges: Array<[string, Partial<CreateFunctionCommandInput>, string]> = [
    ['memory below 128', { MemorySize: 64 }, "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"],
    ['memory above 10240', { MemorySize: 10241 }, "Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240"],
    ['timeout of 0', { Timeout: 0 }, "Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    ['timeout above 900', { Timeout: 901 }, "Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"],
    ['ephemeral storage below 512', { EphemeralStorage: { Size: 100 } }, "Value '100' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512"],
    ['ephemeral storage above 10240', { EphemeralStorage: { Size: 20000 } }, "Value '20000' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240"],
    ['a handler with whitespace', { Handler: 'index handler' }, "Value 'index handler' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+"],
    ['a malformed role', { Role: 'not-a-role' }, "Value 'not-a-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"],
  ];
  for (const [what, over, text] of ranges) {
    it(`refuses ${what} with a ValidationException`, async () => {
      await rejectsWith(create(over), 'ValidationException', 400, `1 validation error detected: ${text}`);
    });
  }

  it('reports several violations at once', async () => {
    await rejectsWith(create({ MemorySize: 1, Timeout: 0 }), 'ValidationException', 400, /^2 validation errors detected: .*'timeout'.*; .*'memorySize'/);
  });

  it('refuses reserved environment keys and variables over 4 KB', async () => {
    await rejectsWith(create({ Environment: { Variables: { AWS_REGION: 'x' } } }), InvalidParameterValueException, 400, /contains reserved keys that are currently not supported for modification\. Reserved keys used in this request: AWS_REGION$/);
    await rejectsWith(create({ Environment: { Variables: { BIG: 'x'.repeat(4100) } } }), InvalidParameterValueException, 400, /exceeded the 4KB limit\. String measured: \{"BIG":"x+"\}$/);
  });

  it('refuses S3 and image code sources clearly', async () => {
    await rejectsWith(create({ Code: { S3Bucket: 'bucket', S3Key: 'key.zip' } }), InvalidParameterValueException, 400, /S3Bucket \/ Code\.S3Key .* not supported by Flint yet/);
    await rejectsWith(create({ Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:latest' } }), InvalidParameterValueException, 400, /ImageUri .* not supported by Flint yet/);
  });

  it('validates UpdateFunctionConfiguration and leaves the function unchanged', async () => {
    const name = uniqueName('upd');
    const before = await createFunction(lambda, name);
    await rejectsWith(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 99999 })), 'ValidationException', 400, /at 'memorySize'/);
    await rejectsWith(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Runtime: 'go1.x' as never })), InvalidParameterValueException, 400, /at 'runtime'/);
    await rejectsWith(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'missing-fn', Timeout: 3 })), 'ResourceNotFoundException', 404, `Function not found: ${arnOf('missing-fn')}`);
    const after = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(after.Configuration?.MemorySize, before.MemorySize);
    assert.equal(after.Configuration?.Runtime, before.Runtime);
  });

  it('ignores JSON members it does not know (newer SDK members)', async () => {
    const name = uniqueName('unknown');
    const client = flint.client();
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown };
        if (typeof request.body === 'string') {
          request.body = JSON.stringify({ ...JSON.parse(request.body), SomeFutureMember: { Nested: [1, 2] }, CapacityProviderConfig: {} });
        }
        return next(args);
      },
      { step: 'build', name: 'addUnknownMembers' },
    );
    const out = await client.send(new CreateFunctionCommand(base({ FunctionName: name })));
    assert.equal(out.FunctionName, name);
  });

  it('answers a malformed JSON body with InvalidRequestContentException', async () => {
    const res = await fetch(`${flint.endpoint}/2015-03-31/functions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"FunctionName": ' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.Type, 'User');
    assert.match(String(body.message), /^Could not parse request body into json/);
  });

  it('answers a wrongly typed member with InvalidRequestContentException', async () => {
    const res = await fetch(`${flint.endpoint}/2015-03-31/functions`, { method: 'POST', body: JSON.stringify({ FunctionName: 'x', Timeout: 'soon' }) });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
  });

  it('routes the collection paths with and without a trailing slash', async () => {
    for (const path of ['/2015-03-31/functions/', '/2015-03-31/functions', '/2016-08-19/account-settings/', '/2016-08-19/account-settings']) {
      const res = await fetch(`${flint.endpoint}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(String(res.headers.get('x-amzn-requestid')), /^[0-9a-f-]{36}$/);
    }
    const listed = await lambda.send(new ListFunctionsCommand({}));
    assert.ok(Array.isArray(listed.Functions));
  });

  it('accepts a percent-encoded full ARN in the path', async () => {
    const name = uniqueName('enc');
    await createFunction(lambda, name);
    const res = await fetch(`${flint.endpoint}/2015-03-31/functions/${encodeURIComponent(`${arnOf(name)}:$LATEST`)}/configuration`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { FunctionName: string }).FunctionName, name);
  });
});
