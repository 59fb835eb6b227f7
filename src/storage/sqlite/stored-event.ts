/** The columns the queue (`async_events`) and the dead-letter store (`async_dead_letters`) share, and their one mapping. */
import type { EventOrigin, StoredEvent } from '../../model/index.ts';
import { decodeResponse } from './stored-response.ts';

/** An event as accepted, and the last response it got, as both tables keep it. */
export interface StoredEventRow {
  id: number;
  request_id: string;
  function_name: string;
  qualifier: string | null;
  payload: Uint8Array;
  origin: EventOrigin;
  accepted_ms: number;
  last_response: string | null;
}

/** The row as the domain names it (`LeasedEvent` and `DeadLetter` both extend `StoredEvent`). */
export function toStoredEvent(row: StoredEventRow): StoredEvent {
  return {
    id: row.id,
    requestId: row.request_id,
    functionName: row.function_name,
    qualifier: row.qualifier ?? undefined,
    payload: Buffer.from(row.payload),
    origin: row.origin,
    acceptedMs: row.accepted_ms,
    lastResponse: decodeResponse(row.last_response),
  };
}
