/** What the contract suite's parts share: the target under test, a storage per test, and record builders. */
import type { AliasRecord, FunctionRecord, FunctionVersionConfig, NewAsyncEvent } from '../../model/index.ts';
import { functionVersion } from '../../model/testing/function-version.ts';
import type { Storage } from '../ports.ts';

export interface StorageContractTarget {
  /** A fresh, empty storage. */
  open(): Promise<Storage>;
  /** Another Storage on the same database as `storage`: what another front end (or process) sees. */
  openAnother(storage: Storage): Promise<Storage>;
  /** Whether a change published on one Storage reaches the other Storages of its database (PostgreSQL); SQLite's feed is in-process. */
  readonly feedAcrossStorages: boolean;
}

/** Opens a storage for one test and closes it (and any other opened with `another`) when the test ends. */
export async function using<T>(target: StorageContractTarget, fn: (s: Storage, another: () => Promise<Storage>) => Promise<T>): Promise<T> {
  const opened: Storage[] = [];
  const s = await target.open();
  opened.push(s);
  const another = async (): Promise<Storage> => {
    const other = await target.openAnother(s);
    opened.push(other);
    return other;
  };
  try {
    return await fn(s, another);
  } finally {
    for (const o of opened.reverse()) await o.close();
  }
}

export function fnRecord(name: string, over: Partial<FunctionRecord> = {}): FunctionRecord {
  return { name, createdMs: 1_000, tags: {}, reservedConcurrency: undefined, ...over };
}

export function version(name: string, v: string, over: Partial<FunctionVersionConfig> = {}): FunctionVersionConfig {
  return functionVersion(name, { version: v, ...over });
}

/** Creates a function with its `$LATEST` (and fails the test when the name was taken). */
export async function createFunction(s: Storage, name: string, over: Partial<FunctionVersionConfig> = {}): Promise<void> {
  if (!(await s.functions.insertFunction(fnRecord(name), version(name, '$LATEST', over)))) throw new Error(`function ${name} exists`);
}

export function alias(functionName: string, name: string, over: Partial<AliasRecord> = {}): AliasRecord {
  return { functionName, name, functionVersion: '1', description: '', additional: undefined, revisionId: `rev-${name}`, ...over };
}

export function event(functionName: string, n: number, over: Partial<NewAsyncEvent> = {}): NewAsyncEvent {
  return { requestId: `req-${functionName}-${n}`, functionName, qualifier: undefined, payload: Buffer.from(`{"n":${n}}`), origin: 'invoke', ...over };
}

/** Resolves once `condition` holds; rejects naming `what` after `timeoutMs` (a bound for failure). */
export async function eventually(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
