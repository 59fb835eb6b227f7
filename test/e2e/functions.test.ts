/** Function lifecycle through the unmodified AWS SDK: create, read, list, update, delete, waiters, names and ARNs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  InvalidParameterValueException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { useFlint } from '../helpers/flint-process.ts';
import { ROLE, arnOf, createFunction, download, handlerZip, rejectsWith, settled, uniqueName } from './lambda-support.ts';

const LAMBDA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('function lifecycle through the AWS SDK', () => {
  const server = useFlint();

  it('creates a function answering 201 with every member Lambda returns, Pending first', async () => {
    const name = uniqueName('create');
    const zip = await handlerZip();
    const out = await createFunction(server.client, name, { Code: { ZipFile: zip }, Description: 'hello', Environment: { Variables: { GREETING: 'hi' } } });
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.match(String(out.$metadata.requestId), UUID);
    assert.equal(out.FunctionName, name);
    assert.equal(out.FunctionArn, arnOf(name));
    assert.equal(out.Runtime, 'nodejs22.x');
    assert.equal(out.Role, ROLE);
    assert.equal(out.Handler, 'index.handler');
    assert.equal(out.CodeSize, zip.length);
    assert.equal(out.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.equal(out.Description, 'hello');
    assert.equal(out.Timeout, 3);
    assert.equal(out.MemorySize, 128);
    assert.match(String(out.LastModified), LAMBDA_TIMESTAMP);
    assert.equal(out.Version, '$LATEST');
    assert.deepEqual(out.Environment, { Variables: { GREETING: 'hi' } });
    assert.deepEqual(out.TracingConfig, { Mode: 'PassThrough' });
    assert.match(String(out.RevisionId), UUID);
    assert.equal(out.State, 'Pending');
    assert.equal(out.StateReason, 'The function is being created.');
    assert.equal(out.StateReasonCode, 'Creating');
    assert.equal(out.LastUpdateStatus, undefined);
    assert.equal(out.PackageType, 'Zip');
    assert.deepEqual(out.Architectures, ['x86_64']);
    assert.deepEqual(out.EphemeralStorage, { Size: 512 });
    assert.deepEqual(out.LoggingConfig, { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` });
    assert.deepEqual(out.SnapStart, { ApplyOn: 'None', OptimizationStatus: 'Off' });
    assert.match(String(out.RuntimeVersionConfig?.RuntimeVersionArn), /^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
  });

  it('becomes Active for the SDK waiter, with a new RevisionId', async () => {
    const name = uniqueName('waiter');
    const created = await createFunction(server.client, name);
    await waitUntilFunctionActiveV2({ client: server.client, maxWaitTime: 20 }, { FunctionName: name });
    const got = await server.client.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(got.Configuration?.State, 'Active');
    assert.equal(got.Configuration?.LastUpdateStatus, 'Successful');
    assert.equal(got.Configuration?.StateReason, undefined);
    assert.notEqual(got.Configuration?.RevisionId, created.RevisionId);
  });

  it('omits Environment when the function has no variables', async () => {
    const out = await createFunction(server.client, uniqueName('noenv'));
    assert.equal(out.Environment, undefined);
  });

  it('answers GetFunction with Configuration, a downloadable Code.Location and Tags', async () => {
    const name = uniqueName('get');
    const zip = await handlerZip('return 42;');
    await createFunction(server.client, name, { Code: { ZipFile: zip }, Tags: { team: 'flint' } });
    const got = await server.client.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(got.Configuration?.FunctionName, name);
    assert.equal(got.Code?.RepositoryType, 'S3');
    assert.deepEqual(got.Tags, { team: 'flint' });
    assert.equal(got.Concurrency, undefined);
    const res = await download(String(got.Code?.Location));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, zip);
  });

  it('refuses a Code.Location whose signature was altered', async () => {
    const name = uniqueName('sig');
    await createFunction(server.client, name);
    const got = await server.client.send(new GetFunctionCommand({ FunctionName: name }));
    const url = new URL(String(got.Code?.Location));
    url.searchParams.set('signature', 'A'.repeat(43));
    const res = await download(url.toString());
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
  });

  it('accepts the name, the partial ARN, the full ARN and the $LATEST-qualified ARN', async () => {
    const name = uniqueName('spell');
    await createFunction(server.client, name);
    for (const spelling of [name, `000000000000:function:${name}`, arnOf(name), `${arnOf(name)}:$LATEST`]) {
      const got = await server.client.send(new GetFunctionConfigurationCommand({ FunctionName: spelling }));
      assert.equal(got.FunctionName, name, spelling);
    }
    const qualified = await server.client.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '$LATEST' }));
    assert.equal(qualified.FunctionArn, `${arnOf(name)}:$LATEST`);
  });

  it('answers 404 with the function ARN for a missing function or version', async () => {
    await rejectsWith(server.client.send(new GetFunctionCommand({ FunctionName: 'no-such-function' })), ResourceNotFoundException, 404, `Function not found: ${arnOf('no-such-function')}`);
    await rejectsWith(server.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'no-such-function' })), ResourceNotFoundException, 404);
    const name = uniqueName('ver');
    await createFunction(server.client, name);
    await rejectsWith(server.client.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '9' })), ResourceNotFoundException, 404, `Function not found: ${arnOf(name)}:9`);
  });

  it('refuses a qualifier that disagrees with the ARN', async () => {
    const name = uniqueName('mismatch');
    await createFunction(server.client, name);
    await rejectsWith(
      server.client.send(new GetFunctionCommand({ FunctionName: `${arnOf(name)}:$LATEST`, Qualifier: '1' })),
      InvalidParameterValueException,
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  });

  it('refuses a duplicate with 409 "Function already exist"', async () => {
    const name = uniqueName('dup');
    await createFunction(server.client, name);
    await rejectsWith(createFunction(server.client, name), ResourceConflictException, 409, `Function already exist: ${name}`);
  });

  it('updates the configuration: InProgress, then Successful for the waiter', async () => {
    const name = uniqueName('upd');
    await createFunction(server.client, name);
    await waitUntilFunctionActiveV2({ client: server.client, maxWaitTime: 20 }, { FunctionName: name });
    const layerZip = await handlerZip('return 1;');
    const layer = await server.client.send(new PublishLayerVersionCommand({ LayerName: uniqueName('shared'), Content: { ZipFile: layerZip } }));
    const out = await server.client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Handler: 'main.run',
        Runtime: 'python3.12',
        MemorySize: 1024,
        Timeout: 900,
        Description: 'updated',
        Environment: { Variables: { A1: 'x' } },
        EphemeralStorage: { Size: 10240 },
        Layers: [layer.LayerVersionArn!],
        Role: 'arn:aws:iam::000000000000:role/other',
        LoggingConfig: { LogFormat: 'JSON' },
        TracingConfig: { Mode: 'Active' },
      }),
    );
    assert.equal(out.State, 'Active');
    assert.equal(out.LastUpdateStatus, 'InProgress');
    assert.equal(out.LastUpdateStatusReasonCode, 'Creating');
    assert.equal(out.Handler, 'main.run');
    assert.equal(out.Runtime, 'python3.12');
    assert.equal(out.MemorySize, 1024);
    assert.equal(out.Timeout, 900);
    assert.equal(out.Description, 'updated');
    assert.deepEqual(out.Environment, { Variables: { A1: 'x' } });
    assert.deepEqual(out.EphemeralStorage, { Size: 10240 });
    assert.deepEqual(out.Layers, [{ Arn: layer.LayerVersionArn, CodeSize: layerZip.length }]);
    assert.equal(out.Role, 'arn:aws:iam::000000000000:role/other');
    assert.deepEqual(out.LoggingConfig, { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: `/aws/lambda/${name}` });
    assert.deepEqual(out.TracingConfig, { Mode: 'Active' });
    await waitUntilFunctionUpdatedV2({ client: server.client, maxWaitTime: 20 }, { FunctionName: name });
    const got = await server.client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(got.LastUpdateStatus, 'Successful');
    assert.equal(got.MemorySize, 1024);
  });

  it('enforces the RevisionId precondition with Lambda text', async () => {
    const name = uniqueName('rev');
    await createFunction(server.client, name);
    await waitUntilFunctionActiveV2({ client: server.client, maxWaitTime: 20 }, { FunctionName: name });
    const { Configuration } = await server.client.send(new GetFunctionCommand({ FunctionName: name }));
    const text = 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';
    await rejectsWith(server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, RevisionId: 'stale', Timeout: 5 })), 'PreconditionFailedException', 412, text);
    await rejectsWith(server.client.send(new UpdateFunctionCodeCommand({ FunctionName: name, RevisionId: 'stale', ZipFile: await handlerZip() })), 'PreconditionFailedException', 412, text);
    const ok = await server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, RevisionId: Configuration?.RevisionId, Timeout: 5 }));
    assert.equal(ok.Timeout, 5);
    assert.notEqual(ok.RevisionId, Configuration?.RevisionId);
  });

  it('refuses writes and PublishVersion while the function is being created or updated, with Lambda\'s 409', async () => {
    const name = uniqueName('busy');
    await createFunction(server.client, name);
    const text = `The operation cannot be performed at this time. An update is in progress for resource: ${arnOf(name)}`;
    await rejectsWith(server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 5 })), ResourceConflictException, 409, text);
    await rejectsWith(server.client.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await handlerZip() })), ResourceConflictException, 409, text);
    await rejectsWith(server.client.send(new PublishVersionCommand({ FunctionName: name })), ResourceConflictException, 409, text);
    await settled(server.client, name);
    await server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 5 }));
    await rejectsWith(server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 6 })), ResourceConflictException, 409, text);
    await settled(server.client, name);
    assert.equal((await server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 6 }))).Timeout, 6);
  });

  it('updates code, and a DryRun changes nothing', async () => {
    const name = uniqueName('code');
    const first = await createFunction(server.client, name);
    await settled(server.client, name);
    const zip = await handlerZip('return "v2";');
    const sha = createHash('sha256').update(zip).digest('base64');
    const dry = await server.client.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip, DryRun: true }));
    assert.equal(dry.CodeSha256, sha);
    const unchanged = await server.client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(unchanged.CodeSha256, first.CodeSha256);
    const out = await server.client.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip, Architectures: ['arm64'] }));
    assert.equal(out.CodeSha256, sha);
    assert.equal(out.CodeSize, zip.length);
    assert.deepEqual(out.Architectures, ['arm64']);
    const got = await server.client.send(new GetFunctionCommand({ FunctionName: name }));
    assert.deepEqual((await download(String(got.Code?.Location))).body, zip);
  });

  it('refuses writes to versions other than $LATEST', async () => {
    const name = uniqueName('notlatest');
    await createFunction(server.client, name);
    await rejectsWith(
      server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: `${arnOf(name)}:3`, Timeout: 4 })),
      InvalidParameterValueException,
      400,
      /^Current operation does not support versions other than \$LATEST/,
    );
  });

  it('deletes with 204, then answers 404', async () => {
    const name = uniqueName('del');
    await createFunction(server.client, name);
    const out = await server.client.send(new DeleteFunctionCommand({ FunctionName: arnOf(name) }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    await rejectsWith(server.client.send(new GetFunctionCommand({ FunctionName: name })), ResourceNotFoundException, 404);
    await rejectsWith(server.client.send(new DeleteFunctionCommand({ FunctionName: name })), ResourceNotFoundException, 404, `Function not found: ${arnOf(name)}`);
  });

  it('lists functions in pages with MaxItems and NextMarker, in a stable order', async () => {
    const prefix = uniqueName('page');
    const names = ['c', 'a', 'e', 'b', 'd'].map((s) => `${prefix}-${s}`);
    for (const n of names) await createFunction(server.client, n);
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await server.client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      assert.ok((page.Functions ?? []).length <= 2);
      for (const f of page.Functions ?? []) {
        seen.push(String(f.FunctionName));
        assert.equal(f.State, undefined, 'ListFunctions omits State');
      }
      marker = page.NextMarker;
      pages += 1;
    } while (marker !== undefined);
    assert.ok(pages >= 3);
    assert.deepEqual([...seen].sort(), seen, 'stable name order');
    assert.deepEqual(seen.filter((n) => n.startsWith(prefix)), [...names].sort());
  });

  it("refuses list parameters outside Lambda's model constraints with a ValidationException, as Lambda words it", async () => {
    const name = uniqueName('listcheck');
    await createFunction(server.client, name);
    const lambda = server.client;
    const refused = (call: Promise<unknown>, text: string) => rejectsWith(call, 'ValidationException', 400, `1 validation error detected: ${text}`);
    await refused(lambda.send(new ListFunctionsCommand({ FunctionVersion: 'X' as 'ALL' })), "Value 'X' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]");
    await refused(lambda.send(new ListFunctionsCommand({ MasterRegion: 'nowhere' })), "Value 'nowhere' at 'masterRegion' failed to satisfy constraint: Member must satisfy regular expression pattern: ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}");
    await refused(lambda.send(new ListFunctionsCommand({ MaxItems: 0 })), "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await refused(lambda.send(new ListFunctionsCommand({ MaxItems: 10001 })), "Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000");
    await rejectsWith(
      lambda.send(new ListFunctionsCommand({ FunctionVersion: 'LATEST' as 'ALL', MaxItems: 0 })),
      'ValidationException',
      400,
      "2 validation errors detected: Value 'LATEST' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]; " +
        "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await refused(lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 0 })), "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await refused(lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 10001 })), "Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000");
    await refused(lambda.send(new ListAliasesCommand({ FunctionName: name, FunctionVersion: 'v1' })), "Value 'v1' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)");
    await refused(lambda.send(new ListAliasesCommand({ FunctionName: name, MaxItems: 10001 })), "Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000");
    await refused(lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name, MaxItems: 51 })), "Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50");
    await refused(lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name, MaxItems: 0 })), "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    const all = await lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL', MasterRegion: 'ALL', MaxItems: 10000 }));
    assert.equal(all.$metadata.httpStatusCode, 200);
  });
});
