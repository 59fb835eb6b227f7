/** Helpers for end-to-end invoke tests: create a function from files, wait until Active, invoke and decode. */
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type CreateFunctionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { makeZip, type ZipEntry } from '../helpers/zip.ts';
import { ROLE, uniqueName } from './lambda-support.ts';

export interface Deployed {
  readonly name: string;
}

export async function deploy(client: LambdaClient, files: readonly ZipEntry[], over: Partial<CreateFunctionCommandInput> = {}): Promise<Deployed> {
  const name = over.FunctionName ?? uniqueName('inv');
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: ROLE,
      Timeout: 10,
      Code: { ZipFile: await makeZip(files) },
      ...over,
    }),
  );
  await waitUntilFunctionActiveV2({ client, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
  return { name };
}

export interface Invoked {
  readonly status: number | undefined;
  readonly functionError: string | undefined;
  readonly executedVersion: string | undefined;
  readonly text: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly log: string;
  readonly requestId: string | undefined;
}

export async function invoke(client: LambdaClient, name: string, payload: unknown = {}, opts: { tail?: boolean; qualifier?: string; clientContext?: string } = {}): Promise<Invoked> {
  const r = await client.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: Buffer.from(JSON.stringify(payload)),
      LogType: opts.tail ? 'Tail' : 'None',
      Qualifier: opts.qualifier,
      ClientContext: opts.clientContext,
    }),
  );
  const text = Buffer.from(r.Payload ?? new Uint8Array()).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: r.StatusCode,
    functionError: r.FunctionError,
    executedVersion: r.ExecutedVersion,
    text,
    json,
    log: r.LogResult ? Buffer.from(r.LogResult, 'base64').toString('utf8') : '',
    requestId: r.$metadata.requestId,
  };
}
