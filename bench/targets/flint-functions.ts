/** Function management on Flint through the SDK, with waits that poll fast (the SDK waiters sleep >= 1 s). */
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeHandlerZip } from '../../test/helpers/zip.ts';

const ROLE = 'arn:aws:iam::000000000000:role/flint-bench';
/** The same Node major as the peer and the baseline, which run on the project's Node 24. */
export const FLINT_RUNTIME = 'nodejs24.x';

async function waitSettled(client: LambdaClient, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    if (c.State === 'Active' && c.LastUpdateStatus !== 'InProgress') return;
    if (c.State === 'Failed' || c.LastUpdateStatus === 'Failed') throw new Error(`function ${name} failed: ${c.StateReason ?? c.LastUpdateStatusReason}`);
    if (Date.now() > deadline) throw new Error(`function ${name} not Active after 30 s (${c.State}/${c.LastUpdateStatus})`);
    await sleep(20);
  }
}

export async function createFunction(client: LambdaClient, name: string, source: string, memoryMb: number): Promise<void> {
  await client.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: FLINT_RUNTIME, Handler: 'index.handler', Role: ROLE, MemorySize: memoryMb, Timeout: 60,
    Code: { ZipFile: await nodeHandlerZip(source) },
  }));
  await waitSettled(client, name);
}

/** A configuration change, so the next invoke needs a new sandbox (a cold start). */
export async function touchConfiguration(client: LambdaClient, name: string, round: number): Promise<void> {
  await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { BENCH_ROUND: String(round) } } }));
  await waitSettled(client, name);
}

export async function deleteFunction(client: LambdaClient, name: string): Promise<void> {
  await client.send(new DeleteFunctionCommand({ FunctionName: name }));
}

/** A function URL (AuthType NONE, opened to anyone as the console does); its path form on `endpoint`. */
export async function createPublicUrl(client: LambdaClient, name: string, endpoint: string): Promise<string> {
  const { FunctionUrl } = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
  await client.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
  await client.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'FunctionURLAllowInvokeAction', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
  return `${endpoint}/lambda-url/${new URL(FunctionUrl!).hostname.split('.')[0]}/`;
}
