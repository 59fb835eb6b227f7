import { randomUUID } from 'node:crypto';
import { transaction, type Database } from '../db/index.ts';
import type { EventOrigin, LeasedEvent, NewAsyncEvent } from './async-event.ts';
import { ASYNC_COUNTERS, type AsyncCounter, type EventQueue, type FunctionDepth, type QueueSnapshot, type Settlement } from './event-queue.ts';
import { bumpCounters, decodeResponse, encodeResponse } from './stored-response.ts';

interface EventRow {
  id: number;
  request_id: string;
  function_name: string;
  qualifier: string | null;
  payload: Uint8Array;
  origin: EventOrigin;
  accepted_ms: number;
  invoke_count: number;
  function_error_count: number;
  last_response: string | null;
}

/**
 * The queue in the embedded database (WAL). A leased row's `visible_at_ms` is
 * its lease expiry (a visibility timeout): past it, the row is ready again, so
 * an event whose poller died is delivered again. Every method is one transaction.
 */
export class SqliteEventQueue implements EventQueue {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  enqueue(event: NewAsyncEvent, nowMs: number): number {
    return transaction(this.#db, () => {
      const id = insertEvent(this.#db, event, nowMs);
      bumpCounters(this.#db, ['accepted']);
      return id;
    });
  }

  readyByFunction(nowMs: number): Map<string, number> {
    const rows = this.#db
      .prepare('SELECT function_name AS name, COUNT(*) AS n FROM async_events WHERE visible_at_ms <= ? GROUP BY function_name')
      .all(nowMs) as unknown as Array<{ name: string; n: number }>;
    return new Map(rows.map((r) => [r.name, r.n]));
  }

  take(functionName: string, nowMs: number, leaseMs: number): LeasedEvent | undefined {
    return transaction(this.#db, () => {
      const row = this.#db
        .prepare('SELECT * FROM async_events WHERE function_name = ? AND visible_at_ms <= ? ORDER BY id LIMIT 1')
        .get(functionName, nowMs) as EventRow | undefined;
      if (row === undefined) return undefined;
      const leaseToken = randomUUID();
      this.#db.prepare("UPDATE async_events SET state = 'Leased', visible_at_ms = ?, lease_token = ? WHERE id = ?").run(nowMs + leaseMs, leaseToken, row.id);
      return toLeased(row, leaseToken);
    });
  }

  settle(event: LeasedEvent, settlement: Settlement, nowMs: number): boolean {
    return transaction(this.#db, () => {
      const held = this.#db.prepare("SELECT 1 AS held FROM async_events WHERE id = ? AND lease_token = ? AND state = 'Leased'").get(event.id, event.leaseToken);
      if (held === undefined) return false;
      if (settlement.kind === 'requeue') {
        this.#db
          .prepare(
            `UPDATE async_events SET state = 'Queued', lease_token = NULL, visible_at_ms = ?,
               invoke_count = invoke_count + ?, function_error_count = function_error_count + ?,
               last_response = COALESCE(?, last_response) WHERE id = ?`,
          )
          .run(settlement.visibleAtMs, settlement.invoked ? 1 : 0, settlement.functionError ? 1 : 0, encodeResponse(settlement.response), event.id);
      } else {
        if (settlement.deadLetter !== undefined) insertDeadLetter(this.#db, event, settlement.deadLetter, nowMs);
        this.#db.prepare('DELETE FROM async_events WHERE id = ?').run(event.id);
        if (settlement.forward !== undefined) insertEvent(this.#db, settlement.forward, nowMs);
      }
      bumpCounters(this.#db, settlement.counters);
      return true;
    });
  }

  releaseAllLeases(nowMs: number): number {
    return Number(
      this.#db.prepare("UPDATE async_events SET state = 'Queued', lease_token = NULL, visible_at_ms = ? WHERE state = 'Leased'").run(nowMs).changes,
    );
  }

  nextReadyMs(nowMs: number): number | undefined {
    const row = this.#db.prepare('SELECT MIN(visible_at_ms) AS t FROM async_events WHERE visible_at_ms > ?').get(nowMs) as { t: number | null };
    return row.t ?? undefined;
  }

  snapshot(nowMs: number): QueueSnapshot {
    const totals = this.#db
      .prepare(
        `SELECT COUNT(*) AS depth, COALESCE(SUM(visible_at_ms <= ?), 0) AS ready,
           COALESCE(SUM(state = 'Leased' AND visible_at_ms > ?), 0) AS inFlight, MIN(accepted_ms) AS oldest FROM async_events`,
      )
      .get(nowMs, nowMs) as { depth: number; ready: number; inFlight: number; oldest: number | null };
    const byFunction = this.#db
      .prepare('SELECT function_name AS functionName, COUNT(*) AS depth, MIN(accepted_ms) AS oldestAcceptedMs FROM async_events GROUP BY function_name ORDER BY function_name')
      .all() as unknown as FunctionDepth[];
    const dead = this.#db.prepare('SELECT COUNT(*) AS n FROM async_dead_letters').get() as { n: number };
    const counters = Object.fromEntries(ASYNC_COUNTERS.map((c) => [c, 0])) as Record<AsyncCounter, number>;
    for (const r of this.#db.prepare('SELECT name, value FROM async_counters').all() as unknown as Array<{ name: AsyncCounter; value: number }>) {
      if (r.name in counters) counters[r.name] = r.value;
    }
    return {
      depth: totals.depth,
      ready: totals.ready,
      inFlight: totals.inFlight,
      oldestAcceptedMs: totals.oldest ?? undefined,
      byFunction: byFunction.map((f) => ({ ...f })),
      deadLetters: dead.n,
      counters,
    };
  }
}

/** Inserts a ready event (inside the caller's transaction) and returns its id. */
export function insertEvent(db: Database, e: NewAsyncEvent, nowMs: number): number {
  const result = db
    .prepare(
      `INSERT INTO async_events (request_id, function_name, qualifier, payload, origin, accepted_ms, state, visible_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, 'Queued', ?)`,
    )
    .run(e.requestId, e.functionName, e.qualifier ?? null, e.payload, e.origin, nowMs, nowMs);
  return Number(result.lastInsertRowid);
}

function insertDeadLetter(db: Database, e: LeasedEvent, d: NonNullable<Extract<Settlement, { kind: 'finish' }>['deadLetter']>, nowMs: number): void {
  db.prepare(
    `INSERT INTO async_dead_letters (request_id, function_name, qualifier, payload, origin, accepted_ms, failed_ms, condition, approximate_invoke_count, last_response)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.requestId, e.functionName, e.qualifier ?? null, e.payload, e.origin, e.acceptedMs, nowMs, d.condition, d.approximateInvokeCount, encodeResponse(d.response ?? e.lastResponse));
}

function toLeased(row: EventRow, leaseToken: string): LeasedEvent {
  return {
    id: row.id,
    requestId: row.request_id,
    functionName: row.function_name,
    qualifier: row.qualifier ?? undefined,
    payload: Buffer.from(row.payload),
    origin: row.origin,
    acceptedMs: row.accepted_ms,
    invokeCount: row.invoke_count,
    functionErrorCount: row.function_error_count,
    lastResponse: decodeResponse(row.last_response),
    leaseToken,
  };
}
