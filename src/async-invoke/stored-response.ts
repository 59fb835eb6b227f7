/** How an attempt's response and the counters are kept in the embedded database, and its statement cache. */
import type { StatementSync } from 'node:sqlite';
import type { Database } from '../db/index.ts';
import type { AttemptResponse } from './async-event.ts';
import type { AsyncCounter } from './event-queue.ts';

export function encodeResponse(r: AttemptResponse | undefined): string | null {
  if (r === undefined) return null;
  return JSON.stringify({ s: r.statusCode, v: r.executedVersion, e: r.functionError ?? null, p: r.payload.toString('base64') });
}

export function decodeResponse(text: string | null): AttemptResponse | undefined {
  if (text === null) return undefined;
  const o = JSON.parse(text) as { s: number; v: string; e: string | null; p: string };
  return { statusCode: o.s, executedVersion: o.v, functionError: o.e ?? undefined, payload: Buffer.from(o.p, 'base64') };
}

const STATEMENTS = new WeakMap<Database, Map<string, StatementSync>>();

/** A prepared statement of this database, kept for reuse (the pollers run the same few all the time). */
export function statement(db: Database, sql: string): StatementSync {
  let cache = STATEMENTS.get(db);
  if (cache === undefined) STATEMENTS.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (stmt === undefined) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** Adds one to each counter (inside the caller's transaction). */
export function bumpCounters(db: Database, counters: readonly AsyncCounter[]): void {
  const bump = statement(db, 'INSERT INTO async_counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1');
  for (const c of counters) bump.run(c);
}
