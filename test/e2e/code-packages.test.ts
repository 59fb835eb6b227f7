/**
 * Deployment packages through the server: hostile zips are refused and leave
 * nothing written, uploads over 50 MB get Lambda's 413, and a tampered blob on
 * disk is never served.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import {
  GetAccountSettingsCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { useFlint } from '../helpers/flint-process.ts';
import { blobFiles, createFunction, download, handlerZip, rejectsWith, uniqueName } from './lambda-support.ts';
import { overlappingBomb, rawZip, zerosEntry } from './hostile-zip.ts';
import { waitFor } from '../helpers/wait-for.ts';

const handler = { name: 'index.js', data: Buffer.from('exports.handler = async () => 1;') };

describe('deployment packages through the server', () => {
  const server = useFlint();

  /** Creates with a hostile package and checks that the refusal wrote neither a blob nor a row. */
  async function refusesAndWritesNothing(zip: Buffer, message: string | RegExp): Promise<void> {
    const blobsBefore = blobFiles(server.flint.dataDir);
    const name = uniqueName('hostile');
    await rejectsWith(createFunction(server.client, name, { Code: { ZipFile: zip } }), InvalidParameterValueException, 400, message);
    assert.deepEqual(blobFiles(server.flint.dataDir), blobsBefore, 'no blob written');
    await rejectsWith(server.client.send(new GetFunctionCommand({ FunctionName: name })), ResourceNotFoundException, 404);
  }

  it('refuses a file that is not a zip with Lambda text', async () => {
    await refusesAndWritesNothing(Buffer.from('this is not a zip file at all'), 'Could not unzip uploaded file. Please check your file, then try to upload again.');
  });

  it('refuses a zip-slip entry', async () => {
    await refusesAndWritesNothing(rawZip([handler, { name: '../../etc/cron.d/evil', data: Buffer.from('x') }]), /^The deployment package was refused: entry "\.\.\/\.\.\/etc\/cron\.d\/evil" points outside the package root/);
  });

  it('refuses an absolute path', async () => {
    await refusesAndWritesNothing(rawZip([handler, { name: '/etc/passwd', data: Buffer.from('root::0:0') }]), /^The deployment package was refused: entry "\/etc\/passwd" has an absolute path/);
  });

  it('refuses a symlink that escapes the package root', async () => {
    await refusesAndWritesNothing(rawZip([handler, { name: 'leak', data: Buffer.from('../../../../etc/shadow'), mode: 0o120777 }]), /^The deployment package was refused: symlink "leak" .* points outside the package root/);
  });

  it('refuses a package that unzips past 250 MB', async () => {
    await refusesAndWritesNothing(rawZip([handler, await zerosEntry('zeros.bin', 262_144_001)]), 'Unzipped size must be smaller than 262144000 bytes');
  });

  it('refuses an overlapping-entry zip bomb', async () => {
    await refusesAndWritesNothing(overlappingBomb(64, 8 * 1024 * 1024), /^The deployment package was refused: .*zip bomb/);
  });

  it('answers an upload over 50 MB with 413 RequestEntityTooLargeException', async () => {
    const big = randomBytes(52_428_801);
    const blobsBefore = blobFiles(server.flint.dataDir);
    await rejectsWith(createFunction(server.client, uniqueName('big'), { Code: { ZipFile: big } }), 'RequestEntityTooLargeException', 413, 'Request must be smaller than 69905067 bytes for the CreateFunction operation');
    const name = uniqueName('big-update');
    await createFunction(server.client, name);
    await rejectsWith(server.client.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: big })), 'RequestEntityTooLargeException', 413, 'Request must be smaller than 69905067 bytes for the UpdateFunctionCode operation');
    assert.equal(blobFiles(server.flint.dataDir).length, blobsBefore.length + 1);
  });

  it('stores identical packages once and counts them in GetAccountSettings', async () => {
    const zip = await handlerZip('return "shared";');
    const before = await server.client.send(new GetAccountSettingsCommand({}));
    const blobsBefore = blobFiles(server.flint.dataDir).length;
    await createFunction(server.client, uniqueName('same'), { Code: { ZipFile: zip } });
    await createFunction(server.client, uniqueName('same'), { Code: { ZipFile: zip } });
    assert.equal(blobFiles(server.flint.dataDir).length, blobsBefore + 1);
    const afterSettings = await server.client.send(new GetAccountSettingsCommand({}));
    assert.equal(afterSettings.AccountUsage?.FunctionCount, (before.AccountUsage?.FunctionCount ?? 0) + 2);
    assert.equal(afterSettings.AccountUsage?.TotalCodeSize, (before.AccountUsage?.TotalCodeSize ?? 0) + zip.length);
  });

  it('never serves a tampered blob: the download fails with a 5xx ServiceException', async () => {
    const name = uniqueName('tamper');
    const zip = await handlerZip('return "secret-payload-7c1e";');
    const blobsBefore = new Set(blobFiles(server.flint.dataDir));
    await createFunction(server.client, name, { Code: { ZipFile: zip } });
    const [blob] = blobFiles(server.flint.dataDir).filter((f) => !blobsBefore.has(f));
    assert.ok(blob, 'the package was stored as one blob');
    const sealed = readFileSync(blob);
    sealed[Math.floor(sealed.length / 2)]! ^= 0x01;
    writeFileSync(blob, sealed);
    const got = await server.client.send(new GetFunctionCommand({ FunctionName: name }));
    const res = await download(String(got.Code?.Location));
    assert.ok(res.status >= 500, `status ${res.status}`);
    assert.equal(res.headers.get('x-amzn-errortype'), 'ServiceException');
    assert.equal(res.body.indexOf(zip.subarray(0, 16)), -1, 'no package bytes in the answer');
    assert.equal(res.body.includes('secret-payload'), false);
    // the server logs the failed check; its stderr may reach us a moment after the answer
    await waitFor(() => /integrity/.test(server.flint.logs()), { what: 'the integrity failure in the server log' });
  });
});
