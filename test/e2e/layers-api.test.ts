/**
 * Layers through the unmodified AWS SDK: publish, get (by name and by ARN), list, delete, the layer
 * version policy, a function's Layers (GetFunction shows Arn and CodeSize, published versions keep
 * theirs), and every refusal with Lambda's exception class and text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  AddLayerVersionPermissionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  InvalidParameterValueException,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PreconditionFailedException,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  RemoveLayerVersionPermissionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { useFlint } from '../helpers/flint-process.ts';
import { makeZip } from '../helpers/zip.ts';
import { ACCOUNT, REGION, blobFiles, createFunction, createSettledFunction, download, rejectsWith, settled, uniqueName } from './lambda-support.ts';
import { overlappingBomb, rawZip, zerosEntry } from './hostile-zip.ts';

const layerArnOf = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:${name}`;
const LAMBDA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

describe('layers through the AWS SDK', () => {
  const server = useFlint();

  async function publish(name: string, files: Record<string, string> = { 'nodejs/node_modules/x/index.js': 'module.exports = 1;' }, over: object = {}) {
    const zip = await makeZip(Object.entries(files).map(([n, content]) => ({ name: n, content })));
    const out = await server.client.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip }, ...over }));
    return { out, zip };
  }

  it('publishes numbered versions and answers them by name and by ARN', async () => {
    const name = uniqueName('lay');
    const { out, zip } = await publish(name, undefined, {
      Description: 'shared code',
      LicenseInfo: 'MIT',
      CompatibleRuntimes: ['nodejs22.x', 'python3.12'],
      CompatibleArchitectures: ['x86_64'],
    });
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.equal(out.LayerArn, layerArnOf(name));
    assert.equal(out.LayerVersionArn, `${layerArnOf(name)}:1`);
    assert.equal(out.Version, 1);
    assert.equal(out.Description, 'shared code');
    assert.equal(out.LicenseInfo, 'MIT');
    assert.deepEqual(out.CompatibleRuntimes, ['nodejs22.x', 'python3.12']);
    assert.deepEqual(out.CompatibleArchitectures, ['x86_64']);
    assert.match(out.CreatedDate!, LAMBDA_TIMESTAMP);
    assert.equal(out.Content?.CodeSize, zip.length);
    assert.equal(out.Content?.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.deepEqual((await download(out.Content!.Location!)).body, zip);

    const second = (await publish(name)).out;
    assert.equal(second.Version, 2);
    const got = await server.client.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    assert.equal(got.LicenseInfo, 'MIT');
    assert.equal(got.Content?.CodeSha256, out.Content?.CodeSha256);
    const byLayerArn = await server.client.send(new GetLayerVersionCommand({ LayerName: layerArnOf(name), VersionNumber: 2 }));
    assert.equal(byLayerArn.Version, 2);
    const byArn = await server.client.send(new GetLayerVersionByArnCommand({ Arn: `${layerArnOf(name)}:1` }));
    assert.equal(byArn.LayerVersionArn, `${layerArnOf(name)}:1`);
    assert.equal(byArn.Description, 'shared code');
  });

  it('lists layers with their newest matching version, and the versions of one layer newest first', async () => {
    const name = uniqueName('list');
    await publish(name, undefined, { CompatibleRuntimes: ['python3.12'] });
    await publish(name, undefined, { CompatibleRuntimes: ['nodejs22.x'], CompatibleArchitectures: ['arm64'] });
    const all = await server.client.send(new ListLayersCommand({}));
    const mine = all.Layers?.find((l) => l.LayerName === name);
    assert.equal(mine?.LayerArn, layerArnOf(name));
    assert.equal(mine?.LatestMatchingVersion?.Version, 2);
    const python = await server.client.send(new ListLayersCommand({ CompatibleRuntime: 'python3.12' }));
    assert.equal(python.Layers?.find((l) => l.LayerName === name)?.LatestMatchingVersion?.Version, 1);
    const versions = await server.client.send(new ListLayerVersionsCommand({ LayerName: name }));
    assert.deepEqual(versions.LayerVersions?.map((v) => v.Version), [2, 1]);
    const arm = await server.client.send(new ListLayerVersionsCommand({ LayerName: name, CompatibleArchitecture: 'arm64' }));
    assert.deepEqual(arm.LayerVersions?.map((v) => v.Version), [2]);
    const paged = await server.client.send(new ListLayerVersionsCommand({ LayerName: name, MaxItems: 1 }));
    assert.deepEqual(paged.LayerVersions?.map((v) => v.Version), [2]);
    const rest = await server.client.send(new ListLayerVersionsCommand({ LayerName: name, Marker: paged.NextMarker }));
    assert.deepEqual(rest.LayerVersions?.map((v) => v.Version), [1]);
    assert.equal(rest.NextMarker, undefined);
    assert.deepEqual((await server.client.send(new ListLayerVersionsCommand({ LayerName: uniqueName('none') }))).LayerVersions, []);
  });

  it('deletes a version: gone from listings, its number never reused, deleting again is a no-op', async () => {
    const name = uniqueName('del');
    await publish(name);
    const out = await server.client.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    await server.client.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    await rejectsWith(server.client.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 1 })), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
    assert.deepEqual((await server.client.send(new ListLayerVersionsCommand({ LayerName: name }))).LayerVersions, []);
    assert.equal((await server.client.send(new ListLayersCommand({}))).Layers?.some((l) => l.LayerName === name), false);
    assert.equal((await publish(name)).out.Version, 2);
  });

  it('answers Lambda\'s errors for missing versions and bad numbers', async () => {
    const name = uniqueName('err');
    await rejectsWith(server.client.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 9 })), ResourceNotFoundException, 404, 'The resource you requested does not exist.');
    await rejectsWith(server.client.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 0 })), InvalidParameterValueException, 400, 'Layer Version Cannot be less than 1');
    await rejectsWith(server.client.send(new GetLayerVersionByArnCommand({ Arn: `${layerArnOf(name)}:3` })), ResourceNotFoundException, 404);
    await rejectsWith(server.client.send(new GetLayerVersionByArnCommand({ Arn: 'arn:nope' })), 'ValidationException', 400, /Value 'arn:nope' at 'arn' failed to satisfy constraint/);
    await rejectsWith(server.client.send(new PublishLayerVersionCommand({ LayerName: 'bad name!', Content: { ZipFile: Buffer.from('x') } })), 'ValidationException', 400, /at 'layerName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await rejectsWith(
      server.client.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: await makeZip([{ name: 'a', content: 'a' }]) }, CompatibleRuntimes: ['cobol'] as never })),
      'ValidationException', 400, /at 'compatibleRuntimes' failed to satisfy constraint/,
    );
    await rejectsWith(server.client.send(new ListLayersCommand({ CompatibleArchitecture: 'sparc' as never })), 'ValidationException', 400, /at 'compatibleArchitecture'/);
  });

  it('refuses hostile layer zips with the same errors as function code, writing nothing', async () => {
    const handler = { name: 'index.js', data: Buffer.from('exports.handler = async () => 1;') };
    const before = blobFiles(server.flint.dataDir);
    const cases: Array<[Buffer, string | RegExp]> = [
      [Buffer.from('not a zip'), 'Could not unzip uploaded file. Please check your file, then try to upload again.'],
      [rawZip([handler, { name: '../../etc/cron.d/evil', data: Buffer.from('x') }]), /^The deployment package was refused: entry "\.\.\/\.\.\/etc\/cron\.d\/evil" points outside the package root/],
      [rawZip([handler, { name: 'leak', data: Buffer.from('../../../../etc/shadow'), mode: 0o120777 }]), /^The deployment package was refused: symlink "leak" .* points outside the package root/],
      [overlappingBomb(64, 8 * 1024 * 1024), /^The deployment package was refused: .*zip bomb/],
    ];
    const name = uniqueName('hostile');
    for (const [zip, message] of cases) {
      await rejectsWith(server.client.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip } })), InvalidParameterValueException, 400, message);
    }
    assert.deepEqual(blobFiles(server.flint.dataDir), before, 'no blob written');
    assert.deepEqual((await server.client.send(new ListLayerVersionsCommand({ LayerName: name }))).LayerVersions, []);
  });

  it('keeps a policy per layer version: add, get, conflicts, RevisionId, remove', async () => {
    const name = uniqueName('pol');
    await publish(name);
    await rejectsWith(server.client.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: 1 })), ResourceNotFoundException, 404, 'No policy is associated with the given resource.');
    const added = await server.client.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'xaccount', Action: 'lambda:GetLayerVersion', Principal: '210987654321' }));
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.deepEqual(JSON.parse(added.Statement!), {
      Sid: 'xaccount', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'lambda:GetLayerVersion', Resource: `${layerArnOf(name)}:1`,
    });
    const everyone = await server.client.send(new AddLayerVersionPermissionCommand({
      LayerName: name, VersionNumber: 1, StatementId: 'org', Action: 'lambda:GetLayerVersion', Principal: '*', OrganizationId: 'o-abcdefghij', RevisionId: added.RevisionId,
    }));
    assert.deepEqual(JSON.parse(everyone.Statement!).Condition, { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } });
    await rejectsWith(
      server.client.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'org', Action: 'lambda:GetLayerVersion', Principal: '*' })),
      ResourceConflictException, 409, 'The statement id (org) provided already exists. Please provide a new statement id, or remove the existing statement.',
    );
    await rejectsWith(
      server.client.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'late', Action: 'lambda:GetLayerVersion', Principal: '*', RevisionId: added.RevisionId })),
      PreconditionFailedException, 412,
    );
    await rejectsWith(
      server.client.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 's', Action: 'lambda:InvokeFunction', Principal: '*' })),
      'ValidationException', 400, /at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: lambda:GetLayerVersion/,
    );
    await rejectsWith(
      server.client.send(new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 7, StatementId: 's', Action: 'lambda:GetLayerVersion', Principal: '*' })),
      ResourceNotFoundException, 404,
    );
    const policy = await server.client.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: 1 }));
    assert.equal(policy.RevisionId, everyone.RevisionId);
    const doc = JSON.parse(policy.Policy!);
    assert.equal(doc.Version, '2012-10-17');
    assert.deepEqual(doc.Statement.map((s: { Sid: string }) => s.Sid), ['xaccount', 'org']);
    await rejectsWith(server.client.send(new RemoveLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'nope' })), ResourceNotFoundException, 404, 'Statement nope is not found in resource policy.');
    await server.client.send(new RemoveLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'xaccount' }));
    await server.client.send(new RemoveLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: 'org' }));
    await rejectsWith(server.client.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: 1 })), ResourceNotFoundException, 404, 'No policy is associated with the given resource.');
  });

  it('refuses missing layers, two versions of one layer and more than 5 layers with Lambda\'s texts', async () => {
    const name = uniqueName('refs');
    const a = (await publish(name)).out.LayerVersionArn!;
    const b = (await publish(name)).out.LayerVersionArn!;
    const missing = `${layerArnOf(name)}:9`;
    await rejectsWith(createFunction(server.client, uniqueName('fn'), { Layers: [missing] }), InvalidParameterValueException, 400, `Layer version ${missing} does not exist.`);
    await rejectsWith(createFunction(server.client, uniqueName('fn'), { Layers: [`${layerArnOf(name)}:0`] }), InvalidParameterValueException, 400, `Layer version ${layerArnOf(name)}:0 does not exist.`);
    await rejectsWith(
      createFunction(server.client, uniqueName('fn'), { Layers: [a, b] }), InvalidParameterValueException, 400,
      `Two different versions of the same layer are not allowed to be referenced in the same function. ${a} and ${b} are versions of the same layer.`,
    );
    const six = await Promise.all(Array.from({ length: 6 }, async () => (await publish(uniqueName('six'))).out.LayerVersionArn!));
    await rejectsWith(createFunction(server.client, uniqueName('fn'), { Layers: six }), InvalidParameterValueException, 400, 'Cannot reference more than 5 layers.');
    await rejectsWith(createFunction(server.client, uniqueName('fn'), { Layers: ['not-an-arn'] }), 'ValidationException', 400, /at 'layers' failed to satisfy constraint/);
  });

  it('shows each layer\'s Arn and CodeSize, and a published version keeps its layers', async () => {
    const one = await publish(uniqueName('l1'));
    const two = await publish(uniqueName('l2'), { 'python/two.py': 'X = 2\n' });
    const fn = uniqueName('fn');
    await createSettledFunction(server.client, fn, { Layers: [one.out.LayerVersionArn!] });
    const published = await server.client.send(new PublishVersionCommand({ FunctionName: fn }));
    await settled(server.client, fn, published.Version);
    await server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Layers: [two.out.LayerVersionArn!, one.out.LayerVersionArn!] }));
    await settled(server.client, fn);
    const latest = await server.client.send(new GetFunctionCommand({ FunctionName: fn }));
    assert.deepEqual(latest.Configuration?.Layers, [
      { Arn: two.out.LayerVersionArn, CodeSize: two.zip.length },
      { Arn: one.out.LayerVersionArn, CodeSize: one.zip.length },
    ]);
    const v1 = await server.client.send(new GetFunctionCommand({ FunctionName: fn, Qualifier: published.Version }));
    assert.deepEqual(v1.Configuration?.Layers, [{ Arn: one.out.LayerVersionArn, CodeSize: one.zip.length }]);
    await server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Layers: [] }));
    await settled(server.client, fn);
    assert.equal((await server.client.send(new GetFunctionCommand({ FunctionName: fn }))).Configuration?.Layers, undefined);
  });

  it('counts function code and layers together against 250 MB unzipped', async () => {
    // Zeros with a stored random part: large unzipped, small on the wire, under the bomb ratio.
    const big = async (name: string, mb: number) => rawZip([await zerosEntry(`${name}.bin`, mb * 1024 * 1024), { name: `${name}.rnd`, data: randomBytes(1024 * 1024) }]);
    const layerZip = await big('layer', 140);
    const layer = await server.client.send(new PublishLayerVersionCommand({ LayerName: uniqueName('big'), Content: { ZipFile: layerZip } }));
    const codeZip = rawZip([{ name: 'index.js', data: Buffer.from('exports.handler = async () => 1;') }, ...[await zerosEntry('code.bin', 120 * 1024 * 1024)], { name: 'code.rnd', data: randomBytes(1024 * 1024) }]);
    const expected = 141 * 1024 * 1024 + 121 * 1024 * 1024 + 'exports.handler = async () => 1;'.length;
    const message = `Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is ${expected} bytes.`;
    await rejectsWith(createFunction(server.client, uniqueName('fn'), { Code: { ZipFile: codeZip }, Layers: [layer.LayerVersionArn!] }), InvalidParameterValueException, 400, message);
    const fn = uniqueName('fn');
    await createSettledFunction(server.client, fn, { Code: { ZipFile: codeZip } });
    await rejectsWith(server.client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, Layers: [layer.LayerVersionArn!] })), InvalidParameterValueException, 400, message);
  });
});
