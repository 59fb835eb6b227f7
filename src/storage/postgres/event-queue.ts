/**
 * The queue of asynchronous events (`async_events`). A leased row's `visible_at_ms` is its
 * lease expiry: past it the row is ready again, so an event whose poller died is delivered
 * again. `take` leases with `FOR UPDATE SKIP LOCKED`, so any number of pollers in any number of
 * front ends take at once and never lease one event twice; `settle` applies only while the
 * lease token is still the one it took.
 */
import { randomUUID } from 'node:crypto';
import {
  type AsyncCounter,
  type Finish,
  type FunctionDepth,
  type LeasedEvent,
  type NewAsyncEvent,
  type QueueSnapshot,
  type Settlement,
} from '../../model/index.ts';
import type { EventQueue, HeldLease } from '../ports.ts';
import { queueSnapshotFromRows } from '../rows.ts';
import { one, type Sql } from './sql.ts';
import { bumpCounters, encodeResponse, insertEvent, toStoredEvent, type StoredEventRow } from './stored-event.ts';

interface EventRow extends StoredEventRow {
  invoke_count: number;
  function_error_count: number;
}

const EVENT_COLUMNS = 'id, request_id, function_name, qualifier, payload, origin, accepted_ms, last_response, invoke_count, function_error_count';

/** Distinct function names by a skip scan over the index (one probe per function, whatever the depth), then a capped count each. */
const READY_BY_FUNCTION = `
  WITH RECURSIVE fns(name) AS (
    SELECT MIN(function_name) FROM async_events
    UNION ALL
    SELECT (SELECT MIN(function_name) FROM async_events WHERE function_name > fns.name) FROM fns WHERE fns.name IS NOT NULL)
  SELECT fns.name, ready.n FROM fns
  CROSS JOIN LATERAL (SELECT COUNT(*) AS n FROM (SELECT 1 FROM async_events e WHERE e.function_name = fns.name AND e.visible_at_ms <= $1 LIMIT $2) capped) ready
  WHERE fns.name IS NOT NULL AND ready.n > 0`;
const TAKE = `
  UPDATE async_events SET state = 'Leased', visible_at_ms = $3, lease_token = $4
  WHERE id = (SELECT id FROM async_events WHERE function_name = $1 AND visible_at_ms <= $2 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING ${EVENT_COLUMNS}`;
const REQUEUE = `
  UPDATE async_events SET state = 'Queued', lease_token = NULL, visible_at_ms = $1,
    invoke_count = invoke_count + $2, function_error_count = function_error_count + $3,
    last_response = COALESCE($4::json, last_response)
  WHERE id = $5`;
/** One statement for every lease held: the pairs (id, token) come as two arrays. */
const RENEW = `
  UPDATE async_events e SET visible_at_ms = $1
  FROM unnest($2::bigint[], $3::text[]) AS held(id, token)
  WHERE e.id = held.id AND e.lease_token = held.token AND e.state = 'Leased'
  RETURNING e.lease_token`;
const TOTALS = `
  SELECT COUNT(*) AS depth, COUNT(*) FILTER (WHERE visible_at_ms <= $1) AS ready,
    COUNT(*) FILTER (WHERE state = 'Leased' AND visible_at_ms > $1) AS "inFlight", MIN(accepted_ms) AS oldest
  FROM async_events`;
const BY_FUNCTION =
  'SELECT function_name AS "functionName", COUNT(*) AS depth, MIN(accepted_ms) AS "oldestAcceptedMs" FROM async_events GROUP BY function_name ORDER BY function_name';

export class PostgresEventQueue implements EventQueue {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async enqueue(event: NewAsyncEvent, nowMs: number): Promise<number> {
    const [id] = await this.enqueueAll([event], nowMs);
    return id!;
  }

  enqueueAll(events: readonly NewAsyncEvent[], nowMs: number): Promise<number[]> {
    if (events.length === 0) return Promise.resolve([]);
    return this.#sql.atomically(async (sql) => {
      const ids: number[] = [];
      for (const e of events) ids.push(await insertEvent(sql, e, nowMs));
      await bumpCounters(sql, events.map((): AsyncCounter => 'accepted'));
      return ids;
    });
  }

  async readyByFunction(nowMs: number, cap: number): Promise<Map<string, number>> {
    const rows = await this.#sql.rows<{ name: string; n: number }>(READY_BY_FUNCTION, [nowMs, cap]);
    return new Map(rows.map((r) => [r.name, r.n]));
  }

  async take(functionName: string, nowMs: number, leaseMs: number): Promise<LeasedEvent | undefined> {
    const leaseToken = randomUUID();
    const [row] = await this.#sql.rows<EventRow>(TAKE, [functionName, nowMs, nowMs + leaseMs, leaseToken]);
    return row && { ...toStoredEvent(row), invokeCount: row.invoke_count, functionErrorCount: row.function_error_count, leaseToken };
  }

  settle(event: LeasedEvent, settlement: Settlement, nowMs: number): Promise<boolean> {
    return this.#sql.atomically(async (sql) => {
      const held = await sql.rows("SELECT 1 FROM async_events WHERE id = $1 AND lease_token = $2 AND state = 'Leased' FOR UPDATE", [event.id, event.leaseToken]);
      if (held.length === 0) return false;
      if (settlement.kind === 'requeue') {
        const { visibleAtMs, invoked, functionError, response } = settlement;
        await sql.count(REQUEUE, [visibleAtMs, invoked ? 1 : 0, functionError ? 1 : 0, encodeResponse(response), event.id]);
      } else {
        if (settlement.deadLetter !== undefined) await insertDeadLetter(sql, event, settlement.deadLetter, nowMs);
        await sql.count('DELETE FROM async_events WHERE id = $1', [event.id]);
        if (settlement.forward !== undefined) await insertEvent(sql, settlement.forward, nowMs);
      }
      await bumpCounters(sql, settlement.counters);
      return true;
    });
  }

  async renewLeases(leases: readonly HeldLease[], untilMs: number): Promise<string[]> {
    if (leases.length === 0) return [];
    const rows = await this.#sql.rows<{ lease_token: string }>(RENEW, [untilMs, leases.map((l) => l.id), leases.map((l) => l.leaseToken)]);
    return rows.map((r) => r.lease_token);
  }

  releaseAllLeases(nowMs: number): Promise<number> {
    return this.#sql.count("UPDATE async_events SET state = 'Queued', lease_token = NULL, visible_at_ms = $1 WHERE state = 'Leased'", [nowMs]);
  }

  async nextReadyMs(nowMs: number): Promise<number | undefined> {
    const row = await one<{ t: number | null }>(this.#sql, 'SELECT MIN(visible_at_ms) AS t FROM async_events WHERE visible_at_ms > $1', [nowMs]);
    return row.t ?? undefined;
  }

  snapshot(nowMs: number): Promise<QueueSnapshot> {
    // One snapshot of the database, so the totals, the per-function depths and the counters agree.
    return this.#sql.consistently(async (sql) => {
      const totals = await one<{ depth: number; ready: number; inFlight: number; oldest: number | null }>(sql, TOTALS, [nowMs]);
      const byFunction = await sql.rows<FunctionDepth>(BY_FUNCTION);
      const dead = await one<{ n: number }>(sql, 'SELECT COUNT(*) AS n FROM async_dead_letters');
      return queueSnapshotFromRows(totals, byFunction, dead.n, await sql.rows<{ name: AsyncCounter; value: number }>('SELECT name, value FROM async_counters'));
    });
  }
}

async function insertDeadLetter(sql: Sql, e: LeasedEvent, d: NonNullable<Finish['deadLetter']>, nowMs: number): Promise<void> {
  await sql.count(
    `INSERT INTO async_dead_letters (request_id, function_name, qualifier, payload, origin, accepted_ms, failed_ms, condition, approximate_invoke_count, last_response)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [e.requestId, e.functionName, e.qualifier ?? null, e.payload, e.origin, e.acceptedMs, nowMs, d.condition, d.approximateInvokeCount, encodeResponse(d.response ?? e.lastResponse)],
  );
}
