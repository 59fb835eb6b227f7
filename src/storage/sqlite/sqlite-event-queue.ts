import { randomUUID } from 'node:crypto';
import type { AsyncCounter, Finish, FunctionDepth, LeasedEvent, NewAsyncEvent, QueueSnapshot, Settlement } from '../../model/index.ts';
import { queueSnapshotFromRows } from '../rows.ts';
import type { EventQueue, HeldLease } from '../ports.ts';
import type { Database } from './database.ts';
import { atomically, statement } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';
import { toStoredEvent, type StoredEventRow } from './stored-event.ts';
import { bumpCounter, bumpCounters, encodeResponse } from './stored-response.ts';

interface EventRow extends StoredEventRow {
  invoke_count: number;
  function_error_count: number;
}

/**
 * EventQueue over SQLite (WAL). A leased row's `visible_at_ms` is
 * its lease expiry (a visibility timeout): past it, the row is ready again, so
 * an event whose poller died is delivered again. Every method is atomic (its own transaction,
 * or a savepoint in the caller's).
 */
export class SqliteEventQueue implements Synchronous<EventQueue> {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  enqueue(event: NewAsyncEvent, nowMs: number): number {
    return atomically(this.#db, () => {
      const id = insertEvent(this.#db, event, nowMs);
      bumpCounters(this.#db, ['accepted']);
      return id;
    });
  }

  enqueueAll(events: readonly NewAsyncEvent[], nowMs: number): number[] {
    if (events.length === 0) return [];
    return atomically(this.#db, () => {
      const ids = events.map((e) => insertEvent(this.#db, e, nowMs));
      bumpCounter(this.#db, 'accepted', events.length);
      return ids;
    });
  }

  readyByFunction(nowMs: number, cap: number): Map<string, number> {
    // A skip scan over the function index (one probe per function, whatever the depth), then a count
    // of at most `cap` ready events each: the cost follows functions x pollers, not the backlog.
    const names = statement(this.#db, FUNCTIONS_WITH_EVENTS).all() as unknown as Array<{ name: string }>;
    const count = statement(this.#db, 'SELECT COUNT(*) AS n FROM (SELECT 1 FROM async_events WHERE function_name = ? AND visible_at_ms <= ? LIMIT ?)');
    const out = new Map<string, number>();
    for (const { name } of names) {
      const { n } = count.get(name, nowMs, cap) as { n: number };
      if (n > 0) out.set(name, n);
    }
    return out;
  }

  take(functionName: string, nowMs: number, leaseMs: number): LeasedEvent | undefined {
    return atomically(this.#db, () => {
      // Arrival order: walk the function's events by id in the covering index, skipping those not due.
      const head = statement(this.#db, TAKE_HEAD).get(functionName, nowMs) as { id: number } | undefined;
      if (head === undefined) return undefined;
      const row = statement(this.#db, 'SELECT * FROM async_events WHERE id = ?').get(head.id) as unknown as EventRow;
      const leaseToken = randomUUID();
      statement(this.#db, "UPDATE async_events SET state = 'Leased', visible_at_ms = ?, lease_token = ? WHERE id = ?").run(nowMs + leaseMs, leaseToken, row.id);
      return toLeased(row, leaseToken);
    });
  }

  settle(event: LeasedEvent, settlement: Settlement, nowMs: number): boolean {
    return atomically(this.#db, () => {
      const held = statement(this.#db, "SELECT 1 AS held FROM async_events WHERE id = ? AND lease_token = ? AND state = 'Leased'").get(event.id, event.leaseToken);
      if (held === undefined) return false;
      if (settlement.kind === 'requeue') {
        const { visibleAtMs, invoked, functionError, response } = settlement;
        statement(this.#db, REQUEUE).run(visibleAtMs, invoked ? 1 : 0, functionError ? 1 : 0, encodeResponse(response), event.id);
      } else {
        if (settlement.deadLetter !== undefined) insertDeadLetter(this.#db, event, settlement.deadLetter, nowMs);
        statement(this.#db, 'DELETE FROM async_events WHERE id = ?').run(event.id);
        if (settlement.forward !== undefined) insertEvent(this.#db, settlement.forward, nowMs);
      }
      bumpCounters(this.#db, settlement.counters);
      return true;
    });
  }

  renewLeases(leases: readonly HeldLease[], untilMs: number): string[] {
    if (leases.length === 0) return [];
    const held = JSON.stringify(leases.map((l) => [l.id, l.leaseToken]));
    const rows = statement(this.#db, RENEW).all(untilMs, held) as unknown as Array<{ lease_token: string }>;
    return rows.map((r) => r.lease_token);
  }

  releaseAllLeases(nowMs: number): number {
    const release = statement(this.#db, "UPDATE async_events SET state = 'Queued', lease_token = NULL, visible_at_ms = ? WHERE state = 'Leased'");
    return Number(release.run(nowMs).changes);
  }

  nextReadyMs(nowMs: number): number | undefined {
    const row = statement(this.#db, 'SELECT MIN(visible_at_ms) AS t FROM async_events WHERE visible_at_ms > ?').get(nowMs) as { t: number | null };
    return row.t ?? undefined;
  }

  snapshot(nowMs: number): QueueSnapshot {
    const totals = statement(this.#db, TOTALS).get(nowMs, nowMs) as { depth: number; ready: number; inFlight: number; oldest: number | null };
    const byFunction = statement(this.#db, BY_FUNCTION).all() as unknown as FunctionDepth[];
    const dead = statement(this.#db, 'SELECT COUNT(*) AS n FROM async_dead_letters').get() as { n: number };
    const counters = statement(this.#db, 'SELECT name, value FROM async_counters').all() as unknown as Array<{ name: AsyncCounter; value: number }>;
    return queueSnapshotFromRows(totals, byFunction, dead.n, counters);
  }
}

const FUNCTIONS_WITH_EVENTS = `
  WITH RECURSIVE fns(name) AS (
    SELECT MIN(function_name) FROM async_events
    UNION ALL
    SELECT (SELECT MIN(function_name) FROM async_events WHERE function_name > fns.name) FROM fns WHERE fns.name IS NOT NULL)
  SELECT name FROM fns WHERE name IS NOT NULL`;
const TAKE_HEAD = 'SELECT id FROM async_events INDEXED BY async_events_by_function WHERE function_name = ? AND visible_at_ms <= ? ORDER BY id LIMIT 1';
const REQUEUE = `
  UPDATE async_events SET state = 'Queued', lease_token = NULL, visible_at_ms = ?,
    invoke_count = invoke_count + ?, function_error_count = function_error_count + ?,
    last_response = COALESCE(?, last_response)
  WHERE id = ?`;
/** One statement for every lease held: the pairs (id, token) come as one JSON array. */
const RENEW = `
  UPDATE async_events SET visible_at_ms = ?
  FROM (SELECT value ->> 0 AS id, value ->> 1 AS token FROM json_each(?)) AS held
  WHERE async_events.id = held.id AND async_events.lease_token = held.token AND async_events.state = 'Leased'
  RETURNING async_events.lease_token`;
const TOTALS = `
  SELECT COUNT(*) AS depth, COALESCE(SUM(visible_at_ms <= ?), 0) AS ready,
    COALESCE(SUM(state = 'Leased' AND visible_at_ms > ?), 0) AS inFlight, MIN(accepted_ms) AS oldest
  FROM async_events`;
const BY_FUNCTION =
  'SELECT function_name AS functionName, COUNT(*) AS depth, MIN(accepted_ms) AS oldestAcceptedMs FROM async_events GROUP BY function_name ORDER BY function_name';

/** Inserts a ready event (inside the caller's transaction) and returns its id. */
export function insertEvent(db: Database, e: NewAsyncEvent, nowMs: number): number {
  const insert = statement(
    db,
    `INSERT INTO async_events (request_id, function_name, qualifier, payload, origin, accepted_ms, state, visible_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, 'Queued', ?)`,
  );
  return Number(insert.run(e.requestId, e.functionName, e.qualifier ?? null, e.payload, e.origin, nowMs, nowMs).lastInsertRowid);
}

function insertDeadLetter(db: Database, e: LeasedEvent, d: NonNullable<Finish['deadLetter']>, nowMs: number): void {
  statement(
    db,
    `INSERT INTO async_dead_letters (request_id, function_name, qualifier, payload, origin, accepted_ms, failed_ms, condition, approximate_invoke_count, last_response)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.requestId, e.functionName, e.qualifier ?? null, e.payload, e.origin, e.acceptedMs, nowMs, d.condition, d.approximateInvokeCount, encodeResponse(d.response ?? e.lastResponse));
}

function toLeased(row: EventRow, leaseToken: string): LeasedEvent {
  return { ...toStoredEvent(row), invokeCount: row.invoke_count, functionErrorCount: row.function_error_count, leaseToken };
}
