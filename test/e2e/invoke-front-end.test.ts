/**
 * The front end's answers through the AWS SDK: DryRun, the client context the
 * handler receives, payload limits, invalid JSON, and a version still Pending.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionCommand, InvalidRequestContentException, InvokeCommand, ResourceConflictException, type LambdaClient } from '@aws-sdk/client-lambda';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { nodeHandlerZip } from '../helpers/zip.ts';
import { deployQuick, IDENTITY_HANDLER, invokeIdentity, type Identity } from './data-plane-support.ts';
import { ROLE, rejectsWith, uniqueName } from './lambda-support.ts';

describe('the invoke front end', () => {
  let flint: FlintProcess;
  let client: LambdaClient;
  let name: string;
  before(async () => {
    flint = await startFlintProcess();
    client = flint.client();
    name = await deployQuick(client);
  });
  after(async () => {
    await flint.stop();
    removeDataDir(flint.dataDir);
  });

  it('answers DryRun with 204 and runs nothing', async () => {
    const r = await client.send(new InvokeCommand({ FunctionName: name, InvocationType: 'DryRun', Payload: Buffer.from('{}') }));
    assert.equal(r.StatusCode, 204);
    const first = await invokeIdentity(client, name);
    assert.deepEqual([first.identity?.count, first.cold], [1, true], 'the DryRun started no sandbox');
  });

  it('delivers the client context to the handler', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'blue' }, env: { locale: 'en' } })).toString('base64');
    const r = await client.send(new InvokeCommand({ FunctionName: name, ClientContext: clientContext, Payload: Buffer.from('{}') }));
    const identity = JSON.parse(Buffer.from(r.Payload!).toString('utf8')) as Identity;
    assert.deepEqual(identity.clientContext?.custom, { tenant: 'blue' });
  });

  it('refuses a payload over 6 MB with 413 RequestEntityTooLargeException', async () => {
    const payload = Buffer.from(JSON.stringify('x'.repeat(6 * 1024 * 1024)));
    await rejectsWith(
      client.send(new InvokeCommand({ FunctionName: name, Payload: payload })),
      'RequestEntityTooLargeException',
      413,
      'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    );
  });

  it('refuses a payload that is not JSON with InvalidRequestContentException', async () => {
    await rejectsWith(
      client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"unterminated": ') })),
      InvalidRequestContentException,
      400,
      /^Could not parse request body into json: Could not parse payload into json: /,
    );
  });

  it('answers 409 ResourceConflictException while the function is still Pending', async () => {
    const pending = uniqueName('pending');
    const created = await client.send(
      new CreateFunctionCommand({ FunctionName: pending, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await nodeHandlerZip(IDENTITY_HANDLER) } }),
    );
    assert.equal(created.State, 'Pending');
    await rejectsWith(
      client.send(new InvokeCommand({ FunctionName: pending, Payload: Buffer.from('{}') })),
      ResourceConflictException,
      409,
      'The operation cannot be performed at this time. The function is currently in the following state: Pending',
    );
  });
});
