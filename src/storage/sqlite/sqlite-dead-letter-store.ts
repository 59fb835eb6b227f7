import type { DeadLetter, DeadLetterQuery, FailureCondition } from '../../model/index.ts';
import type { DeadLetterStore } from '../ports.ts';
import type { Database } from './database.ts';
import { atomically, statement } from './queries.ts';
import { insertEvent } from './sqlite-event-queue.ts';
import { toStoredEvent, type StoredEventRow } from './stored-event.ts';
import { bumpCounters } from './stored-response.ts';
import type { Synchronous } from './synchronous-port.ts';

interface DeadLetterRow extends StoredEventRow {
  failed_ms: number;
  condition: FailureCondition;
  approximate_invoke_count: number;
}

/**
 * DeadLetterStore over SQLite: list, inspect, redrive. A redrive moves a letter back
 * to the queue as a fresh event (same request id, age counted from the
 * redrive) in one transaction, so it is never both in the store and queued.
 */
export class SqliteDeadLetterStore implements Synchronous<DeadLetterStore> {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  list(query: DeadLetterQuery): DeadLetter[] {
    const rows = statement(this.#db, 'SELECT * FROM async_dead_letters WHERE (? IS NULL OR function_name = ?) AND id > ? ORDER BY id LIMIT ?')
      .all(query.functionName ?? null, query.functionName ?? null, query.afterId ?? 0, query.limit) as unknown as DeadLetterRow[];
    return rows.map(toDeadLetter);
  }

  get(id: number): DeadLetter | undefined {
    const row = statement(this.#db, 'SELECT * FROM async_dead_letters WHERE id = ?').get(id) as DeadLetterRow | undefined;
    return row === undefined ? undefined : toDeadLetter(row);
  }

  /** Moves one letter back to the queue; returns the new queue id, or undefined when there is no such letter. */
  redrive(id: number, nowMs: number): number | undefined {
    return atomically(this.#db, () => this.#redriveOne(id, nowMs));
  }

  /** Moves every letter (of one function, if given) back to the queue; returns how many. */
  redriveAll(functionName: string | undefined, nowMs: number): number {
    return atomically(this.#db, () => {
      const ids = statement(this.#db, 'SELECT id FROM async_dead_letters WHERE (? IS NULL OR function_name = ?) ORDER BY id')
        .all(functionName ?? null, functionName ?? null) as unknown as Array<{ id: number }>;
      for (const { id } of ids) this.#redriveOne(id, nowMs);
      return ids.length;
    });
  }

  #redriveOne(id: number, nowMs: number): number | undefined {
    const letter = this.get(id);
    if (letter === undefined) return undefined;
    statement(this.#db, 'DELETE FROM async_dead_letters WHERE id = ?').run(id);
    const queued = insertEvent(
      this.#db,
      { requestId: letter.requestId, functionName: letter.functionName, qualifier: letter.qualifier, payload: letter.payload, origin: 'redrive' },
      nowMs,
    );
    bumpCounters(this.#db, ['redriven']);
    return queued;
  }
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return { ...toStoredEvent(row), failedMs: row.failed_ms, condition: row.condition, approximateInvokeCount: row.approximate_invoke_count };
}
