/**
 * What the queue (`async_events`) and the dead-letter store (`async_dead_letters`) share: the
 * columns of a stored event, the attempt response as JSON (payload in base64), the counters,
 * and the inserts both use inside their transactions.
 */
import type { AsyncCounter, AttemptResponse, EventOrigin, NewAsyncEvent, StoredEvent } from '../../model/index.ts';
import type { Sql } from './sql.ts';

export interface StoredEventRow {
  id: number;
  request_id: string;
  function_name: string;
  qualifier: string | null;
  payload: Buffer;
  origin: EventOrigin;
  accepted_ms: number;
  last_response: EncodedResponse | null;
}

interface EncodedResponse { s: number; v: string; e: string | null; p: string }

export function encodeResponse(r: AttemptResponse | undefined): string | null {
  if (r === undefined) return null;
  return JSON.stringify({ s: r.statusCode, v: r.executedVersion, e: r.functionError ?? null, p: r.payload.toString('base64') } satisfies EncodedResponse);
}

export function toStoredEvent(row: StoredEventRow): StoredEvent {
  const r = row.last_response;
  return {
    id: row.id,
    requestId: row.request_id,
    functionName: row.function_name,
    qualifier: row.qualifier ?? undefined,
    payload: row.payload,
    origin: row.origin,
    acceptedMs: row.accepted_ms,
    lastResponse: r === null ? undefined : { statusCode: r.s, executedVersion: r.v, functionError: r.e ?? undefined, payload: Buffer.from(r.p, 'base64') },
  };
}

/** Inserts a ready event (inside the caller's transaction); its id. */
export async function insertEvent(sql: Sql, e: NewAsyncEvent, nowMs: number): Promise<number> {
  const [row] = await sql.rows<{ id: number }>(
    `INSERT INTO async_events (request_id, function_name, qualifier, payload, origin, accepted_ms, state, visible_at_ms)
     VALUES ($1, $2, $3, $4, $5, $6, 'Queued', $6) RETURNING id`,
    [e.requestId, e.functionName, e.qualifier ?? null, e.payload, e.origin, nowMs],
  );
  return row!.id;
}

/** Adds one to each counter (inside the caller's transaction). */
export async function bumpCounters(sql: Sql, counters: readonly AsyncCounter[]): Promise<void> {
  if (counters.length === 0) return;
  await sql.count(
    `INSERT INTO async_counters (name, value) SELECT name, COUNT(*) FROM unnest($1::text[]) AS c(name) GROUP BY name
     ON CONFLICT (name) DO UPDATE SET value = async_counters.value + excluded.value`,
    [counters],
  );
}
