/**
 * Shared pieces of the data-plane end-to-end tests: a handler that tells which
 * sandbox ran it, a quick deploy (polls GetFunction every 50 ms rather than the
 * SDK waiter's 1 s), concurrent invokes with their outcomes, and /flint/status.
 */
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, TooManyRequestsException, type CreateFunctionCommandInput, type LambdaClient } from '@aws-sdk/client-lambda';
import { waitFor } from '../helpers/wait-for.ts';
import { nodeHandlerZip } from '../helpers/zip.ts';
import { ROLE, uniqueName } from './lambda-support.ts';

/**
 * A handler that proves sandbox identity from the inside: a random id drawn at
 * module load and a module-level counter; sleeps `sleepMs` when asked.
 */
export const IDENTITY_HANDLER = `
const sandboxId = require('crypto').randomUUID();
let count = 0;
exports.handler = async (event, context) => {
  count++;
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  return { sandboxId, count, initType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE, clientContext: context.clientContext };
};`;

export interface Identity {
  readonly sandboxId: string;
  readonly count: number;
  readonly initType: string;
  readonly clientContext?: { custom?: Record<string, unknown> };
}

/** Creates a nodejs function and waits (polling every 50 ms) until it is Active. */
export async function deployQuick(client: LambdaClient, source = IDENTITY_HANDLER, over: Partial<CreateFunctionCommandInput> = {}): Promise<string> {
  const name = over.FunctionName ?? uniqueName('dp');
  await client.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 10, Code: { ZipFile: await nodeHandlerZip(source) }, ...over }),
  );
  await until(async () => (await client.send(new GetFunctionCommand({ FunctionName: name }))).Configuration?.State === 'Active');
  return name;
}

export interface Outcome {
  readonly identity?: Identity;
  /** Init Duration appeared in the REPORT line (a cold start). */
  readonly cold?: boolean;
  /** TooManyRequestsException's Reason, when throttled. */
  readonly throttled?: string;
}

/** One sync invoke with LogType Tail: the handler's identity and whether it was a cold start, or the throttle Reason. */
export async function invokeIdentity(client: LambdaClient, name: string, event: Record<string, unknown> = {}, qualifier?: string): Promise<Outcome> {
  try {
    const r = await client.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
    const log = Buffer.from(r.LogResult ?? '', 'base64').toString('utf8');
    const body = Buffer.from(r.Payload ?? new Uint8Array()).toString('utf8');
    if (r.FunctionError) throw new Error(`function error: ${body}`);
    return { identity: JSON.parse(body) as Identity, cold: /Init Duration/.test(log) };
  } catch (err) {
    if (err instanceof TooManyRequestsException) return { throttled: String(err.Reason) };
    throw err;
  }
}

/** `n` concurrent invokes that each sleep `sleepMs` in the handler. */
export function concurrently(client: LambdaClient, name: string, n: number, sleepMs: number, qualifier?: string): Promise<Outcome[]> {
  return Promise.all(Array.from({ length: n }, () => invokeIdentity(client, name, { sleepMs }, qualifier)));
}

/** Counts of throttle reasons (and `ok`) over outcomes. */
export function tally(outcomes: readonly Outcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes) out[o.throttled ?? 'ok'] = (out[o.throttled ?? 'ok'] ?? 0) + 1;
  return out;
}

export interface SandboxRow {
  readonly function: string;
  readonly version: string;
  /** The worker host the sandboxes are on (one row per function version and host). */
  readonly host: string;
  readonly idle: number;
  readonly busy: number;
  readonly provisioned: number;
}

/** The sandboxes of one function as /flint/status shows them. */
export async function sandboxRows(endpoint: string, functionName: string): Promise<SandboxRow[]> {
  const status = (await (await fetch(`${endpoint}/flint/status`)).json()) as { sandboxes: SandboxRow[] };
  return status.sandboxes.filter((s) => s.function === functionName);
}

/** `waitFor` with the end-to-end tests' bounds (a cold start on a busy machine). */
export async function until(predicate: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  await waitFor(predicate, { timeoutMs, everyMs });
}
