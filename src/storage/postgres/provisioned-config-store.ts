/** Provisioned concurrency configs as requested (`provisioned_concurrency`); they go with their function. */
import type { ProvisionedConfigRecord } from '../../model/index.ts';
import type { ProvisionedConfigStore } from '../ports.ts';
import { provisionedConfigFromRow, type ProvisionedConfigRow } from '../rows.ts';
import { one, type Sql } from './sql.ts';

const COLUMNS = 'function_name, qualifier, requested, last_modified_ms';

export class PostgresProvisionedConfigStore implements ProvisionedConfigStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async get(functionName: string, qualifier: string): Promise<ProvisionedConfigRecord | undefined> {
    const [row] = await this.#sql.rows<ProvisionedConfigRow>(`SELECT ${COLUMNS} FROM provisioned_concurrency WHERE function_name = $1 AND qualifier = $2`, [functionName, qualifier]);
    return row && provisionedConfigFromRow(row);
  }

  async list(functionName?: string): Promise<ProvisionedConfigRecord[]> {
    const rows = functionName === undefined
      ? await this.#sql.rows<ProvisionedConfigRow>(`SELECT ${COLUMNS} FROM provisioned_concurrency ORDER BY function_name, qualifier`)
      : await this.#sql.rows<ProvisionedConfigRow>(`SELECT ${COLUMNS} FROM provisioned_concurrency WHERE function_name = $1 ORDER BY qualifier`, [functionName]);
    return rows.map(provisionedConfigFromRow);
  }

  async put(record: ProvisionedConfigRecord): Promise<void> {
    await this.#sql.count(
      `INSERT INTO provisioned_concurrency (${COLUMNS}) VALUES ($1, $2, $3, $4)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET requested = excluded.requested, last_modified_ms = excluded.last_modified_ms`,
      [record.functionName, record.qualifier, record.requested, record.lastModifiedMs],
    );
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM provisioned_concurrency WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier])) > 0;
  }

  async total(functionName: string): Promise<number> {
    return (await one<{ n: number }>(this.#sql, 'SELECT COALESCE(SUM(requested), 0) AS n FROM provisioned_concurrency WHERE function_name = $1', [functionName])).n;
  }
}
