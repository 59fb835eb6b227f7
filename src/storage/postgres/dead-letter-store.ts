/**
 * Dead letters (`async_dead_letters`): list, inspect, redrive. A redrive moves a letter back to
 * the queue as a fresh event (same request id, age counted from the redrive) in one
 * transaction, deleting it first (under its row lock), so two front ends redriving at once move
 * it once.
 */
import type { DeadLetter, DeadLetterQuery, FailureCondition } from '../../model/index.ts';
import type { DeadLetterStore } from '../ports.ts';
import type { Sql } from './sql.ts';
import { bumpCounters, insertEvent, toStoredEvent, type StoredEventRow } from './stored-event.ts';

interface DeadLetterRow extends StoredEventRow {
  failed_ms: number;
  condition: FailureCondition;
  approximate_invoke_count: number;
}

const COLUMNS = 'id, request_id, function_name, qualifier, payload, origin, accepted_ms, last_response, failed_ms, condition, approximate_invoke_count';

export class PostgresDeadLetterStore implements DeadLetterStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async list(query: DeadLetterQuery): Promise<DeadLetter[]> {
    const rows = await this.#sql.rows<DeadLetterRow>(
      `SELECT ${COLUMNS} FROM async_dead_letters WHERE ($1::text IS NULL OR function_name = $1) AND id > $2 ORDER BY id LIMIT $3`,
      [query.functionName ?? null, query.afterId ?? 0, query.limit],
    );
    return rows.map(toDeadLetter);
  }

  async get(id: number): Promise<DeadLetter | undefined> {
    const [row] = await this.#sql.rows<DeadLetterRow>(`SELECT ${COLUMNS} FROM async_dead_letters WHERE id = $1`, [id]);
    return row && toDeadLetter(row);
  }

  redrive(id: number, nowMs: number): Promise<number | undefined> {
    return this.#sql.atomically(async (sql) => {
      const [letter] = await sql.rows<DeadLetterRow>(`DELETE FROM async_dead_letters WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
      return letter && redriven(sql, letter, nowMs);
    });
  }

  redriveAll(functionName: string | undefined, nowMs: number): Promise<number> {
    return this.#sql.atomically(async (sql) => {
      const letters = await sql.rows<DeadLetterRow>(
        `DELETE FROM async_dead_letters WHERE id IN (SELECT id FROM async_dead_letters WHERE ($1::text IS NULL OR function_name = $1) ORDER BY id FOR UPDATE)
         RETURNING ${COLUMNS}`,
        [functionName ?? null],
      );
      letters.sort((a, b) => a.id - b.id);
      for (const letter of letters) await redriven(sql, letter, nowMs);
      return letters.length;
    });
  }
}

/** Queues a deleted letter again (inside the caller's transaction); the new queue id. */
async function redriven(sql: Sql, letter: DeadLetterRow, nowMs: number): Promise<number> {
  const id = await insertEvent(sql, { requestId: letter.request_id, functionName: letter.function_name, qualifier: letter.qualifier ?? undefined, payload: letter.payload, origin: 'redrive' }, nowMs);
  await bumpCounters(sql, ['redriven']);
  return id;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return { ...toStoredEvent(row), failedMs: row.failed_ms, condition: row.condition, approximateInvokeCount: row.approximate_invoke_count };
}
