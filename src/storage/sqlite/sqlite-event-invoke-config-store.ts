import type { StoredEventInvokeConfig } from '../../model/index.ts';
import type { EventInvokeConfigStore } from '../ports.ts';
import type { Database } from './database.ts';
import { Queries } from './queries.ts';
import type { Synchronous } from './synchronous-port.ts';
import { eventInvokeConfigFromRow, type EventInvokeConfigRow } from '../rows.ts';

/**
 * EventInvokeConfigStore over SQLite: rows of `event_invoke_configs`. A function's rows go with it (the foreign key
 * cascades on DeleteFunction), so a function created again starts without one.
 */
export class SqliteEventInvokeConfigStore implements Synchronous<EventInvokeConfigStore> {
  readonly #q: Queries;

  constructor(db: Database) {
    this.#q = new Queries(db);
  }

  get(functionName: string, qualifier: string): StoredEventInvokeConfig | undefined {
    const row = this.#q.get<EventInvokeConfigRow>('SELECT * FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
    return row === undefined ? undefined : eventInvokeConfigFromRow(row);
  }

  /** Qualifiers in ascending order, after `afterQualifier` when given. */
  list(functionName: string, afterQualifier: string | undefined, limit: number): StoredEventInvokeConfig[] {
    return this.#q.all<EventInvokeConfigRow>('SELECT * FROM event_invoke_configs WHERE function_name = ? AND qualifier > ? ORDER BY qualifier LIMIT ?', functionName, afterQualifier ?? '', limit).map(eventInvokeConfigFromRow);
  }

  put(config: StoredEventInvokeConfig): void {
    const s = config.settings;
    this.#q.run(
      `INSERT INTO event_invoke_configs (function_name, qualifier, maximum_retry_attempts, maximum_event_age_seconds, on_success, on_failure, last_modified_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET maximum_retry_attempts = excluded.maximum_retry_attempts,
         maximum_event_age_seconds = excluded.maximum_event_age_seconds, on_success = excluded.on_success,
         on_failure = excluded.on_failure, last_modified_ms = excluded.last_modified_ms`,
      config.functionName, config.qualifier, s.maximumRetryAttempts ?? null, s.maximumEventAgeInSeconds ?? null, s.onSuccess ?? null, s.onFailure ?? null, config.lastModifiedMs,
    );
  }

  delete(functionName: string, qualifier: string): boolean {
    return this.#q.run('DELETE FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?', functionName, qualifier);
  }
}
