/** The FunctionUrlConfig operations through @aws-sdk/client-lambda: results, paging, and every error with the SDK's classes. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, useFlint, type FlintProcess } from '../helpers/flint-process.ts';
import { deploy } from './invoke-support.ts';
import { arnOf, createSettledFunction, rejectsWith, uniqueName } from './lambda-support.ts';

const URL_RE = /^http:\/\/([a-z0-9]{32})\.lambda-url\.us-east-1\.localhost:\d+\/$/;
const TIME_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const QUALIFIER_PATTERN = '((?!^\\d+$)^[0-9a-zA-Z-_]+$)';

describe('function URL configs (API)', () => {
  const server = useFlint();

  it('creates, reads, updates and deletes the URL of $LATEST', async () => {
    const name = uniqueName('url');
    await createSettledFunction(server.client, name);
    const created = await server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.FunctionUrl ?? '', URL_RE);
    assert.equal(created.FunctionArn, arnOf(name));
    assert.equal(created.AuthType, 'NONE');
    assert.equal(created.InvokeMode, 'BUFFERED');
    assert.match(created.CreationTime ?? '', TIME_RE);
    assert.equal(created.Cors, undefined);

    const got = await server.client.send(new GetFunctionUrlConfigCommand({ FunctionName: arnOf(name) }));
    assert.equal(got.FunctionUrl, created.FunctionUrl);
    assert.equal(got.CreationTime, created.CreationTime);
    assert.match(got.LastModifiedTime ?? '', TIME_RE);

    await rejectsWith(
      server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'AWS_IAM' })), ResourceConflictException, 409,
      `Failed to create function url config for [functionArn = ${arnOf(name)}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    );

    const cors = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-out'], AllowCredentials: true, MaxAge: 600 };
    const updated = await server.client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'AWS_IAM', Cors: cors, InvokeMode: 'RESPONSE_STREAM' }));
    assert.equal(updated.FunctionUrl, created.FunctionUrl, 'the URL stays');
    assert.equal(updated.AuthType, 'AWS_IAM');
    assert.deepEqual(updated.Cors, cors);
    assert.equal(updated.InvokeMode, 'RESPONSE_STREAM');
    assert.equal(updated.CreationTime, created.CreationTime);
    const partial = await server.client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
    assert.deepEqual(partial.Cors, cors, 'members left out are kept');
    assert.equal(partial.InvokeMode, 'RESPONSE_STREAM');

    const deleted = await server.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejectsWith(server.client.send(new GetFunctionUrlConfigCommand({ FunctionName: name })), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
    await rejectsWith(server.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name })), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
    await rejectsWith(server.client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' })), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
    const again = await server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
    assert.notEqual(again.FunctionUrl, created.FunctionUrl, 'a new config has a new URL');
  });

  it('gives aliases their own URLs, lists them page by page, and drops an alias URL with its alias', async () => {
    const name = uniqueName('url');
    await createSettledFunction(server.client, name);
    await server.client.send(new PublishVersionCommand({ FunctionName: name }));
    for (const alias of ['beta', 'live']) await server.client.send(new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: '1' }));
    await server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
    const live = await server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'AWS_IAM' }));
    assert.equal(live.FunctionArn, `${arnOf(name)}:live`);
    const beta = await server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: `${name}:beta`, AuthType: 'NONE' }));
    assert.equal(beta.FunctionArn, `${arnOf(name)}:beta`);
    const viaArn = await server.client.send(new GetFunctionUrlConfigCommand({ FunctionName: `${arnOf(name)}:live` }));
    assert.equal(viaArn.FunctionUrl, live.FunctionUrl);

    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await server.client.send(new ListFunctionUrlConfigsCommand({ FunctionName: name, MaxItems: 2, Marker: marker }));
      seen.push(...(page.FunctionUrlConfigs ?? []).map((c) => c.FunctionArn!));
      for (const c of page.FunctionUrlConfigs ?? []) {
        assert.match(c.LastModifiedTime ?? '', TIME_RE);
        assert.match(c.FunctionUrl ?? '', URL_RE);
      }
      marker = page.NextMarker;
      pages++;
    } while (marker !== undefined);
    assert.equal(pages, 2);
    assert.deepEqual(seen, [arnOf(name), `${arnOf(name)}:beta`, `${arnOf(name)}:live`]);

    await server.client.send(new DeleteAliasCommand({ FunctionName: name, Name: 'live' }));
    const after = await server.client.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }));
    assert.deepEqual(after.FunctionUrlConfigs?.map((c) => c.FunctionArn), [arnOf(name), `${arnOf(name)}:beta`]);
    await server.client.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    await rejectsWith(server.client.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live' })), ResourceNotFoundException, 404);

    await server.client.send(new DeleteFunctionCommand({ FunctionName: name }));
    await createSettledFunction(server.client, name);
    const fresh = await server.client.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }));
    assert.deepEqual(fresh.FunctionUrlConfigs, [], 'a deleted function takes its URLs with it');
  });

  it("answers Lambda's errors", async () => {
    const name = uniqueName('url');
    await createSettledFunction(server.client, name);
    await server.client.send(new PublishVersionCommand({ FunctionName: name }));
    const qualifierError = (q: string) => `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`;
    await rejectsWith(server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: '1', AuthType: 'NONE' })), 'ValidationException', 400, qualifierError('1'));
    await rejectsWith(server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: '$LATEST', AuthType: 'NONE' })), 'ValidationException', 400, qualifierError('$LATEST'));
    await rejectsWith(server.client.send(new GetFunctionUrlConfigCommand({ FunctionName: `${name}:1` })), 'ValidationException', 400, qualifierError('1'));
    await rejectsWith(server.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name, Qualifier: '$LATEST' })), 'ValidationException', 400, qualifierError('$LATEST'));
    await rejectsWith(
      server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'OPEN' as never })), 'ValidationException', 400,
      "1 validation error detected: Value 'OPEN' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: [AWS_IAM, NONE]",
    );
    await rejectsWith(
      server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE', InvokeMode: 'STREAM' as never, Cors: { MaxAge: 86_401 } })), 'ValidationException', 400,
      "2 validation errors detected: Value 'STREAM' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]; " +
        "Value '86401' at 'cors.maxAge' failed to satisfy constraint: Member must have value less than or equal to 86400",
    );
    await rejectsWith(
      server.client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name, Cors: { AllowMethods: ['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'HEAD', '*'] } })), 'ValidationException', 400,
      /^1 validation error detected: .* at 'cors.allowMethods' failed to satisfy constraint: Member must have length less than or equal to 6$/,
    );
    await rejectsWith(
      server.client.send(new ListFunctionUrlConfigsCommand({ FunctionName: name, MaxItems: 51 })), 'ValidationException', 400,
      "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    const missing = uniqueName('missing');
    await rejectsWith(server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: missing, AuthType: 'NONE' })), ResourceNotFoundException, 404, 'Function does not exist');
    await rejectsWith(server.client.send(new GetFunctionUrlConfigCommand({ FunctionName: missing })), ResourceNotFoundException, 404, 'Function does not exist');
    await rejectsWith(server.client.send(new ListFunctionUrlConfigsCommand({ FunctionName: missing })), ResourceNotFoundException, 404, 'Function does not exist');
    await rejectsWith(server.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: missing })), ResourceNotFoundException, 404, 'Function does not exist');
    await rejectsWith(server.client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: missing, AuthType: 'NONE' })), ResourceNotFoundException, 404, 'Function does not exist');
    await rejectsWith(server.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'nope', AuthType: 'NONE' })), ResourceNotFoundException, 404, 'Function does not exist');
    await rejectsWith(server.client.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'nope' })), ResourceNotFoundException, 404, 'Function does not exist');
  });
});

describe('function URL configs across a restart', () => {
  const running: FlintProcess[] = [];
  after(async () => {
    for (const p of running) await p.stop();
    if (running[0]) removeDataDir(running[0].dataDir);
  });

  it('keeps each config, its url-id and its settings, and serves it again', async () => {
    const first = await startFlintProcess();
    running.push(first);
    const name = uniqueName('url');
    await deploy(first.client(), [{ name: 'index.js', content: 'exports.handler = async () => ({ statusCode: 200, body: "still here" });' }], { FunctionName: name });
    const created = await first.client().send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE', Cors: { AllowOrigins: ['*'] } }));
    // the grants that open a NONE URL (docs/policies.md): they are kept across the restart too
    await first.client().send(new AddPermissionCommand({ FunctionName: name, StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    await first.client().send(new AddPermissionCommand({ FunctionName: name, StatementId: 'invoke', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
    await first.stop();

    const second = await startFlintProcess({ dataDir: first.dataDir });
    running.push(second);
    const got = await second.client().send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
    const id = (u: string | undefined) => new URL(u!).hostname.split('.')[0];
    assert.equal(id(got.FunctionUrl), id(created.FunctionUrl));
    assert.equal(got.CreationTime, created.CreationTime);
    assert.deepEqual(got.Cors, { AllowOrigins: ['*'] });
    const r = await fetch(`${second.endpoint}/lambda-url/${id(got.FunctionUrl)}/`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'still here');
  });
});
