/** Helpers for the async-invoke end-to-end tests: recorder functions, their records and logs, the queue tables. */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { FileLogStore } from '../../src/storage/index.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { deploy } from './invoke-support.ts';
import { uniqueName } from './lambda-support.ts';

/** Flags that make retries and backoff fast enough for tests. */
export const FAST_ASYNC_FLAGS = ['--async-retry-base-delay-ms', '200', '--async-throttle-base-delay-ms', '50', '--async-throttle-max-delay-ms', '400', '--async-scan-interval-ms', '100'];

export interface DestinationRecord {
  readonly version: string;
  readonly timestamp: string;
  readonly requestContext: { readonly requestId: string; readonly functionArn: string; readonly condition: string; readonly approximateInvokeCount: number };
  readonly requestPayload: unknown;
  readonly responseContext?: { readonly statusCode: number; readonly executedVersion: string; readonly functionError?: string };
  readonly responsePayload?: unknown;
}

/** A function that logs every event it gets as one `RECORD {json}` line (a destination to observe). */
export async function deployRecorder(client: LambdaClient, name = uniqueName('rec')): Promise<string> {
  await deploy(client, [{ name: 'index.js', content: "exports.handler = async (e) => { console.log('RECORD ' + JSON.stringify(e)); return { recorded: true }; };" }], { FunctionName: name });
  return name;
}

export async function deployHandler(client: LambdaClient, source: string, name = uniqueName('async')): Promise<string> {
  await deploy(client, [{ name: 'index.js', content: source }], { FunctionName: name });
  return name;
}

/** Every log message of a function, all streams. */
export async function logMessages(dataDir: string, functionName: string): Promise<string[]> {
  const store = new FileLogStore(join(dataDir, 'logs'), join(dataDir, 'log-retention.json'));
  const group = `/aws/lambda/${functionName}`;
  const out: string[] = [];
  for (const { name: stream } of (await store.streams(group)) ?? []) out.push(...(await store.read(group, stream)).events.map((e) => e.message));
  return out;
}

/** The events a recorder function has logged. */
export async function records(dataDir: string, recorder: string): Promise<DestinationRecord[]> {
  const lines = await logMessages(dataDir, recorder);
  return lines.flatMap((l) => {
    const at = l.indexOf('RECORD ');
    return at < 0 ? [] : [JSON.parse(l.slice(at + 'RECORD '.length)) as DestinationRecord];
  });
}

/** The first value `probe` gives that is not undefined (`waitFor`, with falsy values counted as found). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const found = await waitFor(async () => {
    const value = await probe();
    return value === undefined ? undefined : { value };
  }, { timeoutMs, everyMs: 50, what });
  return found.value;
}

/** Waits for the record a recorder got for the original request id. */
export function recordFor(dataDir: string, recorder: string, requestId: string | undefined, timeoutMs?: number): Promise<DestinationRecord> {
  return eventually(async () => (await records(dataDir, recorder)).find((r) => r.requestContext.requestId === requestId), `the record of ${requestId} at ${recorder}`, timeoutMs);
}

/** Opens Flint's database beside the running server (WAL allows it), for what the API does not show. */
export function openQueueDatabase(dataDir: string): DatabaseSync {
  const db = new DatabaseSync(join(dataDir, 'flint.db'));
  db.exec('PRAGMA busy_timeout = 5000');
  return db;
}

export async function asyncStats(endpoint: string): Promise<{ queueDepth: number; deadLetters: number; counters: Record<string, number> }> {
  const res = await fetch(`${endpoint}/flint/async/stats`);
  return (await res.json()) as { queueDepth: number; deadLetters: number; counters: Record<string, number> };
}

interface LetterPage {
  DeadLetters: Array<{ Id: number }>;
  NextMarker?: string;
}

/** Request ids of the original events whose success records reached the dead-letter store. */
export async function recordedRequestIds(endpoint: string, functionName: string): Promise<string[]> {
  const ids: string[] = [];
  for (let marker: string | undefined; ; ) {
    const page = (await (await fetch(`${endpoint}/flint/dlq?FunctionName=${functionName}&MaxItems=500${marker ? `&Marker=${marker}` : ''}`)).json()) as LetterPage;
    for (const letter of page.DeadLetters) {
      const detail = (await (await fetch(`${endpoint}/flint/dlq/${letter.Id}`)).json()) as { Payload: { requestContext: { requestId: string; condition: string } } };
      if (detail.Payload.requestContext.condition === 'Success') ids.push(detail.Payload.requestContext.requestId);
    }
    if (page.NextMarker === undefined) return ids;
    marker = page.NextMarker;
  }
}
