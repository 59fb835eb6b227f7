/** FunctionEventInvokeConfigs (`event_invoke_configs`); they go with their function (ON DELETE CASCADE). */
import type { StoredEventInvokeConfig } from '../../model/index.ts';
import type { EventInvokeConfigStore } from '../ports.ts';
import type { Sql } from './sql.ts';
import { eventInvokeConfigFromRow, type EventInvokeConfigRow } from '../rows.ts';

const COLUMNS = 'function_name, qualifier, maximum_retry_attempts, maximum_event_age_seconds, on_success, on_failure, last_modified_ms';

export class PostgresEventInvokeConfigStore implements EventInvokeConfigStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async get(functionName: string, qualifier: string): Promise<StoredEventInvokeConfig | undefined> {
    const [row] = await this.#sql.rows<EventInvokeConfigRow>(`SELECT ${COLUMNS} FROM event_invoke_configs WHERE function_name = $1 AND qualifier = $2`, [functionName, qualifier]);
    return row && eventInvokeConfigFromRow(row);
  }

  async list(functionName: string, afterQualifier: string | undefined, limit: number): Promise<StoredEventInvokeConfig[]> {
    const rows = await this.#sql.rows<EventInvokeConfigRow>(
      `SELECT ${COLUMNS} FROM event_invoke_configs WHERE function_name = $1 AND qualifier > $2 ORDER BY qualifier LIMIT $3`,
      [functionName, afterQualifier ?? '', limit],
    );
    return rows.map(eventInvokeConfigFromRow);
  }

  async put(config: StoredEventInvokeConfig): Promise<void> {
    const s = config.settings;
    await this.#sql.count(
      `INSERT INTO event_invoke_configs (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET maximum_retry_attempts = excluded.maximum_retry_attempts,
         maximum_event_age_seconds = excluded.maximum_event_age_seconds, on_success = excluded.on_success,
         on_failure = excluded.on_failure, last_modified_ms = excluded.last_modified_ms`,
      [config.functionName, config.qualifier, s.maximumRetryAttempts ?? null, s.maximumEventAgeInSeconds ?? null, s.onSuccess ?? null, s.onFailure ?? null, config.lastModifiedMs],
    );
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM event_invoke_configs WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier])) > 0;
  }
}
