/** Function URL configs (`function_url_configs`); they go with their function (ON DELETE CASCADE) and with their alias (PostgresAliasStore.delete). */
import type { FunctionUrlConfigRecord } from '../../model/index.ts';
import type { FunctionUrlConfigStore } from '../ports.ts';
import type { Sql } from './sql.ts';
import { FUNCTION_URL_COLUMNS, functionUrlConfigFromRow, functionUrlConfigParams, type FunctionUrlConfigRow } from '../rows.ts';

export class PostgresFunctionUrlStore implements FunctionUrlConfigStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async get(functionName: string, qualifier: string): Promise<FunctionUrlConfigRecord | undefined> {
    const [row] = await this.#sql.rows<FunctionUrlConfigRow>(`SELECT ${FUNCTION_URL_COLUMNS} FROM function_url_configs WHERE function_name = $1 AND qualifier = $2`, [functionName, qualifier]);
    return row && functionUrlConfigFromRow(row);
  }

  async byUrlId(urlId: string): Promise<FunctionUrlConfigRecord | undefined> {
    const [row] = await this.#sql.rows<FunctionUrlConfigRow>(`SELECT ${FUNCTION_URL_COLUMNS} FROM function_url_configs WHERE url_id = $1`, [urlId]);
    return row && functionUrlConfigFromRow(row);
  }

  async list(functionName: string, afterQualifier: string | undefined, limit: number): Promise<FunctionUrlConfigRecord[]> {
    const rows = await this.#sql.rows<FunctionUrlConfigRow>(
      `SELECT ${FUNCTION_URL_COLUMNS} FROM function_url_configs WHERE function_name = $1 AND qualifier > $2 ORDER BY qualifier LIMIT $3`,
      [functionName, afterQualifier ?? '', limit],
    );
    return rows.map(functionUrlConfigFromRow);
  }

  async insert(config: FunctionUrlConfigRecord): Promise<boolean> {
    const n = await this.#sql.count(
      `INSERT INTO function_url_configs (${FUNCTION_URL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (function_name, qualifier) DO NOTHING`,
      functionUrlConfigParams(config),
    );
    return n > 0;
  }

  async update(config: FunctionUrlConfigRecord): Promise<boolean> {
    const n = await this.#sql.count(
      'UPDATE function_url_configs SET auth_type = $1, cors = $2, invoke_mode = $3, last_modified_ms = $4 WHERE function_name = $5 AND qualifier = $6',
      [config.authType, config.cors === undefined ? null : JSON.stringify(config.cors), config.invokeMode, config.lastModifiedMs, config.functionName, config.qualifier],
    );
    return n > 0;
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return (await this.#sql.count('DELETE FROM function_url_configs WHERE function_name = $1 AND qualifier = $2', [functionName, qualifier])) > 0;
  }
}
