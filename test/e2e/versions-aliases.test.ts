/** Published versions and aliases through the AWS SDK: publish, list, read, delete, alias CRUD, routing and their errors. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { useFlint } from '../helpers/flint-process.ts';
import { arnOf, createFunction, handlerZip, rejectsWith, settled as settledIn, uniqueName } from './lambda-support.ts';

describe('versions and aliases through the AWS SDK', () => {
  const server = useFlint();

  /** A function whose $LATEST has settled (Active / Successful). */
  async function settledFunction(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    await createFunction(server.client, name);
    await settled(name);
    return name;
  }
  const settled = (name: string, qualifier?: string) => settledIn(server.client, name, qualifier);
  const setVariable = async (name: string, value: string) => {
    await server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { VALUE: value } } }));
    await settled(name);
  };
  const publish = (name: string, description?: string) => server.client.send(new PublishVersionCommand({ FunctionName: name, Description: description }));

  it('publishes numbered, immutable versions with their own ARN, and answers the last one when nothing changed', async () => {
    const name = await settledFunction('pub');
    await setVariable(name, 'one');
    const v1 = await publish(name, 'first');
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, `${arnOf(name)}:1`);
    assert.equal(v1.Description, 'first');
    assert.equal(v1.State, 'Active');
    assert.equal(v1.LastUpdateStatus, 'Successful');
    assert.deepEqual(v1.Environment, { Variables: { VALUE: 'one' } });
    const again = await publish(name);
    assert.equal(again.$metadata.httpStatusCode, 201);
    assert.equal(again.Version, '1', 'no new version when $LATEST is unchanged');
    assert.equal(again.RevisionId, v1.RevisionId);
    await setVariable(name, 'two');
    const v2 = await publish(name);
    assert.equal(v2.Version, '2');
    assert.deepEqual((await server.client.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '1' }))).Environment, { Variables: { VALUE: 'one' } });
  });

  it('lists $LATEST first, then versions by number, in pages', async () => {
    const name = await settledFunction('list');
    for (const value of ['a', 'b', 'c']) {
      await setVariable(name, value);
      await publish(name);
    }
    const all = await server.client.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(all.Versions?.map((v) => v.Version), ['$LATEST', '1', '2', '3']);
    assert.deepEqual(all.Versions?.map((v) => v.FunctionArn), ['$LATEST', '1', '2', '3'].map((v) => `${arnOf(name)}:${v}`));
    assert.equal(all.NextMarker, undefined);
    const first = await server.client.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 3 }));
    assert.deepEqual(first.Versions?.map((v) => v.Version), ['$LATEST', '1', '2']);
    const rest = await server.client.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 3, Marker: first.NextMarker }));
    assert.deepEqual(rest.Versions?.map((v) => v.Version), ['3']);
    await rejectsWith(server.client.send(new ListVersionsByFunctionCommand({ FunctionName: 'no-such-fn' })), ResourceNotFoundException, 404, `Function not found: ${arnOf('no-such-fn')}`);
    const everything: string[] = [];
    let marker: string | undefined;
    do {
      const page = await server.client.send(new ListFunctionsCommand({ FunctionVersion: 'ALL', Marker: marker }));
      everything.push(...(page.Functions ?? []).map((f) => String(f.FunctionArn)));
      marker = page.NextMarker;
    } while (marker !== undefined);
    assert.deepEqual(everything.filter((arn) => arn.startsWith(`${arnOf(name)}:`)), ['$LATEST', '1', '2', '3'].map((v) => `${arnOf(name)}:${v}`));
  });

  it('checks the CodeSha256 and RevisionId preconditions of PublishVersion', async () => {
    const name = await settledFunction('pre');
    const latest = await server.client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    await rejectsWith(
      server.client.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: 'somenonexistentsha256' })),
      InvalidParameterValueException,
      400,
      `CodeSHA256 (somenonexistentsha256) is different from current CodeSHA256 in $LATEST (${latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
    await rejectsWith(
      server.client.send(new PublishVersionCommand({ FunctionName: name, RevisionId: 'stale' })),
      PreconditionFailedException,
      412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
    const ok = await server.client.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: latest.CodeSha256, RevisionId: latest.RevisionId }));
    assert.equal(ok.Version, '1');
  });

  it('publishes with Publish on CreateFunction and UpdateFunctionCode', async () => {
    const name = uniqueName('flag');
    const created = await createFunction(server.client, name, { Publish: true });
    assert.equal(created.Version, '1');
    assert.equal(created.FunctionArn, arnOf(name), 'Lambda answers version 1 under the unqualified ARN');
    await settled(name); // a write while the function is still being created is refused (409)
    const zip = await handlerZip('return "second";');
    const updated = await server.client.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip, Publish: true }));
    assert.equal(updated.Version, '2');
    assert.equal(updated.FunctionArn, `${arnOf(name)}:2`);
    assert.equal(updated.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.equal(updated.State, 'Pending');
    await settled(name, '2');
  });

  it('reads a version or an alias with GetFunction, and answers 404 for unknown qualifiers', async () => {
    const name = await settledFunction('read');
    await publish(name);
    await server.client.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    const byVersion = await server.client.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '1' }));
    assert.equal(byVersion.Configuration?.FunctionArn, `${arnOf(name)}:1`);
    assert.equal(byVersion.Configuration?.Version, '1');
    const byAlias = await server.client.send(new GetFunctionCommand({ FunctionName: `${arnOf(name)}:live` }));
    assert.equal(byAlias.Configuration?.FunctionArn, `${arnOf(name)}:live`);
    assert.equal(byAlias.Configuration?.Version, '1');
    assert.match(String(byAlias.Code?.Location), /\/flint\/code\//);
    for (const q of ['99', 'nosuchalias']) {
      await rejectsWith(server.client.send(new GetFunctionCommand({ FunctionName: name, Qualifier: q })), ResourceNotFoundException, 404, `Function not found: ${arnOf(name)}:${q}`);
    }
    await rejectsWith(
      server.client.send(new GetFunctionCommand({ FunctionName: `${arnOf(name)}:live`, Qualifier: '1' })),
      InvalidParameterValueException,
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  });

  it('deletes one version, refuses one an alias routes to and $LATEST, and never reuses a number', async () => {
    const name = await settledFunction('delv');
    for (const value of ['a', 'b']) {
      await setVariable(name, value);
      await publish(name);
    }
    await server.client.send(new CreateAliasCommand({ FunctionName: name, Name: 'prod', FunctionVersion: '1' }));
    await rejectsWith(
      server.client.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' })),
      ResourceConflictException,
      409,
      'Unable to delete version because the following aliases reference it: [prod]',
    );
    await rejectsWith(
      server.client.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '$LATEST' })),
      InvalidParameterValueException,
      400,
      '$LATEST version cannot be deleted without deleting the function.',
    );
    const deleted = await server.client.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '2' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await server.client.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '42' })); // absent: nothing to do, as on Lambda
    const versions = await server.client.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1']);
    await setVariable(name, 'c');
    assert.equal((await publish(name)).Version, '3');
  });

  it('creates, reads, updates, lists and deletes aliases with RevisionIds and weighted routing', async () => {
    const name = await settledFunction('alias');
    for (const value of ['a', 'b']) {
      await setVariable(name, value);
      await publish(name);
    }
    const created = await server.client.send(
      new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1', Description: 'd', RoutingConfig: { AdditionalVersionWeights: { 2: 0.2 } } }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.AliasArn, `${arnOf(name)}:live`);
    assert.deepEqual(created.RoutingConfig, { AdditionalVersionWeights: { 2: 0.2 } });
    const got = await server.client.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
    assert.equal(got.RevisionId, created.RevisionId);
    assert.equal(got.Description, 'd');
    await rejectsWith(
      server.client.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2', RevisionId: 'stale' })),
      PreconditionFailedException,
      412,
    );
    const updated = await server.client.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2', RoutingConfig: {}, RevisionId: got.RevisionId }));
    assert.equal(updated.FunctionVersion, '2');
    assert.equal(updated.RoutingConfig, undefined);
    assert.equal(updated.Description, 'd');
    assert.notEqual(updated.RevisionId, got.RevisionId);
    await server.client.send(new CreateAliasCommand({ FunctionName: name, Name: 'canary', FunctionVersion: '1' }));
    await server.client.send(new CreateAliasCommand({ FunctionName: name, Name: 'edge', FunctionVersion: '$LATEST' }));
    const all = await server.client.send(new ListAliasesCommand({ FunctionName: name }));
    assert.deepEqual(all.Aliases?.map((a) => a.Name), ['canary', 'edge', 'live']);
    const onV1 = await server.client.send(new ListAliasesCommand({ FunctionName: name, FunctionVersion: '1' }));
    assert.deepEqual(onV1.Aliases?.map((a) => a.Name), ['canary']);
    const page = await server.client.send(new ListAliasesCommand({ FunctionName: name, MaxItems: 2 }));
    const next = await server.client.send(new ListAliasesCommand({ FunctionName: name, MaxItems: 2, Marker: page.NextMarker }));
    assert.deepEqual([...(page.Aliases ?? []), ...(next.Aliases ?? [])].map((a) => a.Name), ['canary', 'edge', 'live']);
    const removed = await server.client.send(new DeleteAliasCommand({ FunctionName: name, Name: 'canary' }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    await server.client.send(new DeleteAliasCommand({ FunctionName: name, Name: 'canary' })); // absent: 204, as on Lambda
    assert.deepEqual((await server.client.send(new ListAliasesCommand({ FunctionName: name }))).Aliases?.map((a) => a.Name), ['edge', 'live']);
  });

  it('answers alias errors with Lambda codes and texts', async () => {
    const name = await settledFunction('aliaserr');
    for (const value of ['a', 'b']) {
      await setVariable(name, value);
      await publish(name);
    }
    const create = (over: Record<string, unknown>) =>
      server.client.send(new CreateAliasCommand({ FunctionName: name, Name: 'x', FunctionVersion: '1', ...over }));
    const weights = (w: Record<string, number>) => ({ RoutingConfig: { AdditionalVersionWeights: w } });
    await rejectsWith(create(weights({ 2: 0.1, 3: 0.1 })), InvalidParameterValueException, 400, 'Number of items in AdditionalVersionWeights cannot be greater than 1');
    await rejectsWith(create(weights({ 2: 2 })), 'ValidationException', 400, /^1 validation error detected: Value '\{2=2\.0\}' at 'routingConfig\.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy/);
    await rejectsWith(create(weights({ 1: 0.5 })), InvalidParameterValueException, 400, 'Invalid function version 1. Function version 1 is already included in routing configuration.');
    await rejectsWith(create({ FunctionVersion: '$LATEST', ...weights({ 2: 0.5 }) }), InvalidParameterValueException, 400, '$LATEST is not supported for an alias pointing to more than 1 version');
    await rejectsWith(create(weights({ 10: 0.5 })), ResourceNotFoundException, 404, `Function not found: ${arnOf(name)}:10`);
    await rejectsWith(create({ FunctionVersion: '10' }), ResourceNotFoundException, 404, `Function not found: ${arnOf(name)}:10`);
    await rejectsWith(create({ Name: '123' }), 'ValidationException', 400, /at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await create({ Name: 'taken' });
    await rejectsWith(create({ Name: 'taken' }), ResourceConflictException, 409, `Alias already exists: ${arnOf(name)}:taken`);
    await rejectsWith(server.client.send(new GetAliasCommand({ FunctionName: name, Name: 'ghost' })), ResourceNotFoundException, 404, `Cannot find alias arn: ${arnOf(name)}:ghost`);
    await rejectsWith(
      server.client.send(new UpdateAliasCommand({ FunctionName: name, Name: 'ghost', FunctionVersion: '1' })),
      ResourceNotFoundException,
      404,
      `Alias not found: ${arnOf(name)}:ghost`,
    );
    await rejectsWith(
      server.client.send(new CreateAliasCommand({ FunctionName: 'no-such-fn', Name: 'x', FunctionVersion: '1' })),
      ResourceNotFoundException,
      404,
      `Function not found: ${arnOf('no-such-fn')}:1`,
    );
  });
});
