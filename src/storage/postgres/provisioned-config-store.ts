/** Provisioned concurrency configs as requested, with their allocation state (`provisioned_concurrency`); they go with their function. */
import type { ProvisionedConfigRecord, ProvisionedState, StoredProvisionedConfig } from '../../model/index.ts';
import type { ProvisionedConfigStore } from '../ports.ts';
import { provisionedConfigFromRow, type ProvisionedConfigRow } from '../rows.ts';
import { one, type Sql } from './sql.ts';

const COLUMNS = 'function_name, qualifier, requested, last_modified_ms, status, status_reason, available';

export class PostgresProvisionedConfigStore implements ProvisionedConfigStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async get(functionName: string, qualifier: string): Promise<StoredProvisionedConfig | undefined> {
    const [row] = await this.#sql.rows<ProvisionedConfigRow>(`SELECT ${COLUMNS} FROM provisioned_concurrency WHERE function_name = $1 AND qualifier = $2`, [functionName, qualifier]);
    return row && provisionedConfigFromRow(row);
  }

  async list(functionName?: string): Promise<StoredProvisionedConfig[]> {
    const rows = functionName === undefined
      ? await this.#sql.rows<ProvisionedConfigRow>(`SELECT ${COLUMNS} FROM provisioned_concurrency ORDER BY function_name, qualifier`)
      : await this.#sql.rows<ProvisionedConfigRow>(`SELECT ${COLUMNS} FROM provisioned_concurrency WHERE function_name = $1 ORDER BY qualifier`, [functionName]);
    return rows.map(provisionedConfigFromRow);
  }

  async put(record: ProvisionedConfigRecord): Promise<void> {
    await this.#sql.count(
      `INSERT INTO provisioned_concurrency (function_name, qualifier, requested, last_modified_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET requested = excluded.requested, last_modified_ms = excluded.last_modified_ms,
         status = 'IN_PROGRESS', status_reason = NULL, available = 0`,
      [record.functionName, record.qualifier, record.requested, record.lastModifiedMs],
    );
  }

  async setState(functionName: string, qualifier: string, seenLastModifiedMs: number, state: ProvisionedState): Promise<boolean> {
    const n = await this.#sql.count(
      'UPDATE provisioned_concurrency SET status = $1, status_reason = $2, available = $3 WHERE function_name = $4 AND qualifier = $5 AND last_modified_ms = $6',
      [state.status, state.statusReason ?? null, state.available, functionName, qualifier, seenLastModifiedMs],
    );
    return n > 0;
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM provisioned_concurrency WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier])) > 0;
  }

  async total(functionName: string): Promise<number> {
    return (await one<{ n: number }>(this.#sql, 'SELECT COALESCE(SUM(requested), 0) AS n FROM provisioned_concurrency WHERE function_name = $1', [functionName])).n;
  }
}
