/** How an attempt's response and the counters are kept in the embedded database. */
import type { AsyncCounter, AttemptResponse } from '../../model/index.ts';
import type { Database } from './database.ts';
import { statement } from './queries.ts';

export function encodeResponse(r: AttemptResponse | undefined): string | null {
  if (r === undefined) return null;
  return JSON.stringify({ s: r.statusCode, v: r.executedVersion, e: r.functionError ?? null, p: r.payload.toString('base64') });
}

export function decodeResponse(text: string | null): AttemptResponse | undefined {
  if (text === null) return undefined;
  const o = JSON.parse(text) as { s: number; v: string; e: string | null; p: string };
  return { statusCode: o.s, executedVersion: o.v, functionError: o.e ?? undefined, payload: Buffer.from(o.p, 'base64') };
}

/** Adds one to each counter (inside the caller's transaction). */
export function bumpCounters(db: Database, counters: readonly AsyncCounter[]): void {
  const bump = statement(db, 'INSERT INTO async_counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1');
  for (const c of counters) bump.run(c);
}

/** Adds `n` to one counter (inside the caller's transaction). */
export function bumpCounter(db: Database, counter: AsyncCounter, n: number): void {
  statement(db, 'INSERT INTO async_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value').run(counter, n);
}
