/** Shared pieces of the control-plane end-to-end tests (SDK calls, assertions on SDK errors, disk inspection). */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaServiceException, type CreateFunctionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { waitFor } from '../helpers/wait-for.ts';
import { nodeHandlerZip } from '../helpers/zip.ts';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;
export const arnOf = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

let counter = 0;
/** A unique function name per call (tests in one file share a server). */
export function uniqueName(prefix = 'fn'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export function handlerZip(body = 'return { ok: true };'): Promise<Buffer> {
  return nodeHandlerZip(`exports.handler = async (event) => { ${body} };`);
}

export async function createFunction(client: LambdaClient, name: string, over: Partial<CreateFunctionCommandInput> = {}) {
  return client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: await handlerZip(`return "${name}";`) },
      ...over,
    }),
  );
}

/** Waits until the function (or version) has settled: Active and LastUpdateStatus Successful, as a waiter would before the next write. */
export async function settled(client: LambdaClient, name: string, qualifier?: string): Promise<void> {
  await waitFor(async () => {
    const c = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: qualifier }));
    return c.State === 'Active' && c.LastUpdateStatus === 'Successful';
  }, { timeoutMs: 30_000, everyMs: 50, what: `${name} to settle` });
}

/** createFunction, then waits until it has settled. */
export async function createSettledFunction(client: LambdaClient, name: string, over: Partial<CreateFunctionCommandInput> = {}) {
  await createFunction(client, name, over);
  await settled(client, name);
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Asserts that the SDK rejected with the given exception class (or, for codes the
 * SDK has no class for, a LambdaServiceException of that name), status and message.
 */
export async function rejectsWith(promise: Promise<unknown>, expected: ErrorClass | string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    if (typeof expected === 'string') {
      assert.ok(err instanceof LambdaServiceException, `expected a LambdaServiceException, got ${String(err)}`);
      assert.equal(err.name, expected);
    } else {
      assert.ok(err instanceof expected, `expected ${expected.name}, got ${(err as Error).name}: ${(err as Error).message}`);
    }
    const e = err as LambdaServiceException;
    assert.equal(e.$metadata.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

/** Every blob file the code store holds under a data directory. */
export function blobFiles(dataDir: string): string[] {
  const root = join(dataDir, 'code');
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (/^[0-9a-f]{64}$/.test(n)) out.push(p);
      else walk(p);
    }
  };
  walk(root);
  return out.sort();
}

export async function download(url: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

